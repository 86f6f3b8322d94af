import type { Kysely, Transaction } from 'kysely';
import { checkedResource } from '../store/checked-resource.js';
import type { Database, FlowRunsTable } from '../store/database.js';
import { ResourcesRepository, toStored, type Scope, type StoredResource } from '../store/resources.repository.js';
import { runKind } from '../store/run-index.js';
import { afterSql, conditionSql, type RunCondition, type RunListQuery } from './run-list-query.js';
import { StoredRunBody } from './stored-run.schema.js';

/** A stored run whose body has been checked against `StoredRunBody`. */
export type StoredRun = StoredResource & { body: StoredRunBody };

/** The statuses of a run that has not ended: queued for a worker, or running. At most one per flow (a unique index). */
export const unfinishedRunStatuses: readonly string[] = ['queued', 'inProgress'];

/** How many flow ids one `lastRuns` query asks for: well under both backends' limits on bound parameters. */
const idsPerQuery = 500;

/**
 * Run records (checked here once against `StoredRunBody`) and each flow's newest run. The store writes a run's
 * `flow_runs` row with every write of the run (`runIndex`). A run's first record and its flow's `flow_last_runs`
 * row are written in one transaction, so a flow answer finds its last run with one indexed read instead of reading
 * every run of the sandbox. The row names the run; the run's status and times are read from the run itself, so
 * later updates of a run (progress, its final record, recovery) need not touch it.
 *
 * @example
 * const runs = new RunsRepository(db);
 * await runs.insert(scope, flowId, { kind: runKind, id: runId, body, secret: null, etag, createdAt, updatedAt: createdAt });
 * const last = (await runs.lastRuns(scope, [flowId])).get(flowId); // the StoredResource of the newest run
 */
