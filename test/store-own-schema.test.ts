import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, dropSchemas, postgresUrl } from './support/backends.js';

/**
 * Several stores share one PostgreSQL database, each in its own schema (test runs do; so may instances of a team).
 * One store opening, and so migrating, while another drops its schema must not see the other schema at all.
 */
const onPostgres = (await availableBackends()).some((backend) => backend.name === 'postgres');

describe.skipIf(!onPostgres)('a PostgreSQL store looks at its own schema only', () => {
  // Four connections churn, each committing every step, so other schemas exist between statements.
  const churners = Array.from({ length: 4 }, () => new pg.Client({ connectionString: postgresUrl }));
  beforeAll(() => Promise.all(churners.map((client) => client.connect())));
  afterAll(() => Promise.all(churners.map((client) => client.end())));

  it('opens and migrates while other schemas with tables and sequences are created and dropped beside it', async () => {
    const { openStore } = await import('../src/store/open-store.js');
    let churning = true;
    let churned = 0;
    // Schemas come and go as fast as one connection can make them, each with a serial column (a sequence to resolve).
    const churn = Promise.all(churners.map(async (client) => {
      while (churning) {
        const other = `churn_${crypto.randomBytes(5).toString('hex')}`;
        await client.query(`CREATE SCHEMA ${other}`);
        await client.query(`CREATE TABLE ${other}.t (id serial PRIMARY KEY, v text)`);
        await client.query(`DROP SCHEMA ${other} CASCADE`);
        churned += 1;
      }
    }));
    const opened: string[] = [];
    try {
      for (let attempt = 0; attempt < 12; attempt += 1) {
        const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
        opened.push(schema);
        const store = await openStore({ dataDir: '/nonexistent', databaseUrl: postgresUrl, postgresSchema: schema });
        const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
        await store.close();
        // Only its own tables, with the migrator's among them.
        expect(new Set(tables.map((table) => table.schema))).toEqual(new Set([schema]));
        expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['resources', 'kysely_migration', 'kysely_migration_lock']));
      }
    } finally {
      churning = false;
      await churn;
      await dropSchemas(opened);
    }
    expect(churned).toBeGreaterThan(0);
  });
});
