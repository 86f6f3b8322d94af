import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../src/lake/query-error.js';
import { QuerySession } from '../src/lake/query-session.js';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { requireFreshQueryWorker } from './support/query-workers.js';
import { createFileFlow, lakeRows, runNow, type FileFlow } from './support/file-flow.js';
import { at, startApi, str, type ApiResponse, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const queries = '/data/foundation/query/queries';
const header = 'Product_Id,Product_Name,Description,Type,updatedAt\n';

function expectBadQuery(response: ApiResponse, sql: string): void {
  expect(response.status, `${sql}: ${response.text}`).toBe(400);
  expect(at(response.json, 'type'), sql).toBe('https://ns.adobe.com/aep/errors/QUERY-1002-400');
  expect(at(response.json, 'report.errors.0'), sql).toMatchObject({ in: 'body', path: '/sql' });
}

/** A dataflow from a CSV of products, run once; returns the flow and its dataset's SQL table name. */
async function landProducts(api: TestApi, root: string, title: string, rows: string[]): Promise<FileFlow & { table: string; file: string }> {
  const file = path.join(root, `${title}.csv`);
  fs.writeFileSync(file, `${header}${rows.join('\n')}\n`);
  const flow = await createFileFlow(api, { root, path: `${title}.csv`, format: 'delimited', title });
  expect(at(await runNow(api, flow.flowId), 'metrics.statusSummary.status')).toBe('success');
  const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${flow.dataSetId}`);
  return { ...flow, table: str(dataSet.json, `${flow.dataSetId}.tags.adobe/pqs/table.0`), file };
}

describe.each(backends)('SQL queries over datasets on $name', (backend) => {
  let api: TestApi;
  let root: string;
  let products: FileFlow & { table: string; file: string };
  const query = (sql: string, extra: Record<string, unknown> = {}, sandbox?: string) =>
    api.request('POST', queries, { body: { dbName: `${sandbox ?? 'prod'}:all`, sql, ...extra }, ...(sandbox ? { sandbox } : {}) });

  beforeAll(async () => {
    requireFreshQueryWorker();
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-query-'));
    products = await landProducts(api, root, 'sql products', ['P1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00', 'P2,E-book,A book,DIGITAL,2024-01-03 11:00:00', 'P3,Service plan,,SERVICE,2024-01-04 12:00:00']);
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('returns the landed rows through the dataset\'s table name, and keeps the query and its result', async () => {
    expect(products.table).toBe('dataset_sql_products');
    const select = `_id, _${api.tenantId}.product.name AS name, _${api.tenantId}.product.type AS type`;
    const sql = `SELECT ${select} FROM ${products.table} ORDER BY _id`;
    const created = await query(sql, { name: 'products' });
    expect(created.status, created.text).toBe(202);
    const expected = await lakeRows(api, products.dataSetId, select);
    expect(expected).toHaveLength(3);
    expect(created.json).toMatchObject({
      state: 'SUCCESS',
      request: { dbName: 'prod:all', sql, name: 'products' },
      sql,
      rowCount: 3,
      truncated: false,
      errors: [],
      isCTAS: false,
      isInsertInto: false,
      client: 'API',
      clientId: api.credentials.client_id,
      columns: [{ name: '_id', type: 'VARCHAR' }, { name: 'name', type: 'VARCHAR' }, { name: 'type', type: 'VARCHAR' }],
      rows: expected,
      _links: { referenced_datasets: [{ id: products.dataSetId, href: `/data/foundation/catalog/dataSets/${products.dataSetId}` }] },
    });
    const id = str(created.json, 'id');
    expect(created.headers.get('location')).toBe(`${queries}/${id}`);
    expect(str(created.json, 'created')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const fetched = await api.request('GET', `${queries}/${id}`);
    expect(fetched.status).toBe(200);
    const { rows: _rows, columns: _columns, ...queryObject } = created.json as Record<string, unknown>;
    expect(fetched.json).toEqual(queryObject);

    const page = await api.request('GET', `${queries}/${id}/results?start=1&limit=1`);
    expect(page.status).toBe(200);
    expect(page.json).toEqual({
      columns: at(created.json, 'columns'),
      rows: [expected[1]],
      truncated: false,
      _page: { start: 1, limit: 1, count: 1, total: 3 },
      _links: { query: { href: `${queries}/${id}`, method: 'GET' } },
    });
    expect((await api.request('GET', `${queries}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await api.request('GET', `${queries}/00000000-0000-0000-0000-000000000000/results`)).status).toBe(404);
  });

  it('answers DESCRIBE, SHOW TABLES, WITH and EXPLAIN', async () => {
    const described = await query(`DESCRIBE ${products.table}`);
    expect(described.status, described.text).toBe(202);
    expect((at(described.json, 'rows') as { column_name: string }[]).map((r) => r.column_name)).toContain('_id');
    const tables = await query('SHOW TABLES');
    expect(at(tables.json, 'rows')).toEqual(expect.arrayContaining([{ name: products.table }]));
    const counted = await query(`WITH p AS (SELECT * FROM ${products.table}) SELECT count(*) AS n FROM p`);
    expect(at(counted.json, 'rows')).toEqual([{ n: '3' }]);
    expect((await query(`EXPLAIN ANALYZE SELECT count(*) FROM ${products.table}`)).status).toBe(202);
  });

  it('sees only successful batches: not a failed batch, not a folder left without a Catalog commit', async () => {
    const lake = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', products.dataSetId);
    const [landed] = fs.readdirSync(lake);
    const batch = await api.request('GET', `/data/foundation/catalog/batches/${landed}`);
    const scope = { orgId: api.credentials.ims_org, sandboxId: str(batch.json, `${landed}.sandboxId`) };
    const failedId = 'fa11edba7c4000000000000000000002';
    await new ResourcesRepository(api.store.db).insert(scope, {
      kind: 'catalog.batch',
      id: failedId,
      body: { id: failedId, status: 'failed', relatedObjects: [{ type: 'dataSet', id: products.dataSetId }] },
      secret: null,
      etag: '1',
      createdAt: 1,
      updatedAt: 1,
    });
    fs.cpSync(path.join(lake, landed as string), path.join(lake, failedId), { recursive: true });
    fs.cpSync(path.join(lake, landed as string), path.join(lake, '0rphan0000000000000000000000000'), { recursive: true });
    const counted = await query(`SELECT count(*) AS n FROM ${products.table}`);
    expect(at(counted.json, 'rows')).toEqual([{ n: '3' }]);

    // A second successful run adds its batch to the table.
    fs.appendFileSync(products.file, 'P4,Gift card,,DIGITAL,2024-01-05 12:00:00\n');
    expect(at(await runNow(api, products.flowId), 'metrics.recordSummary.outputRecordCount')).toBe(1);
    const ids = await query(`SELECT _id FROM ${products.table} ORDER BY _id`);
    expect(at(ids.json, 'rows')).toEqual([{ _id: 'P1' }, { _id: 'P2' }, { _id: 'P3' }, { _id: 'P4' }]);
  });

  it('refuses anything but one read-only statement, and reads no file outside the datasets', async () => {
    const outside = path.join(root, 'outside.csv');
    fs.writeFileSync(outside, 'secret\nvalue\n');
    const written = path.join(root, 'written.csv');
    const refused = [
      `CREATE TABLE copy AS SELECT * FROM ${products.table}`,
      `INSERT INTO ${products.table} SELECT * FROM ${products.table}`,
      `DELETE FROM ${products.table}`,
      `UPDATE ${products.table} SET _id = 'x'`,
      `DROP VIEW ${products.table}`,
      `ATTACH '${path.join(root, 'other.duckdb')}' AS other`,
      `COPY (SELECT 1) TO '${written}'`,
      `SELECT * FROM read_csv('/etc/passwd')`,
      `SELECT * FROM read_csv('${outside}')`,
      `SELECT * FROM read_text('${outside}')`,
      `SELECT * FROM glob('${root}/*')`,
      "SET enable_external_access = true",
      'PRAGMA enable_profiling',
      'INSTALL httpfs',
      'LOAD httpfs',
      'CALL pragma_version()',
      `SELECT 1; DROP VIEW ${products.table}`,
      `EXPLAIN ANALYZE CREATE TABLE copy AS SELECT * FROM ${products.table}`,
      `EXPLAIN /* sneaky */ ANALYZE CREATE TABLE copy AS SELECT 1`,
      'SELECT $1',
    ];
    for (const sql of refused) expectBadQuery(await query(sql), sql);
    expect(fs.existsSync(written)).toBe(false);
    expect(fs.existsSync(path.join(root, 'other.duckdb'))).toBe(false);
    // The view is still there, unchanged, for the next query.
    expect(at((await query(`SELECT count(*) AS n FROM ${products.table}`)).json, 'rows.0.n')).toBe('4');
  });

  it('answers a SQL error with 400 and DuckDB\'s message, never a 500', async () => {
    const syntax = await query('SELEC * FROM nowhere');
    expectBadQuery(syntax, 'syntax error');
    expect(str(syntax.json, 'detail')).toMatch(/syntax error at or near "SELEC"/);
    const unknown = await query('SELECT * FROM no_such_table');
    expectBadQuery(unknown, 'unknown table');
    expect(str(unknown.json, 'detail')).toMatch(/no_such_table does not exist/);
    const conversion = await query("SELECT CAST('abc' AS INTEGER)");
    expectBadQuery(conversion, 'conversion');
    expectBadQuery(await query('-- nothing but a comment'), 'empty');
  });

  it('validates the request: dbName names this sandbox, unknown fields and bad limits are refused', async () => {
    const wrongDb = await api.request('POST', queries, { body: { dbName: 'other:all', sql: 'SELECT 1' } });
    expect(wrongDb.status).toBe(400);
    expect(at(wrongDb.json, 'report.errors.0')).toMatchObject({ in: 'body', path: '/dbName' });
    expect((await api.request('POST', queries, { body: { sql: 'SELECT 1' } })).status).toBe(400);
    expect((await api.request('POST', queries, { body: { dbName: 'prod:all', sql: 'SELECT 1', ctasParameters: { datasetName: 'x' } } })).status).toBe(400);
    expect((await query('SELECT 1', { limit: 0 })).status).toBe(400);
  });

  it('keeps the rows it returns under the limit and says when it cut', async () => {
    const capped = await query('SELECT range AS n FROM range(50)', { limit: 5 });
    expect(capped.status).toBe(202);
    expect(capped.json).toMatchObject({ rowCount: 5, truncated: true });
    expect(at(capped.json, 'rows')).toHaveLength(5);
  });

  it("keeps another sandbox's and another org's datasets out of its tables", async () => {
    const sandbox = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'query-dev', title: 'Query dev', type: 'development' } });
    expect(sandbox.status, sandbox.text).toBe(201);
    const inDev = await query(`SELECT count(*) FROM ${products.table}`, {}, 'query-dev');
    expectBadQuery(inDev, 'other sandbox');
    expect(str(inDev.json, 'detail')).toMatch(/does not exist/);

    const other = await api.app.credentials.create('QUERYOTHER@AdobeOrg', 'other org');
    const otherOrg = { authorization: `Bearer ${other.access_token}`, 'x-api-key': other.client_id, 'x-gw-ims-org-id': other.ims_org };
    const fromOther = await api.request('POST', queries, { body: { dbName: 'prod:all', sql: `SELECT count(*) FROM ${products.table}` }, headers: otherOrg });
    expectBadQuery(fromOther, 'other org');
    const mine = str((await query('SELECT 1 AS one')).json, 'id');
    expect((await api.request('GET', `${queries}/${mine}`, { headers: otherOrg })).status).toBe(404);
  });

  it('says why a dataset without a successful batch has no table', async () => {
    const empty = await createFileFlow(api, { root, path: 'never-run.csv', format: 'delimited', title: 'never run' });
    const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${empty.dataSetId}`);
    const table = str(dataSet.json, `${empty.dataSetId}.tags.adobe/pqs/table.0`);
    const answer = await query(`SELECT * FROM ${table}`);
    expectBadQuery(answer, 'empty dataset');
    expect(str(answer.json, 'detail')).toContain('has no successful batch yet');
  });
});

describe('a query session', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-session-'));
    const duck = await DuckDbSession.open({ tempDirectory: dir });
    await duck.run(`COPY (SELECT range AS id FROM range(3)) TO '${path.join(dir, 'a.parquet')}' (FORMAT parquet)`);
    await duck.run(`COPY (SELECT range + 10 AS id, 'b' AS extra FROM range(2)) TO '${path.join(dir, 'b.parquet')}' (FORMAT parquet)`);
    duck.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads its views with file access switched off, and unions files by column name', async () => {
    const session = await QuerySession.open([{ name: 't', files: [path.join(dir, 'a.parquet'), path.join(dir, 'b.parquet')] }], { tempDirectory: path.join(dir, 'tmp'), timeoutMs: 10_000 });
    try {
      const result = await session.run('SELECT id, extra FROM t ORDER BY id', 100);
      expect(result.rows).toEqual([{ id: '0', extra: null }, { id: '1', extra: null }, { id: '2', extra: null }, { id: '10', extra: 'b' }, { id: '11', extra: 'b' }]);
      expect(result.tables).toEqual(['t']);
      const setting = await session.run("SELECT current_setting('enable_external_access') AS on", 1);
      expect(setting.rows).toEqual([{ on: false }]);
      await expect(session.run(`SELECT * FROM read_parquet('${path.join(dir, 'a.parquet')}') UNION ALL SELECT * FROM read_csv('/etc/hostname')`, 1)).rejects.toThrow(/Permission Error/);
    } finally {
      session.close();
    }
  });

  it('interrupts a statement that runs past its deadline', async () => {
    const session = await QuerySession.open([], { tempDirectory: path.join(dir, 'tmp'), timeoutMs: 300 });
    try {
      const started = Date.now();
      const error = await session.run('SELECT count(*) FROM range(1000000000000)', 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryError);
      expect((error as QueryError).kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await session.run('SELECT 42 AS answer', 1)).rows).toEqual([{ answer: 42 }]);
    } finally {
      session.close();
    }
  });
});

const [sqlite] = backends;
const bin = path.resolve('bin/tributary.js');
const run = promisify(execFile);

// Each test starts `tributary query` processes (Node and DuckDB each time), up to five: with another test file on
// the same two cores one start took several seconds, so the default 30 s was too little to tell a hang from load.
describe('the tributary query command', { timeout: 120_000 }, () => {
  let api: TestApi;
  let root: string;
  let products: FileFlow & { table: string };
  const env = { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' };
  const cli = (...args: string[]) => run(process.execPath, [bin, 'query', ...args, '--data-dir', api.dataDir], { env });

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/cli/query-command.js'))) throw new Error('run `npm run build` first: the CLI runs from dist/');
    api = await startApi(sqlite!);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-query-cli-'));
    products = await landProducts(api, root, 'cli products', ['C1,Widget,,PHYSICAL,2024-01-02 10:00:00', 'C2,Gadget,"A, b",DIGITAL,2024-01-03 11:00:00']);
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints the rows as JSON, CSV and a table', async () => {
    const sql = `SELECT _id, _${api.tenantId}.product.description AS description FROM ${products.table} ORDER BY _id`;
    const json = await cli(sql, '--format', 'json', '--org', api.credentials.ims_org);
    expect(JSON.parse(json.stdout)).toEqual([{ _id: 'C1', description: null }, { _id: 'C2', description: 'A, b' }]);
    expect((await cli(sql, '--json')).stdout).toBe(json.stdout);
    const csv = await cli(sql, '--format', 'csv');
    expect(csv.stdout).toBe('_id,description\nC1,\nC2,"A, b"\n');
    const table = await cli(sql);
    expect(table.stdout.split('\n')).toEqual(['_id | description', '----+------------', 'C1  |', 'C2  | A, b', '(2 rows)', '']);
    const limited = await cli(`SELECT * FROM ${products.table}`, '--limit', '1', '--format', 'json');
    expect(JSON.parse(limited.stdout)).toHaveLength(1);
    expect(limited.stderr).toContain('--limit');
  });

  it('refuses a write with a message and exit code 1', async () => {
    const failure = await cli(`DROP VIEW ${products.table}`).catch((error: { stderr: string; code: number }) => error);
    expect('code' in failure && failure.code).toBe(1);
    expect('stderr' in failure ? failure.stderr : '').toMatch(/Only read-only queries.*The lake is read-only to queries/);
  });

  // Last: it gives the data directory a second org, so that --org can no longer be left out.
  it('with several orgs and no --org, lists them and asks for --org; with --org it answers', async () => {
    await run(process.execPath, [bin, 'credentials', 'create', '--org', 'SECOND42@AdobeOrg', '--data-dir', api.dataDir], { env });
    const sql = `SELECT count(*) AS n FROM ${products.table}`;
    const failure = await cli(sql).catch((error: { stderr: string; code: number }) => error);
    expect('code' in failure && failure.code).toBe(1);
    // In the order they were created.
    expect('stderr' in failure ? failure.stderr : '').toContain(`this data directory has several orgs (${api.credentials.ims_org}, SECOND42@AdobeOrg); choose one with --org`);
    const chosen = await cli(sql, '--org', api.credentials.ims_org, '--json');
    expect(JSON.parse(chosen.stdout)).toEqual([{ n: '2' }]);
  });
});
