import type { Kysely } from 'kysely';

/**
 * Records a streaming inlet accepted and that have not landed yet. A record is written here before the inlet
 * answers, and deleted in the transaction that commits the batch it landed in: neither lost nor landed twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stream_records')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('target', 'varchar(1024)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('batch_id', 'varchar(64)')
    .addColumn('claimed_at', 'bigint')
    .execute();
  await db.schema.createIndex('stream_records_pending').on('stream_records').columns(['batch_id', 'target', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stream_records').execute();
}
