import type { Kysely } from 'kysely';

/**
 * The columns `GET /batches` filters and sorts on, one row per Catalog batch: its dataset, its status, its own
 * `created` and `updated` (the body's, which the API shows), and the row's creation time (the order of a list
 * without `orderBy`). The bodies stay in `resources`; lists page through this table and read only the bodies of
 * their page. Existing batches are backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_batches')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('batch_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('data_set_id', 'varchar(512)')
    .addColumn('status', 'varchar(64)')
    .addColumn('created', 'bigint')
    .addColumn('updated', 'bigint')
    .addColumn('stored_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_batches_pk', ['org_id', 'sandbox_id', 'batch_id'])
    .execute();
  // Each ends in the default order (stored_at, batch_id), the tie-break of every order.
  await db.schema.createIndex('catalog_batches_stored').on('catalog_batches').columns(['org_id', 'sandbox_id', 'stored_at', 'batch_id']).execute();
  await db.schema.createIndex('catalog_batches_data_set').on('catalog_batches').columns(['org_id', 'sandbox_id', 'data_set_id', 'stored_at', 'batch_id']).execute();
  await db.schema.createIndex('catalog_batches_created').on('catalog_batches').columns(['org_id', 'sandbox_id', 'created', 'stored_at', 'batch_id']).execute();
  await db.schema.createIndex('catalog_batches_updated').on('catalog_batches').columns(['org_id', 'sandbox_id', 'updated', 'stored_at', 'batch_id']).execute();
  // Status first: it serves a sandbox's `status=x` lists and the sweeps for batches in one status in every sandbox.
  await db.schema.createIndex('catalog_batches_status').on('catalog_batches').columns(['status', 'org_id', 'sandbox_id', 'stored_at', 'batch_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('catalog_batches').execute();
}

interface BatchRow { org_id: string; sandbox_id: string; batch_id: string; data_set_id: string | null; status: string | null; created: number | null; updated: number | null; stored_at: number }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number };
  catalog_batches: BatchRow;
}

/** Batches are read and written a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 500;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('resources')
      .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at'])
      .where('kind', '=', 'catalog.batch')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length > 0) await db.insertInto('catalog_batches').values(rows.map(indexRow)).execute();
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
}

/** The same reading of a body as the store's batch index (a migration does not import application code). */
function indexRow(row: Omit<BackfillTables['resources'], 'kind'>): BatchRow {
  let body: { relatedObjects?: unknown; status?: unknown; created?: unknown; updated?: unknown } = {};
  try {
    const parsed = JSON.parse(row.body) as unknown;
    if (parsed !== null && typeof parsed === 'object') body = parsed;
  } catch {
    // an unreadable body keeps only the row's own time
  }
  const related = Array.isArray(body.relatedObjects) ? (body.relatedObjects as unknown[]) : [];
  const dataSet = related.find((o): o is { id: string } => o !== null && typeof o === 'object' && (o as { type?: unknown }).type === 'dataSet' && typeof (o as { id?: unknown }).id === 'string');
  return {
    org_id: row.org_id,
    sandbox_id: row.sandbox_id,
    batch_id: row.id,
    data_set_id: dataSet?.id ?? null,
    status: typeof body.status === 'string' ? body.status : null,
    created: typeof body.created === 'number' ? body.created : null,
    updated: typeof body.updated === 'number' ? body.updated : null,
    stored_at: Number(row.created_at),
  };
}
