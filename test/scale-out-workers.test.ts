import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { availableBackends, sqlInSchema } from './support/backends.js';
import { createFileFlow, type FileFlow } from './support/file-flow.js';
import { serveClient, serveEnvironment, startServe, startWorker, type ServeProcess, type WorkerProcess } from './support/serve-process.js';
import { at, str } from './support/test-api.js';

const onPostgres = (await availableBackends()).filter((backend) => backend.name === 'postgres');
const flowservice = '/data/foundation/flowservice';
/** Enough rows that a run takes a few seconds: long enough to kill or pause its worker in the middle. */
const rows = 600_000;

/**
 * Servers and workers as separate processes on one PostgreSQL store and one lake folder. Leases beat every 1.5 s
 * here (15 s by default), so a silent worker is taken for gone after 6 s and its run handed on within a sweep.
 */
describe.each(onPostgres)('runs on worker processes sharing one PostgreSQL store on $name', (backend) => {
  const sourceRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-workers-src-'));
  const { dataDir, env, dispose } = serveEnvironment(backend, 'workers', {
    TRIBUTARY_FILE_ROOTS: sourceRoot,
    TRIBUTARY_RUN_HEARTBEAT_SECONDS: '1.5',
    TRIBUTARY_WORKER_RUNS: '1',
    TRIBUTARY_LOG_LEVEL: 'warn',
  });
  const processes: (ServeProcess | WorkerProcess)[] = [];
  let server: ServeProcess;
  let client: ReturnType<typeof serveClient>;

  const schema = env.TRIBUTARY_DATABASE_SCHEMA as string;
  const sql = sqlInSchema(schema);
  const worker = async () => {
    const started = await startWorker(dataDir, env);
    processes.push(started);
    return started;
  };
  /** The pid of the process whose lease holds the run, once one does. */
  const holderOf = async (runId: string): Promise<number> => {
    for (let i = 0; i < 600; i += 1) {
      const [lease] = await sql<{ body: string }>(`SELECT body FROM $schema.resources WHERE kind = 'engine.runLease' AND id = $1`, [runId]);
      const owner = lease ? (JSON.parse(lease.body) as { owner: string }).owner.split(':') : [];
      if (owner.length >= 3) return Number(owner[owner.length - 2]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no process took run ${runId}`);
  };
  /** Waits until the run is past reading its source (its staged batch folder exists), so it is mid-way. */
  const midway = async (runId: string) => {
    for (let i = 0; i < 1200; i += 1) {
      const staging = path.join(dataDir, 'staging');
      const folders = fs.existsSync(staging) ? fs.readdirSync(staging).filter((name) => name.startsWith(runId)) : [];
      if (folders.some((name) => fs.existsSync(path.join(staging, name, 'batch')))) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`run ${runId} never staged a batch`);
  };
  const finished = async (runId: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await client.request('GET', `${flowservice}/runs/${runId}`)).json;
      if (at(run, 'items.0.metrics.statusSummary.status') !== 'inProgress') return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  /** Every row of the dataset's committed batches (the lake folders the Catalog says succeeded), and how many ids. */
  const landed = async (flow: FileFlow) => {
    const batches = (await client.request('GET', `/data/foundation/catalog/batches?dataSet=${flow.dataSetId}`)).json as Record<string, { status: string }>;
    const committed = Object.entries(batches).filter(([, batch]) => batch.status === 'success').map(([id]) => id);
    const lake = path.join(dataDir, 'lake', 'TRIBUTARYDEV@AdobeOrg', 'prod', flow.dataSetId);
    const files = committed.flatMap((id) => {
      const data = path.join(lake, id, 'data');
      return fs.existsSync(data) ? fs.readdirSync(data).map((f) => path.join(data, f)) : [];
    });
    const folders = fs.existsSync(lake) ? fs.readdirSync(lake) : [];
    if (files.length === 0) return { rows: 0, ids: 0, committed, folders };
    const duck = await DuckDbSession.open({ tempDirectory: sourceRoot });
    try {
      const [count] = await duck.rows(`SELECT count(*) AS n, count(DISTINCT _id) AS ids FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
      return { rows: Number(count?.n), ids: Number(count?.ids), committed, folders };
    } finally {
      duck.close();
    }
  };
  const startRun = async (flow: FileFlow) => {
    const started = await client.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } });
    expect(started.status, started.text).toBe(201);
    return str(started.json, 'id');
  };

  beforeAll(async () => {
    const duck = await DuckDbSession.open({ tempDirectory: sourceRoot });
    await duck.run(`COPY (SELECT 'P' || i AS Product_Id, 'Product ' || i AS Product_Name, 'd' AS Description, 'PHYSICAL' AS Type, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS updatedAt FROM range(${rows}) t(i)) TO '${path.join(sourceRoot, 'products.csv')}' (HEADER)`);
    duck.close();
    // The API server runs no runs: every run below is run by a worker process.
    server = await startServe(dataDir, env, ['--no-worker']);
    processes.push(server);
    client = serveClient(server);
    client.tenantId = str((await client.request('GET', '/data/foundation/schemaregistry/stats')).json, 'tenantId');
  }, 60_000);

  afterAll(async () => {
    for (const child of processes) {
      if (child.child.exitCode === null && child.child.signalCode === null) {
        child.child.kill('SIGCONT');
        child.child.kill('SIGKILL');
      }
    }
    fs.rmSync(sourceRoot, { recursive: true, force: true });
    await dispose();
  });

  it('a server started on a data directory that does not exist yet creates it, and stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const fresh = path.join(dataDir, 'not-yet', 'there');
    const other = await startServe(fresh, env, ['--no-worker']);
    expect(fs.existsSync(path.join(fresh, 'server.json'))).toBe(true);
    const exited = new Promise<number | null>((resolve) => other.child.on('exit', (code) => resolve(code)));
    other.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(other.output()).not.toMatch(/ENOENT/);
  });

  it('a worker killed in the middle of a run: another worker runs it again, and the lake holds every row once', { timeout: 180_000 }, async () => {
    const first = await worker();
    const flow = await createFileFlow(client, { root: sourceRoot, path: 'products.csv', format: 'delimited', title: 'killed worker' });
    const runId = await startRun(flow);
    expect(await holderOf(runId)).toBe(first.pid);
    await midway(runId);
    const exited = new Promise((resolve) => first.child.on('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    const second = await worker();
    const run = await finished(runId);
    expect(at(run, 'items.0.metrics.statusSummary.status')).toBe('success');
    expect(at(run, 'items.0.metrics.recordSummary.outputRecordCount')).toBe(rows);
    expect(JSON.stringify(run)).toContain('attempt 2');
    const lake = await landed(flow);
    expect(lake).toMatchObject({ rows, ids: rows, committed: [expect.any(String)] });
    // The killed attempt's staging is swept once its run is over; no batch folder but the committed one.
    expect(lake.folders).toEqual(lake.committed);
    await second.stop();
  });

  it('a worker paused past its heartbeat and resumed cannot commit: its run was given to another worker', { timeout: 180_000 }, async () => {
    const paused = await worker();
    const flow = await createFileFlow(client, { root: sourceRoot, path: 'products.csv', format: 'delimited', title: 'paused worker' });
    const runId = await startRun(flow);
    expect(await holderOf(runId)).toBe(paused.pid);
    await midway(runId);
    paused.child.kill('SIGSTOP');
    const other = await worker();
    try {
      // Silent for four beats, the paused worker is taken for gone: pg-boss gives its run to the other worker.
      const run = await finished(runId);
      expect(at(run, 'items.0.metrics.statusSummary.status')).toBe('success');
      expect(JSON.stringify(run)).toContain('attempt 2');
    } finally {
      paused.child.kill('SIGCONT');
    }
    // Resumed, the paused worker's attempt finds its claim gone at its next save or at its commit.
    const deadline = Date.now() + 60_000;
    while (!/no longer holds it/.test(paused.output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(paused.output()).toMatch(/attempt 0 of run \S+ no longer holds it/);
    const lake = await landed(flow);
    expect(lake).toMatchObject({ rows, ids: rows, committed: [expect.any(String)] });
    expect(lake.folders).toEqual(lake.committed);
    const record = (await client.request('GET', `${flowservice}/runs/${runId}`)).json;
    expect(at(record, 'items.0.metrics.statusSummary.status')).toBe('success');
    await paused.stop();
    await other.stop();
  });

  it('on SIGTERM a worker takes no new run, finishes the one it has, and exits', { timeout: 120_000 }, async () => {
    const stopping = await worker();
    const flow = await createFileFlow(client, { root: sourceRoot, path: 'products.csv', format: 'delimited', title: 'stopping worker' });
    const later = await createFileFlow(client, { root: sourceRoot, path: 'products.csv', format: 'delimited', title: 'queued while stopping' });
    const runId = await startRun(flow);
    expect(await holderOf(runId)).toBe(stopping.pid);
    await midway(runId);
    const exited = new Promise<number | null>((resolve) => stopping.child.on('exit', (code) => resolve(code)));
    stopping.child.kill('SIGTERM');
    // Asked for after the SIGTERM: it waits in the queue for another worker.
    const waiting = await startRun(later);
    expect(await exited).toBe(0);
    const run = (await client.request('GET', `${flowservice}/runs/${runId}`)).json;
    expect(at(run, 'items.0.metrics.statusSummary.status')).toBe('success');
    expect(at((await client.request('GET', `${flowservice}/runs/${waiting}`)).json, 'items.0.metrics.statusSummary.extensions.stage')).toBe('queued');
    const next = await worker();
    expect(at(await finished(waiting), 'items.0.metrics.statusSummary.status')).toBe('success');
    await next.stop();
  });

  it('the scheduler runs in one server; when that server is killed another takes over within 5 s, and no window runs twice', { timeout: 120_000 }, async () => {
    const runner = await worker();
    const second = await startServe(dataDir, env, ['--no-worker']);
    processes.push(second);
    const minute = 60_000;
    // Every 15 minutes (the shortest interval a flow may have), from 40 minutes ago.
    const startTime = Math.floor((Date.now() - 40 * minute) / minute) * minute;
    const flow = await createFileFlow(client, {
      root: sourceRoot,
      path: 'products.csv',
      format: 'delimited',
      title: 'scheduled failover',
      scheduleParams: { startTime: startTime / 1000, frequency: 'minute', interval: 15, backfill: true },
    });
    const secondClient = serveClient(second, server);
    const runsOf = async () => {
      const listed = (await secondClient.request('GET', `${flowservice}/runs?property=flowId==${flow.flowId}`)).json;
      return (at(listed, 'items') as Record<string, unknown>[] | undefined) ?? [];
    };
    const [seat] = await sql<{ pid: number }>(`SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objid = (hashtext($1)::bigint & 4294967295) AND l.granted`, [`${schema}:scheduler`]);
    expect(seat).toBeDefined();
    // The first server holds the seat: it started first. Its runs start within its pass (max sleep 30 s).
    for (let i = 0; i < 450 && (await runsOf()).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await runsOf()).length).toBe(1);
    const killedAt = Date.now();
    const exited = new Promise((resolve) => server.child.on('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    // The second server takes the seat once the first's session is gone.
    for (let i = 0; i < 200; i += 1) {
      const [holder] = await sql<{ n: string }>(`SELECT count(*) AS n FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objid = (hashtext($1)::bigint & 4294967295) AND l.granted`, [`${schema}:scheduler`]);
      if (Number(holder?.n) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const tookOverMs = Date.now() - killedAt;
    expect(tookOverMs).toBeLessThan(5_000);
    server = second;
    client = secondClient;
    // The new scheduler's first pass finds the window taken by the first one: still one run.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const runs = await runsOf();
    expect(runs).toHaveLength(1);
    const windows = runs.map((run) => JSON.stringify(at(run, 'activities.0.durationSummary.extensions')));
    expect(new Set(windows).size).toBe(windows.length);
    for (const run of runs) await finished(str(run, 'id'));
    await runner.stop();
  });
});
