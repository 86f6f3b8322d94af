import type { Kysely } from 'kysely';
import { isRecord } from '../../server/errors/problem-list.js';
import type { Database } from '../../store/database.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { connectionKind } from './connections.js';
import { flowBody } from './flow-collection.js';
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
  const byId = await db.selectFrom('resources').selectAll().where('kind', '=', connectionKind).where('id', '=', idOrInletId).executeTakeFirst();
  const row = byId ?? (await db.selectFrom('resources').selectAll().where('kind', '=', connectionKind).where('body', 'like', `%"inletId":"${idOrInletId}"%`).executeTakeFirst());
  if (!row) return undefined;
  const body = JSON.parse(row.body) as Record<string, unknown>;
  const spec = isRecord(body.connectionSpec) ? body.connectionSpec.id : undefined;
  const params = isRecord(body.auth) && isRecord(body.auth.params) ? body.auth.params : {};
  if (spec !== httpApiConnectionSpec.id || typeof params.inletId !== 'string') return undefined;
  if (!byId && params.inletId !== idOrInletId) return undefined;
  return {
    connectionId: row.id,
    inletId: params.inletId,
    scope: { orgId: row.org_id, sandboxId: row.sandbox_id },
    dataType: params.dataType === 'raw' ? 'raw' : 'xdm',
    authenticationRequired: params.authenticationRequired === true,
    sourceName: typeof params.sourceId === 'string' ? params.sourceId : String(body.name ?? ''),
    createdClient: String(body.createdClient ?? ''),
    createdBy: String(body.createdBy ?? ''),
  };
}

/** A streaming dataflow by id, with its target dataset and mapping; undefined when there is no such flow. */
export async function findStreamingFlow(repo: ResourcesRepository, scope: Scope, flowId: string): Promise<StreamingFlow | undefined> {
  const stored = await repo.get(flowKind, scope, flowId);
  if (!stored) return undefined;
  const body = flowBody(stored);
  const ids = (field: string) => (Array.isArray(body[field]) ? (body[field] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
  const baseConnectionIds: string[] = [];
  for (const id of ids('sourceConnectionIds')) {
    const source = await repo.get(sourceConnectionKind, scope, id);
    const base = source ? flowBody(source).baseConnectionId : undefined;
    if (typeof base === 'string') baseConnectionIds.push(base);
  }
  const target = ids('targetConnectionIds')[0];
  const targetBody = target ? await repo.get(targetConnectionKind, scope, target) : undefined;
  const targetParams = targetBody && isRecord(flowBody(targetBody).params) ? (flowBody(targetBody).params as Record<string, unknown>) : {};
  const transformations = Array.isArray(body.transformations) ? body.transformations.filter(isRecord) : [];
  const mapping = transformations.find((t) => t.name === 'Mapping');
  const mappingParams = mapping && isRecord(mapping.params) ? mapping.params : undefined;
  return {
    id: stored.id,
    enabled: body.state !== 'disabled',
    baseConnectionIds,
    dataSetId: typeof targetParams.dataSetId === 'string' ? targetParams.dataSetId : undefined,
    mapping: mappingParams && typeof mappingParams.mappingId === 'string' ? { id: mappingParams.mappingId, version: Number(mappingParams.mappingVersion ?? 0) } : undefined,
    options: isRecord(body.options) ? body.options : {},
  };
}
