import type { Kysely } from 'kysely';

/**
 * The columns the Flow Service's connection lists filter and sort on, one row per base, source or target
 * connection (`kind` tells which): name, connection spec, base connection, state, the dataset a target writes
 * into, and the body's `createdAt`/`updatedAt`. The bodies stay in `resources`; lists page through this table
 * and read only the bodies of their page. Existing connections are backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_service_connections')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('connection_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('name', 'varchar(1024)')
    .addColumn('connection_spec_id', 'varchar(255)')
    .addColumn('base_connection_id', 'varchar(512)')
    .addColumn('state', 'varchar(64)')
    .addColumn('data_set_id', 'varchar(512)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_service_connections_pk', ['org_id', 'sandbox_id', 'kind', 'connection_id'])
    .execute();
  // Each ends in the id, the tie-break of every order.
  const indexed = ['created_at', 'updated_at', 'connection_spec_id', 'base_connection_id', 'data_set_id'];
  for (const column of indexed) {
    await db.schema.createIndex(`flow_service_connections_${column}`).on('flow_service_connections').columns(['org_id', 'sandbox_id', 'kind', column, 'connection_id']).execute();
  }
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_service_connections').execute();
}

interface ConnectionRow {
  org_id: string;
  sandbox_id: string;
  kind: string;
  connection_id: string;
  name: string | null;
  connection_spec_id: string | null;
  base_connection_id: string | null;
  state: string | null;
  data_set_id: string | null;
  created_at: number;
  updated_at: number;
}

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number; updated_at: number };
  flow_service_connections: ConnectionRow;
}

const kinds = ['flowservice.connection', 'flowservice.sourceConnection', 'flowservice.targetConnection'];

/** Connections are read and written a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 500;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  for (const kind of kinds) {
    let after = '';
    for (;;) {
      const rows = await db
        .selectFrom('resources')
        .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at', 'updated_at'])
        .where('kind', '=', kind)
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (rows.length > 0) await db.insertInto('flow_service_connections').values(rows.map((row) => indexRow(kind, row))).execute();
      const last = rows[rows.length - 1];
      // A short page is the last one.
      if (last === undefined || rows.length < pageSize) break;
      after = last.id;
    }
  }
}

/** The same reading of a body as the store's connection index (a migration does not import application code). */
function indexRow(kind: string, row: Omit<BackfillTables['resources'], 'kind'>): ConnectionRow {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(row.body) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // an unreadable body keeps only the row's own times
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const field = (value: unknown, key: string) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);
  return {
    org_id: row.org_id,
    sandbox_id: row.sandbox_id,
    kind,
    connection_id: row.id,
    name: text(body.name),
    connection_spec_id: text(field(body.connectionSpec, 'id')),
    base_connection_id: text(body.baseConnectionId),
    state: text(body.state),
    data_set_id: text(field(body.params, 'dataSetId')),
    created_at: typeof body.createdAt === 'number' ? body.createdAt : Number(row.created_at),
    updated_at: typeof body.updatedAt === 'number' ? body.updatedAt : Number(row.updated_at),
  };
}
