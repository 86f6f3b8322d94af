import type { Kysely } from 'kysely';

// Migrations are typed against an untyped database and never import application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('orgs')
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('api_clients')
    .addColumn('client_id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull().references('orgs.id'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sandboxes')
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull().references('orgs.id'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('title', 'varchar(255)', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(255)', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('sandboxes_org_name', ['org_id', 'name'])
    .execute();
  await db.schema
    .createTable('resources')
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('id', 'varchar(512)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('sandbox_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('etag', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resources_pk', ['kind', 'id'])
    .execute();
  await db.schema.createIndex('resources_scope').on('resources').columns(['org_id', 'sandbox_id', 'kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['resources', 'sandboxes', 'api_clients', 'orgs']) await db.schema.dropTable(table).execute();
}
