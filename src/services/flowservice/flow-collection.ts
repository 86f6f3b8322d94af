import type { TSchema } from 'typebox';
import type { RunsRepository } from '../../engine/runs.repository.js';
import type { FileRoots } from '../../connectors/local-files/file-roots.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { ErrorKey } from '../../server/errors/error-catalog.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository, StoredResource } from '../../store/resources.repository.js';
import type { FlowAudit } from './flow-object.js';
import type { FlowListing } from './flow-listing.js';
import type { ConnectionsRepository } from './connections.repository.js';
import type { FlowsRepository } from './flows.repository.js';

/** What a collection's rules see of the request: who, where, and the stores. */
export interface FlowEnv {
  ctx: RequestContext;
  repo: ResourcesRepository;
  /** Runs and each flow's last run. */
  runs: RunsRepository;
  /** Flows, checked, and their index. */
  flows: FlowsRepository;
  /** The index of base, source and target connections. */
  connections: ConnectionsRepository;
  secretBox: SecretBox;
  now: number;
  fileRoots: FileRoots;
  /** `scheme://host[:port]` the client reached this server at, for URLs it is handed (a streaming inlet). */
  origin: string;
}

/** A Flow Service object as its repository reads it: the body checked, with at least the audit fields. */
export type StoredFlowObject = StoredResource & { body: FlowAudit };

/** A validated object ready to store: its wire fields (without audit fields) and its sealed secret. */
export interface Prepared {
  fields: Record<string, unknown>;
  secret: string | null;
}

/** How the API reference describes a collection's operations. */
export interface FlowCollectionReference {
  /** The object's name in summaries, singular and plural: "source connection", "source connections". */
  one: string;
  many: string;
  /** The create body; PATCH takes a JSON Patch of the same fields. */
  request: TSchema;
  /** One object as GET answers it. */
  answer: TSchema;
  /** The errors of `rejectOnCreate` and `prepare` on create, and of `prepare` on a PATCH (besides `validation`). */
  createErrors: ErrorKey[];
  updateErrors: ErrorKey[];
  /** `inUse` where something may still use the object. */
  deleteErrors: ErrorKey[];
}

/**
 * The rules of one Flow Service collection (connections, sourceConnections, targetConnections, flows).
 * The routes (create, get, list, PATCH with If-Match, DELETE) are the same for all and live in one place.
 * `S` is the collection's stored object with its body checked: the routes read objects through `get`, and every
 * rule below sees them checked.
 */
export interface FlowCollection<S extends StoredFlowObject> {
  path: string;
  kind: string;
  /** Used in messages: "The requested flows resource ... is not found". */
  resourceName: string;
  reference: FlowCollectionReference;
  /** Top-level fields a PATCH may change. */
  patchable: readonly string[];
  /** One object, read and checked by the collection's repository. */
  get(id: string, env: FlowEnv): Promise<S | undefined>;
  /** Validates a create body (or a patched document) into what is stored. */
  prepare(body: Record<string, unknown>, env: FlowEnv, existing?: S): Promise<Prepared>;
  /** The document a PATCH applies to: the editable fields, secrets masked as GET shows them. */
  editable(stored: S, env: FlowEnv): Record<string, unknown>;
  /** The wire form of a stored object; by default the stored body with `version` = etag, as AEP shows. */
  present?(stored: S, env: FlowEnv): Promise<Record<string, unknown>>;
  /** For a collection whose wire form reads other objects: how a list pages on stored rows and builds the page alone. */
  paging?: DerivedPaging<S>;
  /**
   * `{count}` or the page of stored objects, filtered, sorted and paged in SQL through the collection's index; or,
   * for a query the index cannot express, the objects its expressible filters leave, to list in JS.
   */
  list(listing: FlowListing, env: FlowEnv, collectionPath: string): Promise<IndexedList<S>>;
  /** What still uses this object ("flow <id>", "sourceConnection <id>"), which blocks its deletion. */
  usedBy(id: string, env: FlowEnv): Promise<string[]>;
  /** Rejects create bodies with fields the server owns (e.g. `state` on flows). */
  rejectOnCreate?(body: Record<string, unknown>): void;
  /** Removes what belongs to the object alone (a flow's schedule and incremental state), after it is deleted. */
  onDelete?(id: string, env: FlowEnv): Promise<void>;
  /** Extra fields recorded on update (flows keep `lastOperation`). */
  onUpdate?(fields: Record<string, unknown>, ops: unknown[], env: FlowEnv): Record<string, unknown>;
}

/**
 * A list as a collection's index answers it: the count, the page (with its links), or, where the index cannot
 * express the query, the objects its expressible filters leave, a stretch at a time, for the caller to select from.
 */
export type IndexedList<S extends StoredResource> = { count: number } | { page: S[]; links: Record<string, unknown> } | { narrowed: AsyncIterable<S[]> };

/**
 * A list of flows built every flow and read every run of the sandbox for each; it now filters, sorts and pages the
 * stored rows, then builds the page's objects with one read per related kind. A query that filters or sorts on a
 * derived field builds every object first, still without a read per object.
 */
export interface DerivedPaging<S extends StoredFlowObject> {
  /** Top-level fields of the wire form read from other objects (a flow's last run, its connections' specs). */
  derivedFields: readonly string[];
  /** The wire form without the derived fields, from the stored row alone: what filters and the order read. */
  storedView(stored: S): Record<string, unknown>;
  /** The wire forms of these objects, in order, with a bounded number of reads however many there are. */
  presentAll(stored: readonly S[], env: FlowEnv): Promise<Record<string, unknown>[]>;
}
