import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom, lakeRows, postFor, runNow } from './support/file-flow.js';
import { createAllTypesTable, createMariaDbFixture, createWideTable, type MariaDbFixture } from './support/mariadb-fixture.js';
import { crmFlowSpec, flowservice } from './support/payment-sources.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const mariadbSpec = '3000eb99-cd47-43f3-827c-43caf170f015';
const mysqlSpec = '26d738e0-8963-47ea-aadf-c60de735468a';
const [sqlite] = await availableBackends();

/**
 * The MySQL and MariaDB sources against the MariaDB server on this machine, over HTTP as a script would use them:
 * connection test, explore, runs that land every type, incremental runs that read only the changed rows, and the
 * failures a person must act on.
 */
describe('MySQL and MariaDB sources', () => {
  let api: TestApi;
  let db: MariaDbFixture;

  beforeAll(async () => {
    db = await createMariaDbFixture();
    await createAllTypesTable(db);
    await db.sql('CREATE VIEW paid AS SELECT id, amount, label FROM all_types WHERE amount > 0');
    api = await startApi(sqlite!);
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const createConnection = async (connectionString: string, spec = mariadbSpec) =>
    postFor(api, `${flowservice}/connections`, {
      name: `mariadb ${Math.random()}`,
      auth: { specName: 'Connection String Based Authentication', params: { connectionString } },
      connectionSpec: { id: spec, version: '1.0' },
    });
  const explore = (connectionId: string, query: string) => api.request('GET', `${flowservice}/connections/${connectionId}/explore?${query}`);

  it('tests the connection, lists tables and views, and describes a table with typed columns and a preview', async () => {
    for (const spec of [mariadbSpec, mysqlSpec]) {
      const connectionId = await createConnection(db.connectionString(), spec);
      const test = await api.request('GET', `${flowservice}/connections/${connectionId}/test`);
      expect(test.status, test.text).toBe(200);
      expect(test.text).toMatch(/MariaDB/);

      const root = await explore(connectionId, 'objectType=root');
      expect(root.status, root.text).toBe(200);
      const names = (root.json as { name: string; type: string }[]).map((entry) => [entry.name, entry.type]);
      expect(names).toEqual([
        [`${db.database}.all_types`, 'table'],
        [`${db.database}.paid`, 'table'],
      ]);
    }
    const connectionId = await createConnection(db.connectionString());
    const table = await explore(connectionId, `objectType=table&object=all_types&preview=true`);
    expect(table.status, table.text).toBe(200);
    const columns = Object.fromEntries((at(table.json, 'schema.columns') as { name: string; type: string; 'meta:xdmType'?: string }[]).map((c) => [c.name, c['meta:xdmType'] ? `${c.type}/${c['meta:xdmType']}` : c.type]));
    expect(columns).toEqual({
      id: 'integer', tiny: 'integer', small: 'integer', medium: 'integer', regular: 'integer', big: 'integer', ubig: 'integer',
      amount: 'number', wide: 'number', huge: 'number', ratio: 'number', measure: 'number',
      flag: 'boolean', bit1: 'boolean', bits: 'integer',
      code: 'string', label: 'string', body: 'string', kind: 'string', tags: 'array',
      day: 'string/date', local_at: 'string/date-time', stamped_at: 'string/date-time', duration: 'string', yr: 'integer',
      doc: 'string', raw: 'string', fixed: 'string', ident: 'string',
    });
    const [first, second, third] = at(table.json, 'data') as Record<string, unknown>[];
    expect(first).toMatchObject({
      id: 1, tiny: -5, small: 65535, regular: 4294967295, big: '-9223372036854775808', ubig: '18446744073709551615',
      amount: 1234.56, flag: true, bit1: true, bits: 2730, label: 'Café "déjà vu", ok', body: 'line one\nline two, with comma',
      kind: 'bank', tags: ['new', 'late'], day: '2024-02-29', local_at: '2024-03-01T12:34:56.123456Z', stamped_at: '2024-03-01T10:00:00.250Z',
      duration: '-838:59:59', yr: 2024, doc: '{"a": [1, 2], "b": {"c": "ü"}}', raw: 'AP8Q', fixed: '3q2+7w==', ident: '123e4567-e89b-12d3-a456-426614174000',
    });
    expect(second).toMatchObject({ flag: false, bit1: false, bits: 0, code: '', tags: [], raw: '' });
    expect(third).toMatchObject({ tiny: null, label: '𝄞 emoji 🎉 and 中文', tags: null, day: null, doc: null, raw: null });

    const view = await explore(connectionId, `objectType=table&object=${db.database}.paid&preview=true`);
    expect(view.status, view.text).toBe(200);
    expect((at(view.json, 'data') as unknown[]).length).toBe(1);
  });
});
