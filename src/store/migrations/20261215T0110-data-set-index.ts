import type { Kysely } from 'kysely';

/**
 * The columns `GET /dataSets` filters and sorts on, one row per Catalog dataset: its name, its schema, its SQL
 * table name (the `adobe/pqs/table` tag), its state,
 * its own `created` and `updated` (the body's, which the API shows), and the row's creation time (the order of a
 * list without `orderBy`). The bodies stay in `resources`; lists page through this table and read only the bodies
 * of their page. Existing datasets are backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_data_sets')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('data_set_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('name', 'varchar(1024)')
    .addColumn('schema_id', 'varchar(1024)')
    .addColumn('table_name', 'varchar(1024)')
    .addColumn('state', 'varchar(64)')
    .addColumn('created', 'bigint')
    .addColumn('updated', 'bigint')
    .addColumn('stored_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_data_sets_pk', ['org_id', 'sandbox_id', 'data_set_id'])
    .execute();
  // Each ends in the default order (stored_at, data_set_id), the tie-break of every order.
  for (const column of ['name', 'schema_id', 'created', 'updated']) {
    await db.schema.createIndex(`catalog_data_sets_${column}`).on('catalog_data_sets').columns(['org_id', 'sandbox_id', column, 'stored_at', 'data_set_id']).execute();
  }
  await db.schema.createIndex('catalog_data_sets_stored').on('catalog_data_sets').columns(['org_id', 'sandbox_id', 'stored_at', 'data_set_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('catalog_data_sets').execute();
}

interface DataSetRow { org_id: string; sandbox_id: string; data_set_id: string; name: string | null; schema_id: string | null; table_name: string | null; state: string | null; created: number | null; updated: number | null; stored_at: number }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number };
  catalog_data_sets: DataSetRow;
}

/** Datasets are read and written a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 500;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('resources')
      .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at'])
      .where('kind', '=', 'catalog.dataSet')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length > 0) await db.insertInto('catalog_data_sets').values(rows.map(indexRow)).execute();
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
}

/** The same reading of a body as the store's dataset index (a migration does not import application code). */
function indexRow(row: Omit<BackfillTables['resources'], 'kind'>): DataSetRow {
  let body: { name?: unknown; schemaRef?: unknown; state?: unknown; created?: unknown; updated?: unknown; tags?: unknown } = {};
  try {
    const parsed = JSON.parse(row.body) as unknown;
    if (parsed !== null && typeof parsed === 'object') body = parsed;
  } catch {
    // an unreadable body keeps only the row's own time
  }
  const schemaRef = body.schemaRef !== null && typeof body.schemaRef === 'object' ? (body.schemaRef as { id?: unknown }) : {};
  return {
    org_id: row.org_id,
    sandbox_id: row.sandbox_id,
    data_set_id: row.id,
    name: typeof body.name === 'string' && !body.name.includes('\u0000') ? body.name : null,
    schema_id: typeof schemaRef.id === 'string' ? schemaRef.id : null,
    table_name: tableNameOf(body.tags),
    state: typeof body.state === 'string' ? body.state : null,
    created: typeof body.created === 'number' ? body.created : null,
    updated: typeof body.updated === 'number' ? body.updated : null,
    stored_at: Number(row.created_at),
  };
}

/** The first value of the `adobe/pqs/table` tag, as the store's dataset index reads it. */
function tableNameOf(tags: unknown): string | null {
  const values = tags !== null && typeof tags === 'object' ? (tags as Record<string, unknown>)['adobe/pqs/table'] : undefined;
  const first: unknown = Array.isArray(values) ? values[0] : undefined;
  return typeof first === 'string' && !first.includes('\u0000') ? first : null;
}
