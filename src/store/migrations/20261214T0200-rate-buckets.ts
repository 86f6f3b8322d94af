import type { Kysely } from 'kysely';

/**
 * The token buckets of providers' rate limits, one row per connection, shared by every process on the store:
 * the tokens left when it was last taken from (below zero when tokens are reserved ahead), and when that was on
 * the database's clock (epoch ms with its fraction: rounding it would credit some time twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_buckets')
    .addColumn('key', 'varchar(512)', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'double precision', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_buckets').execute();
}
