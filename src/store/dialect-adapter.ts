import { SqliteDialect, sql, type Dialect, type RawBuilder } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { OwnSchemaPostgresDialect } from './own-schema-introspector.js';

/**
 * The only place where SQLite and PostgreSQL differ. Everything above it is one code path.
 *
 * @example
 * const adapter = sqliteAdapter('/tmp/meta.db');
 * const db = new Kysely<Database>({ dialect: adapter.dialect });
 */
export interface DialectAdapter {
  readonly name: 'sqlite' | 'postgres';
  readonly dialect: Dialect;
  /** Runs before migrations: e.g. creates the PostgreSQL schema a test run lives in. */
  prepare(): Promise<void>;
}

export function sqliteAdapter(file: string): DialectAdapter {
  const database = new BetterSqlite3(file);
  // WAL lets readers proceed while a run commits; the busy timeout covers a second process on the same file.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  return { name: 'sqlite', dialect: new SqliteDialect({ database }), prepare: async () => undefined };
}

/** `schema` isolates one instance (a test run) inside a shared database. */
export function postgresAdapter(connectionString: string, schema?: string): DialectAdapter {
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`PostgreSQL schema "${schema}" must be a plain identifier (letters, digits, _)`);
  }
  const int8 = 20;
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Epoch milliseconds live in bigint columns; they fit in a double, so read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === int8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  return {
    name: 'postgres',
    dialect: new OwnSchemaPostgresDialect({ pool }),
    prepare: async () => {
      if (!schema) return;
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '')}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The database's clock in epoch milliseconds with their fraction, one value for the whole statement: the one clock
 * every process sharing the store reads, whatever its own says. PostgreSQL's is its server's; SQLite's is the
 * clock of the machine whose processes share the file (SQLite is shared between processes of one machine only).
 */
export function databaseNowMs(backend: DialectAdapter['name']): RawBuilder<number> {
  // statement_timestamp, not clock_timestamp: one statement must see one instant however often it reads it.
  return backend === 'postgres'
    ? sql<number>`CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS double precision)`
    : sql<number>`(unixepoch('subsec') * 1000.0)`;
}
