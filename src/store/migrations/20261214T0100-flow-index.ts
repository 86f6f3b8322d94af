import type { Kysely } from 'kysely';

/**
 * The columns `GET /flows` filters and sorts on: one `flows` row per flow (name, flow spec, state, its own
 * `createdAt` and `updatedAt`), and one `flow_connections` row per id in its `sourceConnectionIds` and
 * `targetConnectionIds` (a flow may have several of each, and a filter on them means "any of them"). The bodies
 * stay in `resources`; lists page through these tables and read only the bodies of their page. Existing flows are
 * backfilled here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flows')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('flow_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('flow_spec_id', 'varchar(512)')
    .addColumn('state', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flows_pk', ['org_id', 'sandbox_id', 'flow_id'])
    .execute();
  // Each ends in flow_id: the tie-break of every order, so a keyset page is one index range.
  await db.schema.createIndex('flows_created').on('flows').columns(['org_id', 'sandbox_id', 'created_at', 'flow_id']).execute();
  await db.schema.createIndex('flows_updated').on('flows').columns(['org_id', 'sandbox_id', 'updated_at', 'flow_id']).execute();
  await db.schema.createIndex('flows_spec').on('flows').columns(['org_id', 'sandbox_id', 'flow_spec_id', 'flow_id']).execute();
  await db.schema.createIndex('flows_state').on('flows').columns(['org_id', 'sandbox_id', 'state', 'flow_id']).execute();
  await db.schema
    .createTable('flow_connections')
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('flow_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('direction', 'varchar(16)', (c) => c.notNull())
    .addColumn('connection_id', 'varchar(512)', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_connections_pk', ['org_id', 'sandbox_id', 'flow_id', 'direction', 'connection_id'])
    .execute();
  // "The flows of this connection": a filter on sourceConnectionIds, and the check before a connection is deleted.
  await db.schema.createIndex('flow_connections_connection').on('flow_connections').columns(['org_id', 'sandbox_id', 'direction', 'connection_id', 'flow_id']).execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_connections').execute();
  await db.schema.dropTable('flows').execute();
}

interface FlowRow { org_id: string; sandbox_id: string; flow_id: string; name: string | null; flow_spec_id: string | null; state: string | null; created_at: number; updated_at: number }
interface FlowConnectionRow { org_id: string; sandbox_id: string; flow_id: string; direction: string; connection_id: string }

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string; created_at: number; updated_at: number };
  flows: FlowRow;
  flow_connections: FlowConnectionRow;
}

/** Flows are read and written a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 500;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('resources')
      .select(['id', 'org_id', 'sandbox_id', 'body', 'created_at', 'updated_at'])
      .where('kind', '=', 'flowservice.flow')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    const indexed = rows.map(indexRows);
    if (indexed.length > 0) await db.insertInto('flows').values(indexed.map((i) => i.flow)).execute();
    const connections = indexed.flatMap((i) => i.connections);
    // Each insert binds 5 values a row: 200 rows stay well under both backends' limits on bound parameters.
    for (let i = 0; i < connections.length; i += 200) await db.insertInto('flow_connections').values(connections.slice(i, i + 200)).execute();
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
}

/** The same reading of a body as the store's flow index (a migration does not import application code). */
function indexRows(row: Omit<BackfillTables['resources'], 'kind'>): { flow: FlowRow; connections: FlowConnectionRow[] } {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(row.body) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // an unreadable body keeps the row's own columns below
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const spec = body.flowSpec !== null && typeof body.flowSpec === 'object' ? (body.flowSpec as { id?: unknown }).id : undefined;
  const key = { org_id: row.org_id, sandbox_id: row.sandbox_id, flow_id: row.id };
  const connections = ([['source', 'sourceConnectionIds'], ['target', 'targetConnectionIds']] as const).flatMap(([direction, field]) => {
    const ids = body[field];
    const unique = new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
    return [...unique].map((connection_id) => ({ ...key, direction, connection_id }));
  });
  return {
    flow: {
      ...key,
      name: text(body.name),
      flow_spec_id: text(spec),
      state: text(body.state),
      created_at: typeof body.createdAt === 'number' ? body.createdAt : Number(row.created_at),
      updated_at: typeof body.updatedAt === 'number' ? body.updatedAt : Number(row.updated_at),
    },
    connections,
  };
}
