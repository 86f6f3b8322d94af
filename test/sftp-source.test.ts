import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import type { RetryPolicy } from '../src/connectors/rest/http-requester.js';
import { availableBackends } from './support/backends.js';
import { heldBufferGrowth } from './support/held-buffers.js';
import { cloudStorageFlowSpec, createFlowFrom, lakeRows, runNow } from './support/file-flow.js';
import { rsaPemKeyPair, TestSftpServer, userKeyPair } from './support/sftp-server.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const [backend] = await availableBackends();
const flowservice = '/data/foundation/flowservice';
const sftpSpec = 'b7bf2577-4520-42c9-bae9-cad01560f7bc';
const header = 'Product_Id,Product_Name,Description,Type\n';
const password = 'correct-horse-battery';
const passPhrase = 'open sesame';
/** Short tries and a short stall timeout, so the fault tests give up quickly. */
const sftpRetries: RetryPolicy = { attempts: 4, statuses: [408, 429, 500, 502, 503, 504], baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 1_500 };

const csvRows = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i},Name ${prefix} ${i},About ${prefix} ${i},t${i % 3}\n`).join('');

/**
 * The SFTP source end to end: a real SSH server (ssh2's server side) serving a temp folder, Tributary's real SFTP
 * client, and everything over HTTP: connections with a password and with a key, test, explore and preview, runs of
 * every format, folders and globs, incremental runs by modification time, reads that resume after injected faults,
 * a large file, and the errors a user must be able to act on.
 */
describe.runIf(backend)('SFTP source', () => {
  let api: TestApi;
  let server: TestSftpServer;
  const key = userKeyPair();
  const lockedKey = userKeyPair(passPhrase);
  const rsaKey = rsaPemKeyPair();

  beforeAll(async () => {
    server = await TestSftpServer.start([
      { name: 'ada', password },
      { name: 'keyed', publicKey: key.publicKey },
      { name: 'locked', publicKey: lockedKey.publicKey },
      { name: 'rsa', publicKey: rsaKey.publicKey },
    ]);
    api = await startApi(backend!, { retryPolicy: sftpRetries });
    server.write('drops/products.csv', header + csvRows('csv', 3));
    server.write('drops/products.csv.gz', zlib.gzipSync(header + csvRows('gz', 4)));
    server.write('drops/products.json', csvRows('json', 2).split('\n').filter(Boolean).map((line) => {
      const [id, name, description, type] = line.split(',');
      return JSON.stringify({ Product_Id: id, Product_Name: name, Description: description, Type: type });
    }).join('\n'));
    server.write('drops/daily/2026-12-01.csv', header + csvRows('day1', 2));
    server.write('drops/daily/2026-12-02.csv', header + csvRows('day2', 3));
    server.write('drops/daily/notes.txt', 'not data');
    server.write('drops/.hidden.csv', header + csvRows('hidden', 1));
    server.write('secret/payroll.csv', header + csvRows('pay', 1));
    server.write('drops/locked.csv', header + csvRows('locked', 1));
    server.denied.add('secret');
    server.denied.add('drops/locked.csv');
    await writeParquet(path.join(server.root, 'drops/products.parquet'), header + csvRows('pq', 5));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await server?.close();
  });

  const basic = (params: Record<string, unknown> = {}) => ({ specName: 'Basic Authentication for sftp', params: { host: '127.0.0.1', port: server.port, userName: 'ada', password, ...params } });
  const withKey = (params: Record<string, unknown> = {}) => ({
    specName: 'SSH PublicKey Authentication for sftp',
    params: { host: '127.0.0.1', port: server.port, userName: 'keyed', privateKeyContent: key.privateKeyContent, ...params },
  });
  const connect = async (auth: { specName: string; params: Record<string, unknown> }) => {
    const response = await api.request('POST', `${flowservice}/connections`, { body: { name: `sftp ${auth.specName}`, auth, connectionSpec: { id: sftpSpec, version: '1.0' } } });
    expect(response.status, response.text).toBe(201);
    return str(response.json, 'id');
  };
  const check = async (connectionId: string) => (await api.request('GET', `${flowservice}/connections/${connectionId}/test`)).json as { status: string; message: string };
  const explore = (connectionId: string, query: string) => api.request('GET', `${flowservice}/connections/${connectionId}/explore?${query}`);
  const flowFor = async (connectionId: string, sourcePath: string, format: 'delimited' | 'json' | 'parquet', title: string, properties?: Record<string, unknown>) => {
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: `sftp source ${title}`, baseConnectionId: connectionId, data: { format, ...(properties ? { properties } : {}) }, params: { path: sourcePath }, connectionSpec: { id: sftpSpec, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    return createFlowFrom(api, str(source.json, 'id'), { title, flowSpecId: cloudStorageFlowSpec });
  };
  const statusOf = (run: unknown) => at(run, 'metrics.statusSummary.status');
  const errorsOf = (run: unknown) => JSON.stringify(at(run, 'metrics.statusSummary.errors'));
  const succeeded = (run: unknown) => {
    expect(statusOf(run), errorsOf(run)).toBe('success');
    return at(run, 'metrics.recordSummary.outputRecordCount') as number;
  };
  /** The names in the input manifest of the batch a run landed. */
  const manifestOf = async (run: unknown) => {
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    const listed = await api.request('GET', `/data/foundation/export/batches/${batchId}/meta?path=input_files`);
    const href = str(listed.json, 'data.0._links.self.href');
    const text = await (await fetch(`${api.baseUrl}${href}`, { headers: api.gatewayHeaders() })).text();
    return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { name: string; size: number; modified: string });
  };
  const ids = async (dataSetId: string) => (await lakeRows(api, dataSetId, '_id')).map((row) => row._id);

  it('tests, explores and previews through a password connection and key connections (ed25519, one with a passphrase, RSA PEM)', async () => {
    const keyed = [withKey(), withKey({ userName: 'locked', privateKeyContent: lockedKey.privateKeyContent, passPhrase }), withKey({ userName: 'rsa', privateKeyContent: rsaKey.privateKeyContent })];
    for (const auth of [basic(), ...keyed]) {
      const connectionId = await connect(auth);
      expect(await check(connectionId)).toEqual({ status: 'ok', message: expect.stringContaining('SFTP') });
      const root = await explore(connectionId, 'objectType=root');
      expect(root.status, root.text).toBe(200);
      expect(root.json).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'folder', name: 'drops', path: 'drops' })]));
      const folder = await explore(connectionId, 'objectType=folder&object=drops');
      const names = (folder.json as { name: string; type: string }[]).map((entry) => entry.name);
      expect(names).toEqual(['daily', 'locked.csv', 'products.csv', 'products.csv.gz', 'products.json', 'products.parquet']);
    }
    const connectionId = await connect(basic());
    for (const [object, first] of [['drops/products.csv', 'csv-0'], ['drops/products.csv.gz', 'gz-0'], ['drops/products.json', 'json-0'], ['drops/products.parquet', 'pq-0']] as const) {
      const preview = await explore(connectionId, `objectType=file&object=${encodeURIComponent(object)}&preview=true`);
      expect(preview.status, preview.text).toBe(200);
      expect((at(preview.json, 'schema.columns') as { name: string }[]).map((c) => c.name)).toEqual(['Product_Id', 'Product_Name', 'Description', 'Type']);
      expect(at(preview.json, 'data.0.Product_Id')).toBe(first);
    }
    // The password is sealed: never shown back.
    const stored = await api.request('GET', `${flowservice}/connections/${connectionId}`);
    expect(stored.text).not.toContain(password);
  });

  it('pins the host key when asked, and refuses a server showing another one', async () => {
    expect(await check(await connect(basic({ hostKeyFingerprint: server.fingerprint })))).toMatchObject({ status: 'ok' });
    const other = 'SHA256:' + 'A'.repeat(43);
    const refused = await check(await connect(basic({ hostKeyFingerprint: other })));
    expect(refused).toEqual({ status: 'failed', message: expect.stringContaining(`showed host key ${server.fingerprint}, not the pinned hostKeyFingerprint`) });
  });

  it('answers a failed test naming what to fix, never the secret', async () => {
    const cases: [{ specName: string; params: Record<string, unknown> }, RegExp][] = [
      [basic({ password: 'wrong-password-123' }), /refused user "ada" with the password: check userName and password/],
      [basic({ userName: 'nobody' }), /refused user "nobody"/],
      [withKey({ privateKeyContent: userKeyPair().privateKeyContent }), /refused user "keyed" with the key in privateKeyContent/],
      [withKey({ userName: 'locked', privateKeyContent: lockedKey.privateKeyContent, passPhrase: 'wrong phrase' }), /passPhrase does not open it/],
      [withKey({ privateKeyContent: Buffer.from('not a key').toString('base64') }), /privateKeyContent is not a base64-encoded private key/],
      [basic({ host: 'no-such-host.invalid' }), /the host "no-such-host.invalid" is not known/],
      [basic({ port: 1 }), /nothing accepts connections at 127.0.0.1:1: check host and port/],
      [basic({ folderPath: 'no/such/folder' }), /folderPath "no\/such\/folder" does not exist on the SFTP server/],
      [basic({ folderPath: 'secret' }), /does not let user "ada" list folderPath "secret" \(permission denied\)/],
    ];
    for (const [auth, message] of cases) {
      const answer = await check(await connect(auth));
      expect(answer.status, JSON.stringify(answer)).toBe('failed');
      expect(answer.message).toMatch(message);
      for (const secret of [password, 'wrong-password-123', passPhrase, 'wrong phrase', key.privateKeyContent.slice(0, 40)]) expect(answer.message).not.toContain(secret);
    }
    // Explore answers a 400 naming what to fix.
    const connectionId = await connect(basic());
    const missing = await explore(connectionId, 'objectType=file&object=drops/missing.csv');
    expect(missing.status).toBe(400);
    expect(at(missing.json, 'detail')).toContain('no files match "drops/missing.csv"');
    const denied = await explore(connectionId, 'objectType=file&object=drops/locked.csv&preview=true');
    expect(denied.status).toBe(400);
    expect(at(denied.json, 'detail')).toContain('does not let user "ada" read "drops/locked.csv"');
    const refused = await explore(await connect(basic({ password: 'wrong-password-123' })), 'objectType=root');
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('wrong-password-123');
  });

  it('lands a CSV, a gzip CSV, a JSON and a Parquet file, a folder and a glob', async () => {
    const connectionId = await connect(withKey());
    const cases: [string, 'delimited' | 'json' | 'parquet', string[]][] = [
      ['drops/products.csv', 'delimited', ['csv-0', 'csv-1', 'csv-2']],
      ['drops/products.csv.gz', 'delimited', ['gz-0', 'gz-1', 'gz-2', 'gz-3']],
      ['drops/products.json', 'json', ['json-0', 'json-1']],
      ['drops/products.parquet', 'parquet', ['pq-0', 'pq-1', 'pq-2', 'pq-3', 'pq-4']],
      ['drops/daily/*.csv', 'delimited', ['day1-0', 'day1-1', 'day2-0', 'day2-1', 'day2-2']],
    ];
    for (const [sourcePath, format, expected] of cases) {
      const flow = await flowFor(connectionId, sourcePath, format, `format ${sourcePath}`);
      const run = await runNow(api, flow.flowId);
      expect(succeeded(run), sourcePath).toBe(expected.length);
      expect(await ids(flow.dataSetId)).toEqual(expected);
    }
    // A folder holds files only: its subfolders and hidden files are left out (the CSV reader reads both CSV files).
    server.write('plain/a.csv', header + csvRows('a', 2));
    server.write('plain/b.csv', header + csvRows('b', 1));
    server.write('plain/sub/c.csv', header + csvRows('c', 1));
    server.write('plain/.d.csv', header + csvRows('d', 1));
    const folder = await flowFor(connectionId, 'plain/', 'delimited', 'folder');
    const run = await runNow(api, folder.flowId);
    expect(succeeded(run)).toBe(3);
    expect((await manifestOf(run)).map((f) => f.name)).toEqual(['plain/a.csv', 'plain/b.csv']);
  });

  it('reads only new or changed files on later runs, each once per change, and lists them in the manifest', async () => {
    const old = Math.floor(Date.now() / 1000) - 3600;
    server.write('inc/one.csv', header + csvRows('one', 2), old);
    server.write('inc/two.csv', header + csvRows('two', 2), old);
    const flow = await flowFor(await connect(basic()), 'inc/*.csv', 'delimited', 'incremental');
    const opens = () => server.opened.filter((name) => name.startsWith('inc/'));

    const first = await runNow(api, flow.flowId);
    expect(succeeded(first)).toBe(4);
    expect((await manifestOf(first)).map((f) => ({ name: f.name, modified: f.modified }))).toEqual([
      { name: 'inc/one.csv', modified: new Date(old * 1000).toISOString() },
      { name: 'inc/two.csv', modified: new Date(old * 1000).toISOString() },
    ]);
    expect(opens()).toEqual(['inc/one.csv', 'inc/two.csv']);

    const unchanged = await runNow(api, flow.flowId);
    expect(succeeded(unchanged)).toBe(0);
    expect(opens()).toHaveLength(2);

    server.write('inc/two.csv', header + csvRows('two', 3), old + 60);
    server.write('inc/three.csv', header + csvRows('three', 1), old + 60);
    const third = await runNow(api, flow.flowId);
    expect(succeeded(third)).toBe(4);
    expect((await manifestOf(third)).map((f) => f.name)).toEqual(['inc/three.csv', 'inc/two.csv']);
    expect(opens()).toEqual(['inc/one.csv', 'inc/two.csv', 'inc/three.csv', 'inc/two.csv']);
    expect((await lakeRows(api, flow.dataSetId, '_id')).filter((row) => String(row._id).startsWith('two-'))).toHaveLength(2 + 3);
  });

  it('resumes reads after a dropped connection and a stalled read, landing every row once', async () => {
    const rows = 20_000;
    const file = server.write('faulty/big.csv', header + csvRows('f', rows));
    const size = fs.statSync(file).size;
    server.faults = [
      { kind: 'drop', afterBytes: Math.floor(size / 4), file: 'faulty/big.csv' },
      { kind: 'stall', afterBytes: Math.floor(size / 5), file: 'faulty/big.csv' },
      { kind: 'drop', afterBytes: 1000, file: 'faulty/big.csv' },
    ];
    const flow = await flowFor(await connect(basic()), 'faulty/big.csv', 'delimited', 'faults');
    const run = await runNow(api, flow.flowId);
    expect(succeeded(run)).toBe(rows);
    expect(server.faults).toEqual([]);
    const landed = await lakeRows(api, flow.dataSetId, 'count(*) AS n, count(DISTINCT _id) AS distinct_ids', '1');
    expect(landed.map((row) => [Number(row.n), Number(row.distinct_ids)])).toEqual([[rows, rows]]);
    expect(at(run, 'activities.0.statusSummary.extensions.streams.0')).toMatchObject({ stream: 'files', retries: 3, resumed: 3, stalls: 1, bytes: size });
  });

  it('gives up with a clear message when the faults never stop', async () => {
    server.write('hopeless/data.csv', header + csvRows('h', 5000));
    const connectionId = await connect(basic());
    const flow = await flowFor(connectionId, 'hopeless/data.csv', 'delimited', 'hopeless drop');
    server.everyRead = { kind: 'drop', afterBytes: 10_000 };
    try {
      const dropped = await runNow(api, flow.flowId);
      expect(statusOf(dropped)).toBe('failed');
      expect(errorsOf(dropped)).toMatch(/reading SFTP file \\"hopeless\/data.csv\\" stopped after 4 tries, at byte 40000 of \d+: the connection broke off/);
      server.everyRead = { kind: 'stall', afterBytes: 0 };
      const stalled = await runNow(api, flow.flowId);
      expect(statusOf(stalled)).toBe('failed');
      expect(errorsOf(stalled)).toMatch(/stopped after 4 tries, at byte 0 of \d+: no data came for 1500 ms/);
    } finally {
      server.everyRead = undefined;
    }
    // Nothing landed and the state did not move: the next run reads the file.
    expect(succeeded(await runNow(api, flow.flowId))).toBe(5000);
  });

  it('fails a run naming a missing path or a file the user may not read', async () => {
    const connectionId = await connect(basic());
    const missing = await runNow(api, (await flowFor(connectionId, 'drops/nothing/*.csv', 'delimited', 'missing path')).flowId);
    expect(statusOf(missing)).toBe('failed');
    expect(errorsOf(missing)).toContain('no files match \\"drops/nothing/*.csv\\"');
    const denied = await runNow(api, (await flowFor(connectionId, 'drops/locked.csv', 'delimited', 'denied file')).flowId);
    expect(statusOf(denied)).toBe('failed');
    expect(errorsOf(denied)).toContain('does not let user \\"ada\\" read \\"drops/locked.csv\\" (permission denied): grant the user read access');
    const refused = await runNow(api, (await flowFor(await connect(basic({ password: 'wrong-password-123' })), 'drops/products.csv', 'delimited', 'refused')).flowId);
    expect(statusOf(refused)).toBe('failed');
    expect(errorsOf(refused)).toContain('refused user \\"ada\\" with the password');
    expect(errorsOf(refused)).not.toContain('wrong-password-123');
  });

  it('streams a large file to staging without holding it in memory', { timeout: 300_000 }, async () => {
    const target = path.join(server.root, 'large/big.csv');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const rows = await writeLargeCsv(target, 64 * 1024 * 1024);
    const size = fs.statSync(target).size;
    const flow = await flowFor(await connect(basic()), 'large/big.csv', 'delimited', 'large');
    // The SFTP server shares this process, so its buffers count too: a file held whole by either side adds its size.
    const { result: run, growth } = await heldBufferGrowth(() => runNow(api, flow.flowId));
    expect(succeeded(run)).toBe(rows);
    expect(growth, `buffers grew ${Math.round(growth / 1e6)} MB reading ${Math.round(size / 1e6)} MB`).toBeLessThan(size / 2);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

async function writeParquet(target: string, csv: string): Promise<void> {
  const source = `${target}.source.csv`;
  fs.writeFileSync(source, csv);
  const duck = await DuckDbSession.open({ tempDirectory: path.dirname(target) });
  try {
    await duck.run(`COPY (SELECT * FROM read_csv('${source}', header = true)) TO '${target}' (FORMAT parquet)`);
  } finally {
    duck.close();
    fs.rmSync(source);
  }
}

/** Writes CSV rows until the file reaches `bytes`, in chunks; returns the row count. */
async function writeLargeCsv(target: string, bytes: number): Promise<number> {
  const out = fs.createWriteStream(target);
  out.write(header);
  let written = header.length;
  let rows = 0;
  const filler = 'x'.repeat(60);
  while (written < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i += 1, rows += 1) lines.push(`L-${rows},Large ${rows},${filler},t${rows % 3}\n`);
    const chunk = lines.join('');
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return rows;
}
