import type { Kysely } from 'kysely';

/**
 * Each flow's newest run, so that a flow answer's `lastRunDetails` is one indexed read instead of a scan of every
 * run in the sandbox. The engine writes the row in the transaction that records a run's start; existing runs are
 * backfilled here, newest by `created_at` and then the smallest id, as the flow answer picked them before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_last_runs')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('flow_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('run_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_last_runs_pk', ['org_id', 'sandbox_id', 'flow_id'])
    .execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_last_runs').execute();
}

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number };
  flow_last_runs: { org_id: string; sandbox_id: string; flow_id: string; run_id: string; created_at: number };
}

/** Runs are read a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 1000;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  const newest = new Map<string, { org_id: string; sandbox_id: string; flow_id: string; run_id: string; created_at: number }>();
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('resources')
      .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at'])
      .where('kind', '=', 'flowservice.run')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const flowId = flowIdOf(row.body);
      if (flowId === undefined) continue;
      const key = JSON.stringify([row.org_id, row.sandbox_id, flowId]);
      const createdAt = Number(row.created_at);
      const known = newest.get(key);
      if (!known || createdAt > known.created_at || (createdAt === known.created_at && row.id < known.run_id)) {
        newest.set(key, { org_id: row.org_id, sandbox_id: row.sandbox_id, flow_id: flowId, run_id: row.id, created_at: createdAt });
      }
    }
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
  const values = [...newest.values()];
  for (let i = 0; i < values.length; i += pageSize) await db.insertInto('flow_last_runs').values(values.slice(i, i + pageSize)).execute();
}

function flowIdOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { flowId?: unknown };
    return typeof parsed.flowId === 'string' ? parsed.flowId : undefined;
  } catch {
    return undefined;
  }
}
