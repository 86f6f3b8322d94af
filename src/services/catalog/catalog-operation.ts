import type { TSchema } from 'typebox';
import type { ErrorKey } from '../../server/errors/error-catalog.js';
import { ApiError } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import type { BatchesRepository } from './batches.repository.js';
import type { DataSetsRepository } from './datasets.repository.js';
import type { TagsRepository } from './tags.repository.js';
import type { CatalogAnswerDoc } from './catalog-answers.schema.js';

/** The request headers Catalog operations act on. */
export interface CatalogHeaders {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  /** `scheme://host` the client called, for the absolute URLs some answers carry. */
  origin: string;
}

/** One call of a Catalog operation, from HTTP or from inside a batched request (`POST /`). */
export interface CatalogCall {
  ctx: RequestContext;
  /** Bound to the transaction the call runs in: every read and write of the call goes through it. */
  repo: ResourcesRepository;
  /** Batches, checked, and their index: bound to the same transaction. */
  batches: BatchesRepository;
  /** Datasets' index: bound to the same transaction. */
  dataSets: DataSetsRepository;
  /** The tags of datasets and batches: bound to the same transaction. */
  tags: TagsRepository;
  /** The ids of the Flow Service target connections that write into a dataset (same transaction). */
  targetsOf(dataSetId: string): Promise<string[]>;
  params: Record<string, string>;
  /** Validated against the operation's querystring schema. */
  query: Record<string, unknown>;
  /** Validated against the operation's body schema, when it has one. */
  body: unknown;
  headers: CatalogHeaders;
  now: number;
  /** Work outside the metadata store (removing lake files) that must wait until the call's changes are committed. */
  afterCommit(effect: () => void): void;
  /** The error body a client mistake is answered with, for answers that nest one. */
  errorBody(error: ApiError): unknown;
}

export interface CatalogAnswer {
  status: number;
  body: unknown;
  location?: string;
  /** The object's version, sent as ETag so that a client can send it back in If-Match. */
  etag?: string;
}

export type CatalogMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A Catalog operation, written once and reached two ways: as an HTTP route, and as a sub-request of a batched
 * request, which runs several of them in one transaction.
 */
export interface CatalogOperation {
  method: CatalogMethod;
  /** Below `/data/foundation/catalog`, with `:name` parameters, e.g. `/batches/:id`. */
  path: string;
  summary: string;
  schema: { params?: TSchema; querystring?: TSchema; body?: TSchema };
  /**
   * Its answers for the API reference: the success answers (see catalog-answers.schema.ts) and, through
   * `errorAnswers`, the errors the operation itself raises (the gateway's and the validation 400 are added for it).
   */
  response: Record<number, CatalogAnswerDoc>;
  run(call: CatalogCall): Promise<CatalogAnswer>;
}

/** The errors a Catalog list's query can raise (`property=`, `orderBy`, `tags=` and simple filters). */
export const listErrors: ErrorKey[] = ['badFilter', 'operatorNotImplemented', 'badOrderBy'];

/** The errors applying a JSON Patch can raise, besides a patch that is not valid (`validation`). */
export const patchErrors: ErrorKey[] = ['patchOpUnsupported', 'patchPathMissing', 'patchFailed'];

/** Catalog answers a write with references to what it wrote: `["@/dataSets/5c8c3c555033b814b69f947f"]`. */
export function refsTo(collection: 'dataSets' | 'batches', ...ids: string[]): string[] {
  return ids.map((id) => `@/${collection}/${id}`);
}

/** A JSON Patch may replace the whole document (`"path": ""`); what it leaves must still be an object. */
export function wholeObject(value: unknown, what: string): Record<string, unknown> {
  if (isRecord(value)) return value;
  throw new ApiError('validation', `The patch leaves the ${what} as ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}; a ${what} is an object.`, {
    problems: [{ in: 'body', path: '', message: `must leave the ${what} an object` }],
  });
}
