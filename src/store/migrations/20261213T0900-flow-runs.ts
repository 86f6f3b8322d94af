import type { Kysely } from 'kysely';

/**
 * The columns `GET /runs` filters and sorts on, one row per run: its flow, its status, and its own `createdAt` and
 * `updatedAt` (the body's, which the API shows; not the row's write times). The run's body stays in `resources`;
 * lists page through this table and read only the bodies of their page. Existing runs are backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_runs')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('run_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('flow_id', 'varchar(512)')
    .addColumn('status', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_runs_pk', ['org_id', 'sandbox_id', 'run_id'])
    .execute();
  // Each ends in run_id: the tie-break of every order, so a keyset page is one index range.
  await db.schema.createIndex('flow_runs_created').on('flow_runs').columns(['org_id', 'sandbox_id', 'created_at', 'run_id']).execute();
  await db.schema.createIndex('flow_runs_updated').on('flow_runs').columns(['org_id', 'sandbox_id', 'updated_at', 'run_id']).execute();
  await db.schema.createIndex('flow_runs_flow').on('flow_runs').columns(['org_id', 'sandbox_id', 'flow_id', 'created_at', 'run_id']).execute();
  // Status first: it serves a sandbox's `status==x` lists and recovery's search for unfinished runs in every sandbox.
  await db.schema.createIndex('flow_runs_status').on('flow_runs').columns(['status', 'org_id', 'sandbox_id', 'created_at', 'run_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_runs').execute();
}

interface FlowRunRow { org_id: string; sandbox_id: string; run_id: string; flow_id: string | null; status: string | null; created_at: number; updated_at: number }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number; updated_at: number };
  flow_runs: FlowRunRow;
}

/** Runs are read and written a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 500;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('resources')
      .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at', 'updated_at'])
      .where('kind', '=', 'flowservice.run')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length > 0) await db.insertInto('flow_runs').values(rows.map(indexRow)).execute();
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
}

/** The same reading of a body as the runs repository's (a migration does not import application code). */
function indexRow(row: Omit<BackfillTables['resources'], 'kind'>): FlowRunRow {
  let body: { flowId?: unknown; createdAt?: unknown; updatedAt?: unknown; metrics?: { statusSummary?: { status?: unknown } } } = {};
  try {
    const parsed = JSON.parse(row.body) as unknown;
    if (parsed !== null && typeof parsed === 'object') body = parsed;
  } catch {
    // an unreadable body keeps the row's own columns below
  }
  const status = body.metrics?.statusSummary?.status;
  return {
    org_id: row.org_id,
    sandbox_id: row.sandbox_id,
    run_id: row.id,
    flow_id: typeof body.flowId === 'string' ? body.flowId : null,
    status: typeof status === 'string' ? status : null,
    created_at: typeof body.createdAt === 'number' ? body.createdAt : Number(row.created_at),
    updated_at: typeof body.updatedAt === 'number' ? body.updatedAt : Number(row.updated_at),
  };
}
