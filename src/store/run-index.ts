import type { FlowRunsTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

export const runKind = 'flowservice.run';

/**
 * What a run's body says about the columns `GET /runs` filters and sorts on, and the row's own times where the body
 * lacks them. Read leniently, as the migration that backfilled them did, so a body of any shape gets a row: the
 * engine checks a run's shape.
 */
export function flowRunRow(scope: { orgId: string; sandboxId: string }, run: IndexedResource): FlowRunsTable {
  const body = (run.body !== null && typeof run.body === 'object' ? run.body : {}) as {
    flowId?: unknown;
    createdAt?: unknown;
    updatedAt?: unknown;
    metrics?: { statusSummary?: { status?: unknown } };
  };
  const status = body.metrics?.statusSummary?.status;
  return {
    org_id: scope.orgId,
    sandbox_id: scope.sandboxId,
    run_id: run.id,
    flow_id: indexText(body.flowId),
    status: indexText(status),
    created_at: typeof body.createdAt === 'number' ? body.createdAt : run.createdAt,
    updated_at: typeof body.updatedAt === 'number' ? body.updatedAt : run.updatedAt,
  };
}

/**
 * A run's `flow_runs` row, written in the transaction of every write of the run. The unique index on a flow's
 * unfinished run makes a second unfinished run of one flow fail here, inside the insert that would add it.
 */
export const runIndex: KindIndex = {
  async write(trx, scope, run) {
    const row = flowRunRow(scope, run);
    await trx
      .insertInto('flow_runs')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'sandbox_id', 'run_id']).doUpdateSet({ flow_id: row.flow_id, status: row.status, created_at: row.created_at, updated_at: row.updated_at }))
      .execute();
  },
  async remove(trx, scope, id) {
    await trx.deleteFrom('flow_runs').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('run_id', '=', id).execute();
  },
};
