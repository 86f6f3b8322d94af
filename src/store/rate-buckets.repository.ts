import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';
import { databaseNowMs, type DialectAdapter } from './dialect-adapter.js';

/**
 * Token buckets in the metadata store, each reserved from by one statement: refill by the time since the last
 * reservation on the database's clock, then take `count` tokens, going below zero if need be; the caller waits
 * until the refill has paid them back. The row lock of that one upsert orders the processes, so no two spend the
 * same tokens, each gets its place in line in one round trip, and no process's own clock enters.
 *
 * @example
 * const buckets = new RateBucketsRepository(store);
 * const { waitMs } = await buckets.reserve('Stripe:5d3c…', { requestsPerSecond: 25, capacity: 21 }, 5);
 */
export class RateBucketsRepository {
  private readonly db: Kysely<Database>;
  private readonly backend: DialectAdapter['name'];

  constructor(store: { db: Kysely<Database>; backend: DialectAdapter['name'] }) {
    this.db = store.db;
    this.backend = store.backend;
  }

  async reserve(key: string, rate: { requestsPerSecond: number; capacity: number }, count: number): Promise<{ waitMs: number }> {
    const now = databaseNowMs(this.backend);
    const capacity = real(rate.capacity);
    // A database clock that stepped back refills nothing until it has caught up, and `updated_at` never goes back:
    // time is credited once. A statement that waited for the row lock behind a later one is credited nothing.
    const elapsed = sql<number>`CASE WHEN ${now} > rate_buckets.updated_at THEN ${now} - rate_buckets.updated_at ELSE 0 END`;
    const refilled = sql<number>`rate_buckets.tokens + ${elapsed} * ${real(rate.requestsPerSecond / 1000)}`;
    const row = await this.db
      .insertInto('rate_buckets')
      .values({ key, tokens: sql<number>`${capacity} - ${real(count)}`, updated_at: now })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          tokens: sql<number>`(CASE WHEN ${refilled} > ${capacity} THEN ${capacity} ELSE ${refilled} END) - ${real(count)}`,
          updated_at: sql<number>`CASE WHEN ${now} > rate_buckets.updated_at THEN ${now} ELSE rate_buckets.updated_at END`,
        }),
      )
      .returning('tokens')
      .executeTakeFirstOrThrow();
    const owed = -Number(row.tokens);
    return { waitMs: owed > 0 ? Math.ceil((owed / rate.requestsPerSecond) * 1000) : 0 };
  }
}

/** Numbers as doubles in both databases: PostgreSQL would otherwise guess a parameter's type from its neighbours. */
function real(value: number): RawBuilder<number> {
  return sql<number>`CAST(${value} AS double precision)`;
}
