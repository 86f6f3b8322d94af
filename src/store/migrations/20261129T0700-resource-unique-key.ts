import type { Kysely } from 'kysely';

/**
 * A per-kind unique name inside a sandbox (schema titles, ...), enforced by the database so that two
 * concurrent creates cannot both pass a check-then-insert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resources').addColumn('unique_key', 'varchar(1024)').execute();
  await db.schema.createIndex('resources_unique_key').unique().on('resources').columns(['kind', 'org_id', 'sandbox_id', 'unique_key']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('resources_unique_key').execute();
  await db.schema.alterTable('resources').dropColumn('unique_key').execute();
}
