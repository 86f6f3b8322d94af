import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { ConnectionsRepository, storedConnection } from './connections.repository.js';
import { storedFlow } from './flows.repository.js';
import { flowKind } from './flows-using.js';
import { sourceConnectionKind } from './source-connections.js';
import { httpApiConnectionSpec } from './specs/http-api.connection-spec.js';
import { targetConnectionKind } from './target-connections.js';

/** What the streaming service needs of an HTTP API connection: where it is, and how its inlet behaves. */
export interface StreamingInlet {
  connectionId: string;
  inletId: string;
  scope: Scope;
  dataType: 'xdm' | 'raw';
  authenticationRequired: boolean;
  sourceName: string;
  /** Who made the connection: the batches its records land in carry them as their creator. */
  createdClient: string;
  createdBy: string;
}

/** A streaming dataflow, resolved to the dataset it lands in and the mapping set version it maps with. */
export interface StreamingFlow {
  id: string;
  enabled: boolean;
  /** The base connections whose records the flow takes. */
  baseConnectionIds: string[];
  dataSetId: string | undefined;
  mapping: { id: string; version: number } | undefined;
  options: Record<string, unknown>;
}

/**
 * The HTTP API connection an inlet id belongs to, in whatever org and sandbox: the inlet URL is the only thing
 * the sender has. Its connection id is taken too, as the inlet path AEP's Postman collection calls CONNECTION_ID.
 */
export async function findStreamingInlet(db: Kysely<Database>, idOrInletId: string): Promise<StreamingInlet | undefined> {
  if (!/^[A-Za-z0-9-]{1,128}$/.test(idOrInletId)) return undefined;
  const located = await new ConnectionsRepository(db).locateBase(idOrInletId);
  if (!located) return undefined;
  const { scope, connection } = located;
  const body = connection.body;
  const params = body.auth?.params ?? {};
  if (body.connectionSpec.id !== httpApiConnectionSpec.id || typeof params.inletId !== 'string') return undefined;
  return {
    connectionId: connection.id,
    inletId: params.inletId,
    scope,
    dataType: params.dataType === 'raw' ? 'raw' : 'xdm',
    authenticationRequired: params.authenticationRequired === true,
    sourceName: typeof params.sourceId === 'string' ? params.sourceId : body.name,
    createdClient: body.createdClient,
    createdBy: body.createdBy,
  };
}

/** A streaming dataflow by id, with its target dataset and mapping; undefined when there is no such flow. */
export async function findStreamingFlow(repo: ResourcesRepository, scope: Scope, flowId: string): Promise<StreamingFlow | undefined> {
  const found = await repo.get(flowKind, scope, flowId);
  if (!found) return undefined;
  const stored = storedFlow(found);
  const body = stored.body;
  const baseConnectionIds: string[] = [];
  for (const id of body.sourceConnectionIds) {
    const source = await repo.get(sourceConnectionKind, scope, id);
    const base = source ? storedConnection(sourceConnectionKind, source).body.baseConnectionId : undefined;
    if (base !== undefined) baseConnectionIds.push(base);
  }
  const target = body.targetConnectionIds[0];
  const targetFound = target ? await repo.get(targetConnectionKind, scope, target) : undefined;
  const targetParams = targetFound ? (storedConnection(targetConnectionKind, targetFound).body.params ?? {}) : {};
  const mappingParams = body.transformations.find((t) => t.name === 'Mapping')?.params;
  return {
    id: stored.id,
    enabled: body.state !== 'disabled',
    baseConnectionIds,
    dataSetId: typeof targetParams.dataSetId === 'string' ? targetParams.dataSetId : undefined,
    mapping: mappingParams && typeof mappingParams.mappingId === 'string' ? { id: mappingParams.mappingId, version: Number(mappingParams.mappingVersion ?? 0) } : undefined,
    options: body.options ?? {},
  };
}
