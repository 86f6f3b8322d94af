import type { Kysely } from 'kysely';

/**
 * The Schema Registry's audit log: one row per write to a tenant class, field group, data type or schema, kept
 * after the resource is deleted so that its history (and who deleted it) can still be read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registry_audit_log')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource_id', 'varchar(512)', (c) => c.notNull())
    .addColumn('resource_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('updates', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_audit_log_resource').on('registry_audit_log').columns(['org_id', 'sandbox_id', 'resource_id', 'recorded_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('registry_audit_log').execute();
}
