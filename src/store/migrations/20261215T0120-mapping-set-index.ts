import type { Kysely } from 'kysely';

/**
 * The columns `GET /mappingSets` filters and sorts on, one row per mapping set (its current version's name and
 * dates, and the row's creation time, the order of a list without `orderBy`), and one row per schema any of its
 * versions writes (what a schema change must not break). The bodies stay in `resources`. Existing mapping sets are
 * backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mapping_sets')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('mapping_set_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('name', 'varchar(1024)')
    .addColumn('created_date', 'bigint')
    .addColumn('modified_date', 'bigint')
    .addColumn('stored_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mapping_sets_pk', ['org_id', 'sandbox_id', 'mapping_set_id'])
    .execute();
  for (const column of ['created_date', 'modified_date']) {
    await db.schema.createIndex(`mapping_sets_${column}`).on('mapping_sets').columns(['org_id', 'sandbox_id', column, 'stored_at', 'mapping_set_id']).execute();
  }
  await db.schema.createIndex('mapping_sets_stored').on('mapping_sets').columns(['org_id', 'sandbox_id', 'stored_at', 'mapping_set_id']).execute();
  await db.schema
    .createTable('mapping_set_schemas')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('mapping_set_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('schema_id', 'varchar(1024)', (c) => c.notNull())
    .addPrimaryKeyConstraint('mapping_set_schemas_pk', ['org_id', 'sandbox_id', 'mapping_set_id', 'schema_id'])
    .execute();
  await db.schema.createIndex('mapping_set_schemas_schema').on('mapping_set_schemas').columns(['org_id', 'sandbox_id', 'schema_id', 'mapping_set_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mapping_set_schemas').execute();
  await db.schema.dropTable('mapping_sets').execute();
}

interface SetRow { org_id: string; sandbox_id: string; mapping_set_id: string; name: string | null; created_date: number | null; modified_date: number | null; stored_at: number }
interface SchemaRow { org_id: string; sandbox_id: string; mapping_set_id: string; schema_id: string }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number };
  mapping_sets: SetRow;
  mapping_set_schemas: SchemaRow;
}

/** Mapping sets are read and written a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 200;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('resources')
      .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at'])
      .where('kind', '=', 'conversion.mappingSet')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    const indexed = rows.map(indexRows);
    if (indexed.length > 0) await db.insertInto('mapping_sets').values(indexed.map((r) => r.set)).execute();
    const schemas = indexed.flatMap((r) => r.schemas);
    if (schemas.length > 0) await db.insertInto('mapping_set_schemas').values(schemas).execute();
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
}

/** The same reading of a body as the store's mapping-set index (a migration does not import application code). */
function indexRows(row: Omit<BackfillTables['resources'], 'kind'>): { set: SetRow; schemas: SchemaRow[] } {
  let versions: { name?: unknown; createdDate?: unknown; modifiedDate?: unknown; xdmSchema?: unknown }[] = [];
  try {
    const parsed = JSON.parse(row.body) as { versions?: unknown } | null;
    if (parsed !== null && typeof parsed === 'object' && Array.isArray(parsed.versions)) versions = parsed.versions.filter((v) => v !== null && typeof v === 'object');
  } catch {
    // an unreadable body keeps only the row's own time
  }
  const current = versions[versions.length - 1] ?? {};
  const key = { org_id: row.org_id, sandbox_id: row.sandbox_id, mapping_set_id: row.id };
  const schemaIds = new Set(versions.map((v) => v.xdmSchema).filter((id): id is string => typeof id === 'string'));
  return {
    set: {
      ...key,
      name: typeof current.name === 'string' ? current.name : null,
      created_date: typeof current.createdDate === 'number' ? current.createdDate : null,
      modified_date: typeof current.modifiedDate === 'number' ? current.modifiedDate : null,
      stored_at: Number(row.created_at),
    },
    schemas: [...schemaIds].map((schema_id) => ({ ...key, schema_id })),
  };
}
