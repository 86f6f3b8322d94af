import type { Kysely } from 'kysely';

/**
 * A row per Schema Registry document (tenant component or descriptor), so the registry's lists page in SQL on a
 * title key, and lookups by `meta:altId`, a schema's descriptors and a union's members are found without reading
 * every document of the sandbox. Existing documents are backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registry_documents')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('id', 'varchar(512)', (c) => c.notNull())
    .addColumn('alt_id', 'text')
    // Hex of at most 200 bytes: 400 characters, within any index entry.
    .addColumn('title_key', 'varchar(400)')
    .addColumn('source_schema', 'text')
    .addColumn('union_class', 'text')
    .addPrimaryKeyConstraint('registry_documents_pk', ['org_id', 'sandbox_id', 'kind', 'id'])
    .execute();
  await db.schema.createIndex('registry_documents_title').on('registry_documents').columns(['org_id', 'sandbox_id', 'kind', 'title_key', 'id']).execute();
  await db.schema.createIndex('registry_documents_alt_id').on('registry_documents').columns(['org_id', 'sandbox_id', 'alt_id']).execute();
  await db.schema.createIndex('registry_documents_source_schema').on('registry_documents').columns(['org_id', 'sandbox_id', 'source_schema']).execute();
  await db.schema
    .createTable('registry_references')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('id', 'varchar(512)', (c) => c.notNull())
    .addColumn('referenced_id', 'varchar(512)', (c) => c.notNull())
    .addPrimaryKeyConstraint('registry_references_pk', ['org_id', 'sandbox_id', 'kind', 'id', 'referenced_id'])
    .execute();
  await db.schema.createIndex('registry_references_referenced').on('registry_references').columns(['org_id', 'sandbox_id', 'referenced_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('registry_references').execute();
  await db.schema.dropTable('registry_documents').execute();
}

interface DocumentRow { org_id: string; sandbox_id: string; kind: string; id: string; alt_id: string | null; title_key: string | null; source_schema: string | null; union_class: string | null }

interface ReferenceRow { org_id: string; sandbox_id: string; kind: string; id: string; referenced_id: string }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string };
  registry_documents: DocumentRow;
  registry_references: ReferenceRow;
}

const componentKinds = ['xdm.schemas', 'xdm.classes', 'xdm.mixins', 'xdm.datatypes'];
const descriptorKind = 'xdm.descriptors';

/** Documents are read a page at a time (by id), so memory stays bounded. */
const pageSize = 500;
const rowsPerInsert = 100;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  for (const kind of [...componentKinds, descriptorKind]) {
    let after = '';
    for (;;) {
      const documents = await db.selectFrom('resources').select(['id', 'org_id', 'sandbox_id', 'body']).where('kind', '=', kind).where('id', '>', after).orderBy('id').limit(pageSize).execute();
      const rows = documents.map((document) => rowOf(kind, document));
      for (let i = 0; i < rows.length; i += rowsPerInsert) await db.insertInto('registry_documents').values(rows.slice(i, i + rowsPerInsert)).execute();
      const references = documents.flatMap((document) => referencesOf(kind, document));
      for (let i = 0; i < references.length; i += rowsPerInsert) await db.insertInto('registry_references').values(references.slice(i, i + rowsPerInsert)).execute();
      const last = documents[documents.length - 1];
      // A short page is the last one.
      if (last === undefined || documents.length < pageSize) break;
      after = last.id;
    }
  }
}

/** The same reading of a body as the store's registry index (a migration does not import application code). */
function rowOf(kind: string, document: Omit<BackfillTables['resources'], 'kind'>): DocumentRow {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(document.body) as unknown;
    if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // an unreadable body gives an empty row
  }
  // PostgreSQL's text holds no NUL character: such a value is left out of the row (not of the body).
  const text = (value: unknown) => (typeof value === 'string' && !value.includes('\u0000') ? value : null);
  const descriptor = kind === descriptorKind;
  const title = body.title;
  return {
    org_id: document.org_id,
    sandbox_id: document.sandbox_id,
    kind,
    id: document.id,
    alt_id: descriptor ? null : text(body['meta:altId']),
    title_key: !descriptor && typeof title === 'string' ? Buffer.from(title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase(), 'utf8').subarray(0, 200).toString('hex') : null,
    source_schema: descriptor ? text(body['xdm:sourceSchema']) : null,
    union_class: kind === 'xdm.schemas' && Array.isArray(body['meta:immutableTags']) && body['meta:immutableTags'].includes('union') ? text(body['meta:class']) : null,
  };
}

/** The ids a document names, as the store's registry index reads them: a component's `https://` ids, a descriptor's destination. */
function referencesOf(kind: string, document: Omit<BackfillTables['resources'], 'kind'>): ReferenceRow[] {
  let body: unknown;
  try {
    body = JSON.parse(document.body);
  } catch {
    return [];
  }
  const named = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string' && value.startsWith('https://')) named.add(value.split('#')[0] as string);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  if (kind !== descriptorKind) walk(body);
  else if (body !== null && typeof body === 'object' && typeof (body as Record<string, unknown>)['xdm:destinationSchema'] === 'string') named.add((body as Record<string, string>)['xdm:destinationSchema'] as string);
  named.delete(document.id);
  return [...named].filter((id) => id.length <= 512 && !id.includes('\u0000')).map((referenced_id) => ({ org_id: document.org_id, sandbox_id: document.sandbox_id, kind, id: document.id, referenced_id }));
}
