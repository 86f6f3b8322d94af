import type { FlowServiceConnectionsTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

/** The Flow Service's connection kinds, which share one index table. */
export const connectionKinds = {
  base: 'flowservice.connection',
  source: 'flowservice.sourceConnection',
  target: 'flowservice.targetConnection',
} as const;
export type ConnectionKind = (typeof connectionKinds)[keyof typeof connectionKinds];

type Body = Record<string, unknown>;

/**
 * What a connection's body says about the columns its lists filter and sort on. Read leniently, as the migration
 * that backfills them does, so a body of any shape gets a row: the flow service checks a connection's shape.
 */
export function connectionRow(scope: { orgId: string; sandboxId: string }, kind: string, connection: IndexedResource): FlowServiceConnectionsTable {
  const body = (connection.body !== null && typeof connection.body === 'object' && !Array.isArray(connection.body) ? connection.body : {}) as Body;
  const field = (value: unknown, key: string) => (value !== null && typeof value === 'object' ? (value as Body)[key] : undefined);
  return {
    org_id: scope.orgId,
    sandbox_id: scope.sandboxId,
    kind,
    connection_id: connection.id,
    name: indexText(body.name),
    connection_spec_id: indexText(field(body.connectionSpec, 'id')),
    base_connection_id: indexText(body.baseConnectionId),
    state: indexText(body.state),
    data_set_id: indexText(field(body.params, 'dataSetId')),
    inlet_id: indexText(field(field(body.auth, 'params'), 'inletId')),
    created_at: typeof body.createdAt === 'number' ? body.createdAt : connection.createdAt,
    updated_at: typeof body.updatedAt === 'number' ? body.updatedAt : connection.updatedAt,
  };
}

/** The index of one connection kind: one row per connection, rewritten on every write. */
export function connectionIndex(kind: ConnectionKind): KindIndex {
  return {
    async write(trx, scope, connection) {
      const row = connectionRow(scope, kind, connection);
      const { name, connection_spec_id, base_connection_id, state, data_set_id, inlet_id, created_at, updated_at } = row;
      await trx
        .insertInto('flow_service_connections')
        .values(row)
        .onConflict((oc) => oc.columns(['org_id', 'sandbox_id', 'kind', 'connection_id']).doUpdateSet({ name, connection_spec_id, base_connection_id, state, data_set_id, inlet_id, created_at, updated_at }))
        .execute();
    },
    async remove(trx, scope, id) {
      await trx.deleteFrom('flow_service_connections').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', '=', kind).where('connection_id', '=', id).execute();
    },
  };
}
