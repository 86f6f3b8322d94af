import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../store/resources.repository.js';
import { runKind } from './run-document.js';

/** How many flow ids one `lastRuns` query asks for: well under both backends' limits on bound parameters. */
const idsPerQuery = 500;

/**
 * Run records and each flow's newest run. A run's first record and its flow's `flow_last_runs` row are written in
 * one transaction, so a flow answer finds its last run with one indexed read instead of reading every run of the
 * sandbox. The row names the run; the run's status and times are read from the run itself, so later updates of a
 * run (progress, its final record, recovery) need not touch it.
 *
 * @example
 * const runs = new RunsRepository(db);
 * await runs.insert(scope, flowId, { kind: runKind, id: runId, body, secret: null, etag, createdAt, updatedAt: createdAt });
 * const last = (await runs.lastRuns(scope, [flowId])).get(flowId); // the StoredResource of the newest run
 */
export class RunsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a new run of `flowId` and makes it the flow's last run unless a newer one is already there. */
  async insert(scope: Scope, flowId: string, run: StoredResource): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await new ResourcesRepository(trx).insert(scope, run);
      await trx
        .insertInto('flow_last_runs')
        .values({ org_id: scope.orgId, sandbox_id: scope.sandboxId, flow_id: flowId, run_id: run.id, created_at: run.createdAt })
        .onConflict((oc) =>
          oc
            .columns(['org_id', 'sandbox_id', 'flow_id'])
            .doUpdateSet({ run_id: (eb) => eb.ref('excluded.run_id'), created_at: (eb) => eb.ref('excluded.created_at') })
            // Newest first, then the smallest id: the order GET /runs lists a flow's runs in.
            .where((eb) =>
              eb.or([
                eb('excluded.created_at', '>', eb.ref('flow_last_runs.created_at')),
                eb.and([eb('excluded.created_at', '=', eb.ref('flow_last_runs.created_at')), eb('excluded.run_id', '<', eb.ref('flow_last_runs.run_id'))]),
              ]),
            ),
        )
        .execute();
    });
  }

  /** The newest run of each of these flows that has one, by flow id: one indexed read per 500 flows. */
  async lastRuns(scope: Scope, flowIds: readonly string[]): Promise<Map<string, StoredResource>> {
    const found = new Map<string, StoredResource>();
    const unique = [...new Set(flowIds)];
    for (let i = 0; i < unique.length; i += idsPerQuery) {
      const rows = await this.db
        .selectFrom('flow_last_runs as last')
        .innerJoin('resources as run', (join) => join.onRef('run.id', '=', 'last.run_id').on('run.kind', '=', runKind))
        .select(['last.flow_id', 'run.id', 'run.body', 'run.etag', 'run.created_at', 'run.updated_at'])
        .where('last.org_id', '=', scope.orgId)
        .where('last.sandbox_id', '=', scope.sandboxId)
        .where('last.flow_id', 'in', unique.slice(i, i + idsPerQuery))
        .where('run.org_id', '=', scope.orgId)
        .where('run.sandbox_id', '=', scope.sandboxId)
        .execute();
      for (const row of rows) {
        found.set(row.flow_id, {
          kind: runKind,
          id: row.id,
          body: JSON.parse(row.body) as unknown,
          secret: null,
          etag: row.etag,
          createdAt: Number(row.created_at),
          updatedAt: Number(row.updated_at),
        });
      }
    }
    return found;
  }

  /** Drops a deleted flow's row; its runs themselves stay listed under GET /runs, as before. */
  async forgetFlow(scope: Scope, flowId: string): Promise<void> {
    await this.db.deleteFrom('flow_last_runs').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('flow_id', '=', flowId).execute();
  }
}
