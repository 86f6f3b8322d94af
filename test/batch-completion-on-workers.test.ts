import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landingJobId } from '../src/engine/queue/run-queue.js';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { LakeLayout } from '../src/lake/lake-layout.js';
import { availableBackends, sqlInSchema } from './support/backends.js';
import { serveClient, serveEnvironment, startServe, startWorker, type ServeProcess, type WorkerProcess } from './support/serve-process.js';
import { at, str } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const onPostgres = (await availableBackends()).filter((backend) => backend.name === 'postgres');
const importBase = '/data/foundation/import';
/** Enough rows that a landing takes a few seconds: long enough to kill its worker in the middle. */
const manyRows = 600_000;

/**
 * Batch Ingestion's COMPLETE on a server that runs nothing (`serve --no-worker`): the landing goes through the
 * PostgreSQL run queue to a `tributary worker` process, and the answer waits until the batch has its outcome.
 * Leases beat every 1.5 s here, so a killed worker's landing is handed on within a few sweeps.
 */
describe.each(onPostgres)('COMPLETE landed by worker processes on $name', (backend) => {
  const sourceRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-landing-src-'));
  const { dataDir, env, dispose } = serveEnvironment(backend, 'landings', { TRIBUTARY_RUN_HEARTBEAT_SECONDS: '1.5', TRIBUTARY_WORKER_RUNS: '1' });
  const schema = env.TRIBUTARY_DATABASE_SCHEMA as string;
  const processes: (ServeProcess | WorkerProcess)[] = [];
  let client: ReturnType<typeof serveClient>;
  let server: ServeProcess;
  let dataSetId: string;
  /** Every batch created here: the dataset's lake folders must be these, none left by a killed attempt. */
  const batchIds: string[] = [];

  const sql = sqlInSchema(schema);
  const worker = async () => {
    const started = await startWorker(dataDir, env);
    processes.push(started);
    return started;
  };
  /** A loading batch holding one file of `rows` records with ids `<prefix>0`, `<prefix>1`, … */
  const loadedBatch = async (prefix: string, rows: number): Promise<string> => {
    const created = await client.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } });
    expect(created.status, created.text).toBe(201);
    const batchId = str(created.json, 'id');
    batchIds.push(batchId);
    const file = path.join(sourceRoot, `${prefix}.json`);
    const duck = await DuckDbSession.open({ tempDirectory: sourceRoot });
    try {
      await duck.run(`COPY (SELECT '${prefix}' || i AS _id, {'birthYear': 1900 + (i % 100)::INTEGER} AS person FROM range(${rows}) t(i)) TO '${file}' (FORMAT JSON)`);
    } finally {
      duck.close();
    }
    const put = await fetch(`${server.baseUrl}${importBase}/batches/${batchId}/datasets/${dataSetId}/files/${prefix}.json`, {
      method: 'PUT',
      headers: { ...client.headers, 'content-type': 'application/octet-stream' },
      body: fs.readFileSync(file),
    });
    expect(put.status, await put.text()).toBe(200);
    return batchId;
  };
  const complete = (batchId: string) => client.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`);
  const batchOf = async (batchId: string) => at((await client.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, batchId) as Record<string, unknown>;
  /** The rows of one batch in the lake, and how many distinct ids; and which batch folders the dataset has. */
  const landed = async (batchId: string) => {
    const lake = path.join(dataDir, 'lake', 'TRIBUTARYDEV@AdobeOrg', 'prod', dataSetId);
    const data = path.join(lake, batchId, 'data');
    const files = fs.existsSync(data) ? fs.readdirSync(data).map((f) => path.join(data, f)) : [];
    const folders = fs.existsSync(lake) ? fs.readdirSync(lake).sort() : [];
    if (files.length === 0) return { rows: 0, ids: 0, folders };
    const duck = await DuckDbSession.open({ tempDirectory: sourceRoot });
    try {
      const [count] = await duck.rows(`SELECT count(*) AS n, count(DISTINCT _id) AS ids FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
      return { rows: Number(count?.n), ids: Number(count?.ids), folders };
    } finally {
      duck.close();
    }
  };
  /** The landing's job in the queue's table: pg-boss's state and how many attempts were redelivered. */
  const jobOf = async (batchId: string) => {
    const [job] = await sql<{ state: string; retry_count: number }>(`SELECT state, retry_count FROM "${schema}_queue".job WHERE id = $1`, [landingJobId(batchId)]);
    return job;
  };
  /** The pid of the process whose lease holds the batch's landing, once one does. */
  const landerOf = async (batchId: string): Promise<number> => {
    for (let i = 0; i < 600; i += 1) {
      const [lease] = await sql<{ body: string }>(`SELECT body FROM $schema.resources WHERE kind = 'engine.runLease' AND id = $1`, [`import-${batchId}`]);
      const owner = lease ? (JSON.parse(lease.body) as { owner: string }).owner.split(':') : [];
      if (owner.length >= 3) return Number(owner[owner.length - 2]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no process took the landing of batch ${batchId}`);
  };
  /** Waits until the landing has staged its batch (past reading the file): it is mid-way. */
  const midway = async (batchId: string) => {
    for (let i = 0; i < 1200; i += 1) {
      const staging = path.join(dataDir, 'staging');
      const folders = fs.existsSync(staging) ? fs.readdirSync(staging).filter((name) => name.startsWith(`import-${batchId}`)) : [];
      if (folders.some((name) => fs.existsSync(path.join(staging, name, 'batch')))) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the landing of batch ${batchId} never staged`);
  };

  beforeAll(async () => {
    server = await startServe(dataDir, env, ['--no-worker']);
    processes.push(server);
    client = serveClient(server);
    client.tenantId = str((await client.request('GET', '/data/foundation/schemaregistry/stats')).json, 'tenantId');
    const group = await client.request('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', { body: tutorial.productFieldGroup(client.tenantId) });
    const created = await client.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: str(group.json, '$id') }] } });
    const dataSet = await client.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(created.json, '$id')) });
    dataSetId = str(dataSet.json, '0').split('/').pop() as string;
  }, 60_000);

  afterAll(async () => {
    for (const child of processes) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    fs.rmSync(sourceRoot, { recursive: true, force: true });
    await dispose();
  });

  it('answers COMPLETE once a worker process landed the batch; the server itself lands nothing', { timeout: 120_000 }, async () => {
    const runner = await worker();
    const batchId = await loadedBatch('W', 1000);
    const answer = await complete(batchId);
    expect(answer.status, answer.text).toBe(200);
    // Answered only once the batch has its outcome: nothing to wait for after the answer.
    const batch = await batchOf(batchId);
    expect(batch.status).toBe('success');
    expect(at(batch, 'metrics.outputRecordCount')).toBe(1000);
    expect(await landed(batchId)).toEqual({ rows: 1000, ids: 1000, folders: [...batchIds].sort() });
    expect(fs.existsSync(new LakeLayout(dataDir).uploadDir(batchId))).toBe(false);
    // It went through the queue, and a worker ended its job.
    expect(await jobOf(batchId)).toMatchObject({ state: 'completed', retry_count: 0 });
    // A COMPLETE repeated once the batch has its outcome is answered the same, without a second landing.
    expect((await complete(batchId)).status).toBe(200);
    expect((await landed(batchId)).rows).toBe(1000);
    await runner.stop();
  });

  it('waits while no worker runs, and answers once one starts and lands the batch', { timeout: 120_000 }, async () => {
    const batchId = await loadedBatch('Q', 50);
    const answer = complete(batchId);
    for (let i = 0; i < 200 && (await jobOf(batchId))?.state !== 'created'; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await batchOf(batchId)).status).toBe('processing');
    // While the landing waits, the batch is the completion's: every other action is refused.
    expect((await client.request('POST', `${importBase}/batches/${batchId}?action=ABORT`)).status).toBe(409);
    const runner = await worker();
    expect((await answer).status).toBe(200);
    expect((await batchOf(batchId)).status).toBe('success');
    expect((await landed(batchId)).rows).toBe(50);
    await runner.stop();
  });

  it('a worker killed in the middle of a landing: another worker lands the batch again, and the lake holds every row once', { timeout: 240_000 }, async () => {
    const first = await worker();
    const batchId = await loadedBatch('K', manyRows);
    const answer = complete(batchId);
    expect(await landerOf(batchId)).toBe(first.pid);
    await midway(batchId);
    const exited = new Promise((resolve) => first.child.on('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    const second = await worker();
    const answered = await answer;
    expect(answered.status, answered.text).toBe(200);
    const batch = await batchOf(batchId);
    expect(batch.status).toBe('success');
    expect(at(batch, 'metrics.outputRecordCount')).toBe(manyRows);
    expect(await landed(batchId)).toEqual({ rows: manyRows, ids: manyRows, folders: [...batchIds].sort() });
    // The killed attempt's staging is swept once no live process holds the landing (within a sweep or two).
    const staging = path.join(dataDir, 'staging');
    const left = () => (fs.existsSync(staging) ? fs.readdirSync(staging).filter((name) => name.startsWith(`import-${batchId}`)) : []);
    for (let i = 0; i < 300 && left().length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(left()).toEqual([]);
    expect(await jobOf(batchId)).toMatchObject({ state: 'completed', retry_count: 1 });
    await second.stop();
  });
});