export class RunsRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** `work` in this repository's transaction, or in a new one. */
  private async inTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this.db as Transaction<Database>);
    return this.db.transaction().execute(work);
  }

  async get(scope: Scope, id: string): Promise<StoredRun | undefined> {
    const stored = await new ResourcesRepository(this.db).get(runKind, scope, id);
    return stored ? storedRun(stored) : undefined;
  }

  /**
   * Records a new run of `flowId` (the store adds its `flow_runs` row) and makes it the flow's last run unless a
   * newer one is already there.
   */
  async insert(scope: Scope, flowId: string, run: StoredResource & { body: StoredRunBody }): Promise<void> {
    await this.inTransaction(async (trx) => {
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

  /**
   * Optimistic update of a run's record (false when its etag is no longer `expectedEtag`); the store rewrites its
   * `flow_runs` row in the same transaction, so a list never sees a status or time the body does not have.
   */
  update(scope: Scope, run: StoredResource & { body: StoredRunBody }, expectedEtag: string): Promise<boolean> {
    return new ResourcesRepository(this.db).update(scope, run, expectedEtag);
  }

  /** The newest run of each of these flows that has one, by flow id: one indexed read per 500 flows. */
  async lastRuns(scope: Scope, flowIds: readonly string[]): Promise<Map<string, StoredRun>> {
    const found = new Map<string, StoredRun>();
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
        found.set(row.flow_id, storedRun({ kind: runKind, id: row.id, body: JSON.parse(row.body) as unknown, secret: null, etag: row.etag, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) }));
      }
    }
    return found;
  }

  /** A page of runs, by their `flow_runs` rows: only the index is read; the caller reads the page's bodies. */
  async page(scope: Scope, query: RunListQuery): Promise<FlowRunsTable[]> {
    let select = this.db
      .selectFrom('flow_runs')
      .selectAll()
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where((eb) => eb.and(query.where.map((c) => conditionSql(eb, c))));
    const after = query.after;
    if (after !== undefined) select = select.where((eb) => afterSql(eb, query.order, after));
    for (const key of query.order) select = select.orderBy(key.column, key.descending ? 'desc' : 'asc');
    const rows = await select.limit(query.limit).execute();
    return rows.map((row) => ({ ...row, created_at: Number(row.created_at), updated_at: Number(row.updated_at) }));
  }

  /** How many runs meet every condition. */
  async count(scope: Scope, where: readonly RunCondition[]): Promise<number> {
    const row = await this.db
      .selectFrom('flow_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where((eb) => eb.and(where.map((c) => conditionSql(eb, c))))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The records of these runs that exist, by id: one read per 500 ids. */
  async records(scope: Scope, runIds: readonly string[]): Promise<Map<string, StoredRun>> {
    const found = await new ResourcesRepository(this.db).getMany(runKind, scope, runIds);
    return new Map([...found].map(([id, stored]) => [id, storedRun(stored)]));
  }

  /**
   * Runs in any org and sandbox, with their scope: every unfinished one (found by `flow_runs.status`, so no finished
   * run is read), or those with these ids (500 per query). For recovery, which looks across the whole store.
   */
  async acrossSandboxes(which: { unfinished: true } | { ids: readonly string[] }): Promise<{ scope: Scope; run: StoredRun }[]> {
    const rows: Database['resources'][] = [];
    if ('unfinished' in which) {
      rows.push(
        ...(await this.db
          .selectFrom('flow_runs as indexed')
          .innerJoin('resources as run', (join) => join.onRef('run.id', '=', 'indexed.run_id').onRef('run.org_id', '=', 'indexed.org_id').onRef('run.sandbox_id', '=', 'indexed.sandbox_id').on('run.kind', '=', runKind))
          .selectAll('run')
          .where('indexed.status', 'in', [...unfinishedRunStatuses])
          .execute()),
      );
    } else {
      for (let i = 0; i < which.ids.length; i += idsPerQuery) {
        rows.push(...(await this.db.selectFrom('resources').selectAll().where('kind', '=', runKind).where('id', 'in', which.ids.slice(i, i + idsPerQuery)).execute()));
      }
    }
    return rows.map((row) => ({ scope: { orgId: row.org_id, sandboxId: row.sandbox_id }, run: storedRun(toStored(row)) }));
  }

  /** Whether a run of the flow has not ended, whichever server or worker has it. */
  async isFlowBusy(scope: Scope, flowId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('flow_runs')
      .select('run_id')
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('flow_id', '=', flowId)
      .where('status', 'in', unfinishedRunStatuses)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every flow with a run that has not ended, in every org and sandbox: one read, for a scheduler's pass. */
  async busyFlows(): Promise<{ scope: Scope; flowId: string }[]> {
    const rows = await this.db.selectFrom('flow_runs').select(['org_id', 'sandbox_id', 'flow_id']).where('status', 'in', unfinishedRunStatuses).execute();
    return rows.map((row) => ({ scope: { orgId: row.org_id, sandboxId: row.sandbox_id }, flowId: row.flow_id ?? '' }));
  }

  /** Which of these runs (in any sandbox) have not ended: 500 ids per query. */
  async unfinishedOf(runIds: readonly string[]): Promise<Set<string>> {
    const open = new Set<string>();
    for (let i = 0; i < runIds.length; i += idsPerQuery) {
      const rows = await this.db.selectFrom('flow_runs').select('run_id').where('run_id', 'in', runIds.slice(i, i + idsPerQuery)).where('status', 'in', unfinishedRunStatuses).execute();
      for (const row of rows) open.add(row.run_id);
    }
    return open;
  }

  /** Drops a deleted flow's row; its runs themselves stay listed under GET /runs, as before. */
  async forgetFlow(scope: Scope, flowId: string): Promise<void> {
    await this.db.deleteFrom('flow_last_runs').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('flow_id', '=', flowId).execute();
  }
}

/** A stored run, checked: a body of another shape is a store edited by hand, and fails loudly here. */
export function storedRun(stored: StoredResource): StoredRun {
  return checkedResource(StoredRunBody, stored, 'run');
}
