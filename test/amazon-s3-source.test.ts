import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { availableBackends } from './support/backends.js';
import { cloudStorageFlowSpec, createFlowFrom, lakeRows, runNow } from './support/file-flow.js';
import { S3TestServer, testAccessKey, testSecretKey } from './support/s3-server.js';
import { heldBufferGrowth } from './support/held-buffers.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

// One metadata backend: what this file checks is the source, which reads and stages the same on both; the pipeline
// after staging runs on both backends in the other source tests (postgres-source, paypal-source, ...).
const [backend] = await availableBackends();
const flowservice = '/data/foundation/flowservice';
const s3Spec = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
const bucket = 'payments-inbox';
const header = 'Product_Id,Product_Name,Description,Type\n';
/** Short waits so a stalled read is given up on quickly (the stall timeout), and few tries so a fault without end fails soon. */
const quickRetries = { attempts: 4, statuses: [500, 502, 503, 504], timeoutMs: 500, baseDelayMs: 10, maxDelayMs: 40 };

const csvRows = (prefix: string, count: number, pad = 0) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, '0')},Item ${i},${'d'.repeat(pad)},PHYSICAL\n`).join('');
const idsOf = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

/**
 * The Amazon S3 source end to end: an S3-compatible server (s3rver behind a gate that checks signatures and injects
 * faults) holds the objects; connections, explore, flows and runs go over HTTP; the landed rows are read from the
 * lake with DuckDB.
 */
describe.runIf(backend)('Amazon S3 source', () => {
  let api: TestApi;
  let s3: S3TestServer;
  let work: string;

  beforeAll(async () => {
    s3 = await S3TestServer.start();
    await s3.createBucket(bucket);
    api = await startApi(backend!, { retryPolicy: quickRetries });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 's3-source-work-'));
  });
  afterAll(async () => {
    await api?.close();
    await s3?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const connect = async (params: Record<string, unknown> = {}) => {
    const created = await api.request('POST', `${flowservice}/connections`, {
      body: {
        name: 'S3 inbox',
        auth: { specName: 'Access Key', params: { s3AccessKey: testAccessKey, s3SecretKey: testSecretKey, serviceUrl: s3.endpoint, bucketName: bucket, ...params } },
        connectionSpec: { id: s3Spec, version: '1.0' },
      },
    });
    expect(created.status, created.text).toBe(201);
    return str(created.json, 'id');
  };
  const flowFor = async (connection: string, title: string, data: Record<string, unknown>, sourcePath: string) => {
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: `S3 ${title}`, baseConnectionId: connection, data, params: { path: sourcePath }, connectionSpec: { id: s3Spec, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    return createFlowFrom(api, str(source.json, 'id'), { title, flowSpecId: cloudStorageFlowSpec });
  };
  const statusOf = (run: unknown) => at(run, 'metrics.statusSummary.status');
  const landed = (run: unknown) => {
    expect(statusOf(run), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    return at(run, 'metrics.recordSummary.outputRecordCount');
  };
  const errorsOf = (run: unknown) => JSON.stringify(at(run, 'metrics.statusSummary.errors'));
  const landedIds = async (dataSetId: string) => (await lakeRows(api, dataSetId, '_id')).map((row) => row._id);
  /** The names in the input manifest of the batch a run landed. */
  const manifestOf = async (run: unknown) => {
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    const listed = await api.request('GET', `/data/foundation/export/batches/${batchId}/meta?path=input_files`);
    const href = str(listed.json, 'data.0._links.self.href');
    const text = await (await fetch(`${api.baseUrl}${href}`, { headers: api.gatewayHeaders() })).text();
    return text.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { name: string }).name).sort();
  };
  const connectionTest = async (connection: string) => (await api.request('GET', `${flowservice}/connections/${connection}/test`)).json as { status: string; message: string };

  it('creates a connection that keeps its secret, tests it, explores the bucket and previews an object', async () => {
    await s3.put(bucket, 'explore/orders.csv', `${header}E1,Pen,Blue,PHYSICAL\nE2,Ink,,PHYSICAL\n`);
    await s3.put(bucket, 'explore/2026/old.csv', `${header}E0,Quill,,PHYSICAL\n`);
    const connection = await connect();
    const stored = await api.request('GET', `${flowservice}/connections/${connection}`);
    expect(stored.status).toBe(200);
    expect(stored.text).not.toContain(testSecretKey);
    expect(await connectionTest(connection)).toEqual({ status: 'ok', message: 'connected to the Amazon S3 store and opened its root folder' });

    const explore = (query: string) => api.request('GET', `${flowservice}/connections/${connection}/explore?${query}`);
    const root = await explore('objectType=root');
    expect(root.status, root.text).toBe(200);
    expect(root.json).toContainEqual({ type: 'folder', name: 'explore', path: 'explore', canPreview: false, canFetchSchema: false });
    const folder = await explore('objectType=folder&object=explore');
    expect((folder.json as { path: string; type: string }[]).map((e) => `${e.type}:${e.path}`)).toEqual(['folder:explore/2026', 'file:explore/orders.csv']);
    const file = await explore('objectType=file&object=explore/orders.csv&preview=true');
    expect(file.status, file.text).toBe(200);
    expect((at(file.json, 'schema.columns') as { name: string }[]).map((c) => c.name)).toEqual(['Product_Id', 'Product_Name', 'Description', 'Type']);
    expect(at(file.json, 'data')).toEqual([
      { Product_Id: 'E1', Product_Name: 'Pen', Description: 'Blue', Type: 'PHYSICAL' },
      { Product_Id: 'E2', Product_Name: 'Ink', Description: null, Type: 'PHYSICAL' },
    ]);
  });

  it('lands CSV, gzip CSV, JSON and Parquet objects', async () => {
    await s3.put(bucket, 'formats/plain.csv', header + csvRows('C', 3));
    await s3.put(bucket, 'formats/packed.csv.gz', zlib.gzipSync(header + csvRows('G', 4)));
    await s3.put(bucket, 'formats/lines.json', idsOf('J', 2).map((id) => JSON.stringify({ Product_Id: id, Product_Name: 'Json', Description: 'x', Type: 'PHYSICAL' })).join('\n'));
    const parquet = path.join(work, 'rows.parquet');
    const duck = await DuckDbSession.open({ tempDirectory: work });
    try {
      await duck.run(`COPY (SELECT 'Q' || lpad(i::VARCHAR, 6, '0') AS Product_Id, 'Parquet' AS Product_Name, 'y' AS Description, 'PHYSICAL' AS Type FROM range(5) t(i)) TO '${parquet}' (FORMAT parquet)`);
    } finally {
      duck.close();
    }
    await s3.put(bucket, 'formats/table.parquet', fs.readFileSync(parquet));
    const connection = await connect();
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['formats/plain.csv', { format: 'delimited' }, idsOf('C', 3)],
      ['formats/packed.csv.gz', { format: 'delimited', properties: { compressionType: 'gzip' } }, idsOf('G', 4)],
      ['formats/lines.json', { format: 'json' }, idsOf('J', 2)],
      ['formats/table.parquet', { format: 'parquet' }, idsOf('Q', 5)],
    ];
    for (const [key, data, ids] of cases) {
      const flow = await flowFor(connection, `format ${key}`, data, key);
      expect(landed(await runNow(api, flow.flowId)), key).toBe(ids.length);
      expect(await landedIds(flow.dataSetId)).toEqual(ids);
    }
  });

  it('reads a folder (prefix) and a glob', async () => {
    await s3.put(bucket, 'daily/2026-12-01.csv', header + csvRows('D1-', 2));
    await s3.put(bucket, 'daily/2026-12-02.csv', header + csvRows('D2-', 3));
    await s3.put(bucket, 'daily/notes.txt', 'not rows');
    await s3.put(bucket, 'daily/nested/2026-11-30.csv', header + csvRows('D0-', 1));
    const connection = await connect();
    const glob = await flowFor(connection, 'glob', { format: 'delimited' }, 'daily/*.csv');
    const globRun = await runNow(api, glob.flowId);
    expect(landed(globRun)).toBe(5);
    expect(await manifestOf(globRun)).toEqual(['daily/2026-12-01.csv', 'daily/2026-12-02.csv']);
    // A folder is its objects, not its subfolders; folderPath makes paths relative to it.
    const inFolder = await connect({ folderPath: 'daily/nested' });
    const folder = await flowFor(inFolder, 'folder', { format: 'delimited' }, '/');
    const folderRun = await runNow(api, folder.flowId);
    expect(landed(folderRun)).toBe(1);
    expect(await manifestOf(folderRun)).toEqual(['2026-11-30.csv']);
  });

  it('reads only new or changed objects on the next run, and lists them in the batch manifest', async () => {
    await s3.put(bucket, 'changes/a.csv', header + csvRows('A', 2));
    await s3.put(bucket, 'changes/b.csv', header + csvRows('B', 2));
    const flow = await flowFor(await connect(), 'incremental', { format: 'delimited' }, 'changes/');
    const first = await runNow(api, flow.flowId);
    expect(landed(first)).toBe(4);
    expect(await manifestOf(first)).toEqual(['changes/a.csv', 'changes/b.csv']);

    const unchanged = await runNow(api, flow.flowId);
    expect(landed(unchanged)).toBe(0);

    await s3.put(bucket, 'changes/b.csv', header + csvRows('B', 3));
    await s3.put(bucket, 'changes/c.csv', header + csvRows('C', 1));
    const next = await runNow(api, flow.flowId);
    expect(landed(next)).toBe(4);
    expect(await manifestOf(next)).toEqual(['changes/b.csv', 'changes/c.csv']);
    expect(await landedIds(flow.dataSetId)).toEqual([...idsOf('A', 2), ...idsOf('B', 2), ...idsOf('B', 3), ...idsOf('C', 1)].sort());
  });

  it('resumes a dropped connection and a stalled read from the byte reached, landing every row once', async () => {
    const rows = 2_000;
    await s3.put(bucket, 'faults/dropped.csv', header + csvRows('F', rows, 40));
    await s3.put(bucket, 'faults/stalled.csv', header + csvRows('S', rows, 40));
    const connection = await connect();
    s3.faults.push({ key: 'faults/dropped.csv', kind: 'drop', afterBytes: 30_000, times: 2 });
    const dropped = await flowFor(connection, 'dropped', { format: 'delimited' }, 'faults/dropped.csv');
    const droppedRun = await runNow(api, dropped.flowId);
    expect(landed(droppedRun)).toBe(rows);
    expect(await landedIds(dropped.dataSetId)).toEqual(idsOf('F', rows));
    expect(at(droppedRun, 'activities.0.statusSummary.extensions.streams.0')).toMatchObject({ filesFetched: 1, resumed: 2, stalls: 0 });
    // The resumed reads asked for the rest of the object only.
    expect(s3.calls.filter((c) => c.key === 'faults/dropped.csv' && c.operation === 'GetObject').map((c) => c.range)).toEqual([undefined, 'bytes=30000-', 'bytes=60000-']);

    s3.faults.push({ key: 'faults/stalled.csv', kind: 'stall', afterBytes: 50_000, times: 1, stallMs: 20_000 });
    const stalled = await flowFor(connection, 'stalled', { format: 'delimited' }, 'faults/stalled.csv');
    const stalledRun = await runNow(api, stalled.flowId);
    expect(landed(stalledRun)).toBe(rows);
    expect(await landedIds(stalled.dataSetId)).toEqual(idsOf('S', rows));
    expect(at(stalledRun, 'activities.0.statusSummary.extensions.streams.0')).toMatchObject({ filesFetched: 1, resumed: 1, stalls: 1 });
  });

  it('gives up on faults without end, saying where the read stopped and why', async () => {
    await s3.put(bucket, 'broken/always-dropped.csv', header + csvRows('X', 1_000, 40));
    await s3.put(bucket, 'broken/always-stalled.csv', header + csvRows('Y', 1_000, 40));
    s3.faults.push({ key: 'broken/always-dropped.csv', kind: 'drop', afterBytes: 10_000, times: Infinity });
    s3.faults.push({ key: 'broken/always-stalled.csv', kind: 'stall', afterBytes: 10_000, times: Infinity, stallMs: 20_000 });
    const connection = await connect();
    const dropped = await runNow(api, (await flowFor(connection, 'always dropped', { format: 'delimited' }, 'broken/always-dropped.csv')).flowId);
    expect(statusOf(dropped)).toBe('failed');
    expect(errorsOf(dropped)).toContain('CONNECTOR-1001-500');
    expect(errorsOf(dropped)).toMatch(/reading Amazon S3 file \\"broken\/always-dropped.csv\\" stopped after 4 tries, at byte 40000 of \d+: the connection broke off/);
    const stalled = await runNow(api, (await flowFor(connection, 'always stalled', { format: 'delimited' }, 'broken/always-stalled.csv')).flowId);
    expect(statusOf(stalled)).toBe('failed');
    expect(errorsOf(stalled)).toMatch(/stopped after 4 tries, at byte 40000 of \d+: no data came for 500 ms/);
    expect(await lakeRows(api, (await flowFor(connection, 'unused', { format: 'delimited' }, 'broken/*.csv')).dataSetId)).toEqual([]);

    // A store that answers a resumed read with the whole object again is refused, not appended to (rows would double).
    await s3.put(bucket, 'broken/no-ranges.csv', header + csvRows('Z', 1_000, 40));
    s3.faults.push({ key: 'broken/no-ranges.csv', kind: 'drop', afterBytes: 10_000, times: 1 });
    s3.ignoreRange = true;
    try {
      const whole = await runNow(api, (await flowFor(connection, 'no ranges', { format: 'delimited' }, 'broken/no-ranges.csv')).flowId);
      expect(statusOf(whole)).toBe('failed');
      expect(errorsOf(whole)).toContain('the store ignored the Range of a resumed read of \\"payments-inbox/broken/no-ranges.csv\\" (asked from byte 10000');
    } finally {
      s3.ignoreRange = false;
    }
  });

  it('streams a large object to staging without holding it in memory', { timeout: 120_000 }, async () => {
    const rows = 160_000;
    const file = path.join(work, 'large.csv');
    const out = fs.createWriteStream(file);
    out.write(header);
    for (let start = 0; start < rows; start += 10_000) out.write(csvRows('L', 10_000, 300).replace(/^L(\d+)/gm, (_, n: string) => `L${String(start + Number(n)).padStart(6, '0')}`));
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(48 * 1024 * 1024);
    await s3.putFile(bucket, 'large/big.csv', file);
    const flow = await flowFor(await connect(), 'large', { format: 'delimited' }, 'large/big.csv');
    const { result: run, growth } = await heldBufferGrowth(() => runNow(api, flow.flowId));
    expect(landed(run)).toBe(rows);
    expect(growth, `buffers grew ${Math.round(growth / 1e6)} MB reading ${Math.round(size / 1e6)} MB`).toBeLessThan(size / 2);
    const [count] = await lakeRows(api, flow.dataSetId, 'count(*)::INTEGER AS n, count(DISTINCT _id)::INTEGER AS ids', 'n');
    expect(count).toEqual({ n: rows, ids: rows });
  });

  it('says what to fix when credentials, the bucket, the object, the host or a permission is wrong, never the secret', async () => {
    const wrong = 'a-wrong-secret-value';
    const checks: [Record<string, unknown>, RegExp][] = [
      [{ s3SecretKey: wrong }, /s3SecretKey is not the secret of access key "TRIBUTARYTESTKEY"; update s3SecretKey/],
      [{ s3AccessKey: 'AKIANOBODY' }, /does not know the access key "AKIANOBODY"; check s3AccessKey/],
      [{ bucketName: 'no-such-bucket' }, /bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+; check bucketName/],
      [{ folderPath: 'nothing-here' }, /folderPath "nothing-here" holds no objects in bucket "payments-inbox"; check folderPath/],
      [{ serviceUrl: 'http://no-such-host.invalid:9000' }, /cannot be found \(ENOTFOUND\); check serviceUrl/],
      [{ serviceUrl: 'http://127.0.0.1:1' }, /nothing answers at http:\/\/127\.0\.0\.1:1 \(connection refused\); check serviceUrl, or whether the store is up/],
    ];
    for (const [params, message] of checks) {
      const answer = await connectionTest(await connect(params));
      expect(answer.status, JSON.stringify(params)).toBe('failed');
      expect(answer.message).toMatch(message);
      expect(answer.message).not.toContain(wrong);
      expect(answer.message).not.toContain(testSecretKey);
    }

    // Names S3 could not take are refused when the connection is created, naming the param.
    for (const [param, value] of [['bucketName', 'Bad_Bucket'], ['region', 'eu-west-1.attacker.example/'], ['serviceUrl', 'ftp://store']] as const) {
      const refused = await api.request('POST', `${flowservice}/connections`, {
        body: { name: 'bad', auth: { specName: 'Access Key', params: { s3AccessKey: testAccessKey, s3SecretKey: testSecretKey, [param]: value } }, connectionSpec: { id: s3Spec, version: '1.0' } },
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.text).toContain(param);
      expect(refused.text).not.toContain(testSecretKey);
    }

    // A bucket in another region: named, and read once the connection says the region.
    await s3.createBucket('eu-settlements');
    s3.bucketRegions.set('eu-settlements', 'eu-west-1');
    await s3.put('eu-settlements', 'a.csv', `${header}R1,Euro,,PHYSICAL\n`);
    const elsewhere = await connectionTest(await connect({ bucketName: 'eu-settlements' }));
    expect(elsewhere).toEqual({ status: 'failed', message: 'S3 says the bucket is not in region "us-east-1"; set the connection\'s region (or serviceUrl) to the bucket\'s region' });
    expect((await connectionTest(await connect({ bucketName: 'eu-settlements', region: 'eu-west-1' }))).status).toBe('ok');

    // A key that may list the bucket but not read its objects (the gate's stand-in for a bucket policy).
    s3.keys.set('LISTONLY', { secret: 'list-only-secret', denies: (call) => call.operation === 'GetObject' });
    await s3.put(bucket, 'private/report.csv', `${header}P1,Secret,,PHYSICAL\n`);
    const listOnly = await connect({ s3AccessKey: 'LISTONLY', s3SecretKey: 'list-only-secret' });
    expect((await connectionTest(listOnly)).status).toBe('ok');
    const denied = await runNow(api, (await flowFor(listOnly, 'denied', { format: 'delimited' }, 'private/report.csv')).flowId);
    expect(statusOf(denied)).toBe('failed');
    expect(errorsOf(denied)).toContain('CONNECTOR-1002-400');
    expect(errorsOf(denied)).toContain('access key \\"LISTONLY\\" may not read \\"private/report.csv\\" in bucket \\"payments-inbox\\" (s3:GetObject on arn:aws:s3:::payments-inbox/private/report.csv)');

    const connection = await connect();
    const missing = await api.request('GET', `${flowservice}/connections/${connection}/explore?objectType=file&object=private/nope.csv`);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('no files match \\"private/nope.csv\\"');
    const run = await runNow(api, (await flowFor(connection, 'missing', { format: 'delimited' }, 'private/nope.csv')).flowId);
    expect(statusOf(run)).toBe('failed');
    expect(errorsOf(run)).toContain('no files match \\"private/nope.csv\\"');
    const badSecret = await runNow(api, (await flowFor(await connect({ s3SecretKey: wrong }), 'bad secret', { format: 'delimited' }, 'private/report.csv')).flowId);
    expect(statusOf(badSecret)).toBe('failed');
    expect(errorsOf(badSecret)).toContain('update s3SecretKey');
    expect(errorsOf(badSecret)).not.toContain(wrong);
  });
});
