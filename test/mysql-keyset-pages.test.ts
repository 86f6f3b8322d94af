import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom, lakeRows, postFor, runNow } from './support/file-flow.js';
import { createMariaDbFixture, mariadbAvailable, type MariaDbFixture } from './support/mariadb-fixture.js';
import { crmFlowSpec, flowservice } from './support/payment-sources.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const mariadbSpec = '3000eb99-cd47-43f3-827c-43caf170f015';
const mysqlSpec = '26d738e0-8963-47ea-aadf-c60de735468a';
const [sqlite] = await availableBackends();
const withMariaDb = await mariadbAvailable();

/** What the read reported about its table (requests, pages, records …), as the run shows it. */
const streamMetrics = (run: unknown) => at(run, 'activities.0.statusSummary.extensions.streams.0') as Record<string, unknown> | undefined;

/** Ties of the delta column across the edges of small pages, and across runs. */
describe.runIf(withMariaDb)('MySQL source keyset pages', () => {
  let api: TestApi;
  let db: MariaDbFixture;

  beforeAll(async () => {
    db = await createMariaDbFixture();
    api = await startApi(sqlite!, { databasePageRows: 3 });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('neither loses nor doubles rows that tie at a page edge, within a run or across runs', async () => {
    await db.sql(`CREATE TABLE ties (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, description VARCHAR(20), kind VARCHAR(10), updated_at TIMESTAMP(6) NOT NULL, KEY by_update (updated_at))`);
    // Pages of 3 by (updated_at, id), which InnoDB's index on updated_at orders by (it ends with the primary key):
    // [1 2 3] [4 5 6] [7 8 9] [10]; ids 2..8 share one instant, across two edges.
    const rows = [
      [1, '2024-05-01 08:00:00'], [2, '2024-05-01 09:00:00'], [3, '2024-05-01 09:00:00'], [4, '2024-05-01 09:00:00'], [5, '2024-05-01 09:00:00'],
      [6, '2024-05-01 09:00:00'], [7, '2024-05-01 09:00:00'], [8, '2024-05-01 09:00:00'], [9, '2024-05-01 10:00:00'], [10, '2024-05-01 10:00:00'],
    ];
    for (const [id, at] of rows) await db.sql(`INSERT INTO ties VALUES (?, ?, NULL, 'card', ?)`, [id, `name ${id}`, at]);
    const connectionId = await postFor(api, `${flowservice}/connections`, {
      name: 'ties',
      auth: { specName: 'Connection String Based Authentication', params: { connectionString: db.connectionString() } },
      connectionSpec: { id: mysqlSpec, version: '1.0' },
    });
    const sourceId = await postFor(api, `${flowservice}/sourceConnections`, {
      name: 'ties',
      baseConnectionId: connectionId,
      data: { format: 'tabular' },
      params: { tableName: `${db.database}.ties` },
      connectionSpec: { id: mysqlSpec, version: '1.0' },
    });
    const flow = await createFlowFrom(api, sourceId, { title: 'mysql ties', flowSpecId: crmFlowSpec, deltaColumn: { name: 'updated_at' }, columns: { id: 'id', name: 'name', description: 'description', type: 'kind' } });
    const landed = async () => (await lakeRows(api, flow.dataSetId, `_id, "_${api.tenantId}".product.name AS name`, '_id, name')).map((r) => `${String(r._id)}:${String(r.name)}`);

    const first = await runNow(api, flow.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(streamMetrics(first)).toMatchObject({ records: 10, pages: 4 });
    expect(await landed()).toEqual(['1:name 1', '10:name 10', '2:name 2', '3:name 3', '4:name 4', '5:name 5', '6:name 6', '7:name 7', '8:name 8', '9:name 9']);

    // A new row tied with the newest landed instant (10:00, a higher id), and an older row moved forward.
    await db.sql(`INSERT INTO ties VALUES (11, 'name 11', NULL, 'bank', '2024-05-01 10:00:00')`);
    await db.sql(`UPDATE ties SET name = 'name 4 again', updated_at = '2024-05-01 11:00:00' WHERE id = 4`);
    const second = await runNow(api, flow.flowId);
    expect(at(second, 'metrics.statusSummary.status'), JSON.stringify(at(second, 'metrics.statusSummary'))).toBe('success');
    expect(at(second, 'metrics.recordSummary')).toMatchObject({ inputRecordCount: 2, outputRecordCount: 2 });
    expect(await landed()).toEqual(['1:name 1', '10:name 10', '11:name 11', '2:name 2', '3:name 3', '4:name 4', '4:name 4 again', '5:name 5', '6:name 6', '7:name 7', '8:name 8', '9:name 9']);
  });

  it('reads a table whose delta column has no index in one ordered query, ties kept', async () => {
    await db.sql(`CREATE TABLE unindexed (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, description VARCHAR(20), kind VARCHAR(10), updated_at DATETIME NOT NULL)`);
    for (let id = 1; id <= 8; id++) await db.sql(`INSERT INTO unindexed VALUES (?, ?, NULL, NULL, ?)`, [id, `name ${id}`, id <= 5 ? '2024-06-01 00:00:00' : '2024-06-02 00:00:00']);
    const connectionId = await postFor(api, `${flowservice}/connections`, {
      name: 'unindexed',
      auth: { specName: 'Connection String Based Authentication', params: { connectionString: db.connectionString() } },
      connectionSpec: { id: mysqlSpec, version: '1.0' },
    });
    const sourceId = await postFor(api, `${flowservice}/sourceConnections`, {
      name: 'unindexed',
      baseConnectionId: connectionId,
      data: { format: 'tabular' },
      params: { tableName: 'unindexed' },
      connectionSpec: { id: mysqlSpec, version: '1.0' },
    });
    const flow = await createFlowFrom(api, sourceId, { title: 'mysql unindexed', flowSpecId: crmFlowSpec, deltaColumn: { name: 'updated_at' }, columns: { id: 'id', name: 'name', description: 'description', type: 'kind' } });
    const first = await runNow(api, flow.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(streamMetrics(first)).toMatchObject({ records: 8, pages: 1, pageRows: null, pushedDown: true });
    await db.sql(`INSERT INTO unindexed VALUES (9, 'name 9', NULL, NULL, '2024-06-02 00:00:00')`);
    const second = await runNow(api, flow.flowId);
    expect(at(second, 'metrics.recordSummary')).toMatchObject({ inputRecordCount: 1, outputRecordCount: 1 });
    expect((await lakeRows(api, flow.dataSetId, '_id')).map((r) => r._id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('pages by binary and BIT primary keys', async () => {
    await db.sql(`CREATE TABLE binary_keys (id VARBINARY(4) PRIMARY KEY, name VARCHAR(20) NOT NULL, description VARCHAR(20), kind VARCHAR(10), updated_at DATETIME NOT NULL, KEY by_update (updated_at))`);
    await db.sql(`CREATE TABLE bit_keys (id BIT(8) PRIMARY KEY, name VARCHAR(20) NOT NULL, description VARCHAR(20), kind VARCHAR(10), updated_at DATETIME NOT NULL, KEY by_update (updated_at))`);
    for (let i = 0; i < 7; i++) {
      // Bytes that are no text, a quote and a comma among them; all rows tie on updated_at.
      await db.sql(`INSERT INTO binary_keys VALUES (?, ?, NULL, NULL, '2024-07-01 00:00:00')`, [Buffer.from([0x00, 0xff, 0x22 + i, 0x2c]), `name ${i}`]);
      await db.sql(`INSERT INTO bit_keys VALUES (?, ?, NULL, NULL, '2024-07-01 00:00:00')`, [250 - i * 20, `name ${i}`]);
    }
    for (const table of ['binary_keys', 'bit_keys']) {
      const connectionId = await postFor(api, `${flowservice}/connections`, {
        name: table,
        auth: { specName: 'Connection String Based Authentication', params: { connectionString: db.connectionString() } },
        connectionSpec: { id: mysqlSpec, version: '1.0' },
      });
      const sourceId = await postFor(api, `${flowservice}/sourceConnections`, {
        name: table,
        baseConnectionId: connectionId,
        data: { format: 'tabular' },
        params: { tableName: table },
        connectionSpec: { id: mysqlSpec, version: '1.0' },
      });
      const flow = await createFlowFrom(api, sourceId, { title: `mysql ${table}`, flowSpecId: crmFlowSpec, deltaColumn: { name: 'updated_at' }, columns: { id: 'id', name: 'name', description: 'description', type: 'kind' } });
      const run = await runNow(api, flow.flowId);
      expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
      expect(streamMetrics(run), table).toMatchObject({ records: 7, pages: 3 });
      const names = (await lakeRows(api, flow.dataSetId, `"_${api.tenantId}".product.name AS name`, 'name')).map((r) => r.name);
      expect(names, table).toEqual(['name 0', 'name 1', 'name 2', 'name 3', 'name 4', 'name 5', 'name 6']);
    }
  });

  it('reads zero dates as null and says so in the run', async () => {
    await db.sql(`SET SESSION sql_mode = ''`);
    await db.sql(`CREATE TABLE legacy (id INT PRIMARY KEY, name VARCHAR(20), description VARCHAR(20), kind VARCHAR(10), shipped DATE)`);
    await db.sql(`INSERT INTO legacy VALUES (1, 'a', NULL, NULL, '0000-00-00'), (2, 'b', NULL, NULL, '2024-00-10'), (3, 'c', NULL, NULL, '2024-01-10')`);
    const connectionId = await postFor(api, `${flowservice}/connections`, {
      name: 'legacy',
      auth: { specName: 'Connection String Based Authentication', params: { connectionString: db.connectionString() } },
      connectionSpec: { id: mariadbSpec, version: '1.0' },
    });
    const sourceId = await postFor(api, `${flowservice}/sourceConnections`, {
      name: 'legacy',
      baseConnectionId: connectionId,
      data: { format: 'tabular' },
      params: { tableName: 'legacy' },
      connectionSpec: { id: mariadbSpec, version: '1.0' },
    });
    const flow = await createFlowFrom(api, sourceId, { title: 'mysql legacy', flowSpecId: crmFlowSpec, columns: { id: 'id', name: 'name', description: 'description', type: 'shipped' } });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(JSON.stringify(run)).toContain('2 zero date(s)');
    const types = (await lakeRows(api, flow.dataSetId, `_id, "_${api.tenantId}".product.type AS shipped`)).map((r) => r.shipped);
    expect(types).toEqual([null, null, '2024-01-10']);
  });
});
