import crypto from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * The values of each tag of every Catalog dataset and batch, one row a value, so a tag lookup reads the rows of
 * its namespace instead of every dataset and batch body of the sandbox. A namespace is found by its SHA-256
 * (`namespace_key`): it may be any JSON key, too long for an index entry. Existing datasets and batches are
 * backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_tags')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('object_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('object_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('namespace_key', 'char(64)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addPrimaryKeyConstraint('catalog_tags_pk', ['org_id', 'sandbox_id', 'object_kind', 'object_id', 'namespace_key', 'position'])
    .execute();
  await db.schema.createIndex('catalog_tags_namespace').on('catalog_tags').columns(['org_id', 'sandbox_id', 'namespace_key', 'object_kind', 'object_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('catalog_tags').execute();
}

interface TagRow { org_id: string; sandbox_id: string; object_kind: string; object_id: string; namespace_key: string; position: number; namespace: string; value: string | null }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string };
  catalog_tags: TagRow;
}

const collections = { 'catalog.dataSet': 'dataSets', 'catalog.batch': 'batches' } as const;

/** Objects are read a page at a time (by id), and their rows written a hundred at a time, so memory stays bounded. */
const pageSize = 500;
const rowsPerInsert = 100;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  for (const [kind, collection] of Object.entries(collections)) {
    let after = '';
    for (;;) {
      const objects = await db.selectFrom('resources').select(['id', 'org_id', 'sandbox_id', 'body']).where('kind', '=', kind).where('id', '>', after).orderBy('id').limit(pageSize).execute();
      const rows = objects.flatMap((object) => tagRowsOf(collection, object));
      for (let i = 0; i < rows.length; i += rowsPerInsert) await db.insertInto('catalog_tags').values(rows.slice(i, i + rowsPerInsert)).execute();
      const last = objects[objects.length - 1];
      // A short page is the last one.
      if (last === undefined || objects.length < pageSize) break;
      after = last.id;
    }
  }
}

/** The same reading of a body as the store's tag index (a migration does not import application code). */
function tagRowsOf(collection: string, object: Omit<BackfillTables['resources'], 'kind'>): TagRow[] {
  let tags: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(object.body) as { tags?: unknown } | null;
    if (parsed?.tags !== null && typeof parsed?.tags === 'object' && !Array.isArray(parsed.tags)) tags = parsed.tags as Record<string, unknown>;
  } catch {
    // an unreadable body has no tags
  }
  const rows: TagRow[] = [];
  for (const [namespace, values] of Object.entries(tags)) {
    // PostgreSQL's text holds no NUL character: a tag or value with one is left out of the rows (not of the body).
    if (!Array.isArray(values) || namespace.includes('\u0000')) continue;
    const strings = values.filter((value): value is string => typeof value === 'string' && !value.includes('\u0000'));
    const row = { org_id: object.org_id, sandbox_id: object.sandbox_id, object_kind: collection, object_id: object.id, namespace_key: crypto.createHash('sha256').update(namespace).digest('hex'), namespace };
    if (strings.length === 0) rows.push({ ...row, position: 0, value: null });
    strings.forEach((value, position) => rows.push({ ...row, position, value }));
  }
  return rows;
}
