import type { Kysely } from 'kysely';

/**
 * An HTTP API connection's inlet id (`auth.params.inletId`) as a column of the connection index, indexed on its
 * own: a record sent to an inlet URL names only the inlet, in whatever org and sandbox, and every request looks
 * it up. Existing base connections are backfilled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('flow_service_connections').addColumn('inlet_id', 'varchar(255)').execute();
  await db.schema.createIndex('flow_service_connections_inlet').on('flow_service_connections').column('inlet_id').execute();
  await backfill(db as Kysely<BackfillTables>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('flow_service_connections_inlet').execute();
  await db.schema.alterTable('flow_service_connections').dropColumn('inlet_id').execute();
}

interface BackfillTables {
  resources: { kind: string; id: string; org_id: string; sandbox_id: string; body: string };
  flow_service_connections: { org_id: string; sandbox_id: string; kind: string; connection_id: string; inlet_id: string | null };
}

const baseKind = 'flowservice.connection';

/** Connections are read a page at a time (by id) so a large store is never held in memory at once. */
const pageSize = 500;

async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('resources').select(['id', 'org_id', 'sandbox_id', 'body']).where('kind', '=', baseKind).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    for (const row of rows) {
      const inletId = inletOf(row.body);
      if (inletId === null) continue;
      await db
        .updateTable('flow_service_connections')
        .set({ inlet_id: inletId })
        .where('org_id', '=', row.org_id)
        .where('sandbox_id', '=', row.sandbox_id)
        .where('kind', '=', baseKind)
        .where('connection_id', '=', row.id)
        .execute();
    }
    const last = rows[rows.length - 1];
    // A short page is the last one.
    if (last === undefined || rows.length < pageSize) break;
    after = last.id;
  }
}

/** The same reading of a body as the store's connection index (a migration does not import application code). */
function inletOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { auth?: { params?: { inletId?: unknown } } } | null;
    const inletId = parsed?.auth?.params?.inletId;
    return typeof inletId === 'string' ? inletId : null;
  } catch {
    return null;
  }
}
