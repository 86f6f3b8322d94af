/**
 * bench:db's source table: a payments-like PostgreSQL table of N rows, seeded with generate_series in a schema of its
 * own and kept for the next run (seeding 5M rows takes minutes; a table of the right size is used as it is).
 */
import pg from 'pg';

export const benchSchema = 'benchdb';

/** The table's columns, in order: what both sides read. */
export const paymentColumns = ['id', 'created_at', 'updated_at', 'amount', 'fee', 'currency', 'status', 'payment_method', 'customer_id', 'country', 'description', 'metadata'] as const;

/** `benchdb.payments_<rows>`: one table per size, so quick and full runs each keep theirs. */
export function tableName(rows: number): string {
  return `${benchSchema}.payments_${rows}`;
}

export interface SeedResult {
  /** False when a table of the right size was there already. */
  seeded: boolean;
  seconds: number;
  /** The table's size on disk, indexes and TOAST included. */
  megabytes: number;
}

/**
 * Creates and fills the table unless one with exactly `rows` rows (ids 1..rows) is there; `reseed` drops it first.
 * Every 10th row has no fee and every 7th no description (NULLs are part of real tables); `metadata` is a small
 * jsonb document with a nested object and an array; `updated_at` lies between `created_at` and 2025-12-31.
 */
export async function ensurePaymentsTable(client: pg.Client, rows: number, reseed: boolean): Promise<SeedResult> {
  const table = tableName(rows);
  const started = performance.now();
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${benchSchema}`);
  const present = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
  if (present.rows[0]?.exists && !reseed) {
    const counted = await client.query<{ n: string; low: string | null; high: string | null }>(`SELECT count(*) AS n, min(id) AS low, max(id) AS high FROM ${table}`);
    const found = counted.rows[0];
    if (found && Number(found.n) === rows && Number(found.low) === 1 && Number(found.high) === rows) {
      return { seeded: false, seconds: (performance.now() - started) / 1000, megabytes: await tableMegabytes(client, table) };
    }
  }
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (
    id bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    amount numeric(12,2) NOT NULL,
    fee numeric(12,2),
    currency text NOT NULL,
    status text NOT NULL,
    payment_method text NOT NULL,
    customer_id uuid NOT NULL,
    country text,
    description text,
    metadata jsonb
  )`);
  // Indexes after the rows: building them once is far quicker than keeping them up to date row by row.
  await client.query(`INSERT INTO ${table}
    SELECT i,
      t.created,
      t.created + ((i * 7919) % 2592000) * interval '1 second',
      round((((i * 7919) % 500000) / 100.0)::numeric, 2),
      CASE WHEN i % 10 = 0 THEN NULL ELSE round((((i * 7919) % 500000) / 3500.0)::numeric, 2) END,
      (ARRAY['USD', 'EUR', 'GBP', 'JPY', 'CAD'])[1 + i % 5],
      (ARRAY['succeeded', 'succeeded', 'succeeded', 'pending', 'failed', 'refunded'])[1 + i % 6],
      (ARRAY['card', 'card', 'paypal', 'bank_transfer', 'wallet'])[1 + i % 5],
      md5('customer-' || (i % 250000))::uuid,
      (ARRAY['US', 'DE', 'FR', 'GB', 'JP', 'CA', 'NL'])[1 + i % 7],
      CASE WHEN i % 7 = 0 THEN NULL ELSE 'Order ' || (100000 + i) || ' from the web shop' END,
      jsonb_build_object(
        'orderId', 'ord_' || lpad(i::text, 10, '0'),
        'channel', (ARRAY['web', 'pos', 'app'])[1 + i % 3],
        'items', 1 + i % 5,
        'risk', jsonb_build_object('score', (i * 31) % 100, 'reviewed', i % 13 = 0),
        'tags', to_jsonb(ARRAY['t' || (i % 4), 'promo' || (i % 9)])
      )
    FROM generate_series(1, $1::bigint) AS i,
      LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + (i * (63072000.0 / $1)) * interval '1 second' AS created) AS t`, [rows]);
  await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
  // What an incremental read by updated_at (keyset paging on updated_at, id) would use.
  await client.query(`CREATE INDEX ON ${table} (updated_at, id)`);
  await client.query(`VACUUM ANALYZE ${table}`);
  return { seeded: true, seconds: (performance.now() - started) / 1000, megabytes: await tableMegabytes(client, table) };
}

async function tableMegabytes(client: pg.Client, table: string): Promise<number> {
  const size = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size($1::regclass) AS bytes`, [table]);
  return Number(size.rows[0]?.bytes ?? 0) / 1024 / 1024;
}

/**
 * Touches 1% of the rows (every id divisible by 100) as an application would: `updated_at = now()`, and the
 * status moves on. Returns how many rows changed.
 */
export async function changeOnePercent(client: pg.Client, rows: number): Promise<number> {
  const result = await client.query(`UPDATE ${tableName(rows)} SET updated_at = now(), status = CASE status WHEN 'pending' THEN 'succeeded' ELSE status END WHERE id % 100 = 0`);
  return result.rowCount ?? 0;
}
