import type { Transaction } from 'kysely';
import type { Database, FlowConnectionsTable, FlowsTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

export const flowKind = 'flowservice.flow';

/** The connection lists of a flow body, by the `direction` their rows carry. */
export const flowConnectionFields = { source: 'sourceConnectionIds', target: 'targetConnectionIds' } as const;
export type FlowConnectionDirection = keyof typeof flowConnectionFields;

type Body = { name?: unknown; flowSpec?: { id?: unknown }; state?: unknown; createdAt?: unknown; updatedAt?: unknown } & Record<string, unknown>;

/**
 * What a flow's body says about the columns `GET /flows` filters and sorts on. Read leniently, as the migration
 * that backfills them does (it may not import this), so a body of any shape gets a row: the flow service's own
 * repository is the one that checks a flow's shape.
 */
export function flowRows(scope: { orgId: string; sandboxId: string }, flow: IndexedResource): { flow: FlowsTable; connections: FlowConnectionsTable[] } {
  const body = (flow.body !== null && typeof flow.body === 'object' ? flow.body : {}) as Body;
  const spec = body.flowSpec !== null && typeof body.flowSpec === 'object' ? body.flowSpec.id : undefined;
  const key = { org_id: scope.orgId, sandbox_id: scope.sandboxId, flow_id: flow.id };
  const connections = Object.entries(flowConnectionFields).flatMap(([direction, field]) => {
    const ids = body[field];
    const unique = new Set(Array.isArray(ids) ? ids.filter((id): id is string => indexText(id) !== null) : []);
    return [...unique].map((connection_id) => ({ ...key, direction, connection_id }));
  });
  return {
    flow: {
      ...key,
      name: indexText(body.name),
      flow_spec_id: indexText(spec),
      state: indexText(body.state),
      created_at: typeof body.createdAt === 'number' ? body.createdAt : flow.createdAt,
      updated_at: typeof body.updatedAt === 'number' ? body.updatedAt : flow.updatedAt,
    },
    connections,
  };
}

async function removeRows(trx: Transaction<Database>, scope: { orgId: string; sandboxId: string }, id: string): Promise<void> {
  await trx.deleteFrom('flow_connections').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('flow_id', '=', id).execute();
  await trx.deleteFrom('flows').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('flow_id', '=', id).execute();
}

/** A flow's `flows` row and its `flow_connections` rows, rewritten whole on every write: a flow has a handful. */
export const flowIndex: KindIndex = {
  async write(trx, scope, flow) {
    const rows = flowRows(scope, flow);
    await removeRows(trx, scope, flow.id);
    await trx.insertInto('flows').values(rows.flow).execute();
    if (rows.connections.length > 0) await trx.insertInto('flow_connections').values(rows.connections).execute();
  },
  remove: removeRows,
};
