import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/open-store.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty metadata store; `dispose` removes it. `plugins` see every query (e.g. to count rows read). */
  open(options?: { plugins?: KyselyPlugin[] }): Promise<{ store: Store; dataDir: string; reopen: () => Promise<Store>; dispose: () => Promise<void> }>;
}

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const sqlite: Backend = {
  name: 'sqlite',
  async open(options = {}) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-test-'));
    const store = await openStore({ dataDir, ...options });
    return {
      store,
      dataDir,
      reopen: () => openStore({ dataDir, ...options }),
      dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async open(openOptions = {}) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-test-'));
    // Each test run lives in its own schema of the shared `test` database.
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const options = { dataDir, databaseUrl: postgresUrl, postgresSchema: schema, ...openOptions };
    const store = await openStore(options);
    return {
      store,
      dataDir,
      reopen: () => openStore(options),
      dispose: async () => {
        await dropSchemas([schema]);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** Drops test schemas of the shared `test` database, with everything in them. */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    // The run queue (pg-boss) keeps its tables in a schema of its own beside the store's.
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_queue" CASCADE`);
  } finally {
    await client.end();
  }
}

let postgresReachable: Promise<boolean> | undefined;

async function canReachPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * The backends every API test runs on. Without PostgreSQL the PostgreSQL half is skipped with a notice;
 * under CI=true it is required, so a missing database fails the run instead of hiding half the suite.
 */
export async function availableBackends(): Promise<Backend[]> {
  postgresReachable ??= canReachPostgres();
  if (await postgresReachable) return [sqlite, postgres];
  if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true but ${postgresUrl} is not reachable`);
  console.warn(`NOTICE: PostgreSQL at ${postgresUrl} is not reachable; PostgreSQL tests are skipped (set TEST_DATABASE_URL).`);
  return [sqlite];
}

/**
 * Runs SQL on the shared `test` database with `$schema` standing for a test's schema (quoted), on a connection of its
 * own: for tests that look at what server processes wrote.
 */
export function sqlInSchema(schema: string): <T>(text: string, values?: unknown[]) => Promise<T[]> {
  return async <T>(text: string, values: unknown[] = []) => {
    const connection = new pg.Client({ connectionString: postgresUrl });
    await connection.connect();
    try {
      return (await connection.query(text.replaceAll('$schema', `"${schema}"`), values)).rows as T[];
    } finally {
      await connection.end();
    }
  };
}
