import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, postgresUrl } from './support/backends.js';
import { createFileFlow } from './support/file-flow.js';
import { Rng } from '../src/standins/seeded-rng.js';
import { startWorker, type WorkerProcess } from './support/serve-process.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const onPostgres = (await availableBackends()).filter((backend) => backend.name === 'postgres');
const flowservice = '/data/foundation/flowservice';
const minute = 60_000;
const hour = 60 * minute;
/** The schedules flows draw from: every interval divides the 5-minute step the clock moves by. */
const schedules = [
  { frequency: 'minute', interval: 15 },
  { frequency: 'minute', interval: 30 },
  { frequency: 'hour', interval: 1 },
  { frequency: 'hour', interval: 2 },
] as const;
const flowCount = 200;
const simulated = 2 * hour;
const step = 5 * minute;

/**
 * Two API servers with their schedulers on an injected clock, and three `tributary worker` processes running the
 * runs, on one PostgreSQL store. Both schedulers tick at every step (more than the one seat allows: a failover's
 * worst case), and each step waits for its runs, so every grid window must appear exactly once.
 */
describe.each(onPostgres)('200 flows on random schedules through simulated hours on $name', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-windows-'));
  const secret = 'windows-test-secret';
  const start = Math.ceil(Date.now() / hour) * hour + hour;
  let clock = start;
  let api: TestApi;
  let second: Awaited<ReturnType<TestApi['secondServer']>>;
  const workers: WorkerProcess[] = [];
  const flows = new Map<string, (typeof schedules)[number]>();

  beforeAll(async () => {
    fs.writeFileSync(path.join(root, 'p.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,,PHYSICAL,2024-01-02 10:00:00\n');
    api = await startApi(onPostgres[0]!, { now: () => clock, runs: { worker: false }, secret, fileRoots: [root] });
    second = await api.secondServer();
    const env = {
      ...process.env,
      DATABASE_URL: postgresUrl,
      TRIBUTARY_DATABASE_SCHEMA: api.store.postgres?.schema ?? '',
      TRIBUTARY_SECRET_KEY: secret,
      TRIBUTARY_FILE_ROOTS: root,
      TRIBUTARY_WORKER_RUNS: '2',
      TRIBUTARY_LOG_LEVEL: 'warn',
    };
    for (let i = 0; i < 3; i += 1) workers.push(await startWorker(api.dataDir, env));
    // One flow built in full, then the others on its connections and mapping, each with its own schedule.
    const random = new Rng(11);
    const first = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'windows', scheduleParams: { startTime: start / 1000, frequency: 'hour', interval: 1 } });
    const body = at((await api.request('GET', `${flowservice}/flows/${first.flowId}`)).json, 'items.0') as Record<string, unknown>;
    await api.request('DELETE', `${flowservice}/flows/${first.flowId}`, { headers: { 'if-match': String(body.etag) } });
    for (let i = 0; i < flowCount; i += 1) {
      const schedule = random.pick(schedules);
      const created = await api.request('POST', `${flowservice}/flows`, {
        body: {
          name: `windows ${i}`,
          flowSpec: body.flowSpec,
          sourceConnectionIds: body.sourceConnectionIds,
          targetConnectionIds: body.targetConnectionIds,
          transformations: body.transformations,
          scheduleParams: { startTime: start / 1000, frequency: schedule.frequency, interval: schedule.interval, backfill: true },
        },
      });
      expect(created.status, created.text).toBe(201);
      flows.set(str(created.json, 'id'), schedule);
    }
  }, 180_000);

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await second?.close();
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const unfinished = async () => {
    const row = await api.store.db.selectFrom('flow_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['queued', 'inProgress']).executeTakeFirst();
    return Number(row?.n ?? 0);
  };

  it('runs every window of every flow exactly once, on whichever worker', { timeout: 600_000 }, async () => {
    for (clock = start + step; clock <= start + simulated; clock += step) {
      await Promise.all([api.app.scheduler.tick(), second.app.scheduler.tick()]);
      const deadline = Date.now() + 120_000;
      while ((await unfinished()) > 0) {
        if (Date.now() > deadline) throw new Error(`runs of the step at +${(clock - start) / minute} min did not finish`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const rows = await api.store.db.selectFrom('resources').select(['body']).where('kind', '=', 'flowservice.run').execute();
    const runs = rows.map((row) => JSON.parse(row.body) as Record<string, unknown>);
    // Every run landed; a failed one is named with its errors (its flow's next window rightly starts where it did).
    const failed = runs.filter((run) => at(run, 'metrics.statusSummary.status') !== 'success').map((run) => ({ id: run.id, flowId: run.flowId, status: at(run, 'metrics.statusSummary') }));
    expect(failed).toEqual([]);
    const byFlow = new Map<string, { start: number; end: number; status: unknown }[]>();
    for (const run of runs) {
      const window = at(run, 'activities.0.durationSummary.extensions') as { windowStart: number; windowEnd: number };
      const list = byFlow.get(String(run.flowId)) ?? [];
      list.push({ start: window.windowStart, end: window.windowEnd, status: at(run, 'metrics.statusSummary.status') });
      byFlow.set(String(run.flowId), list);
    }
    expect(byFlow.size).toBe(flowCount);
    for (const [flowId, schedule] of flows) {
      const every = schedule.interval * (schedule.frequency === 'hour' ? hour : minute);
      const windows = (byFlow.get(flowId) ?? []).sort((a, b) => a.end - b.end);
      // One run per grid tick (the start time is the first), each window starting where the one before ended: none
      // missed, none run twice.
      expect(windows.map((w) => w.end), flowId).toEqual(Array.from({ length: simulated / every + 1 }, (_, k) => start + k * every));
      expect(windows.slice(1).map((w) => w.start)).toEqual(windows.slice(0, -1).map((w) => w.end));
      expect(new Set(windows.map((w) => w.status))).toEqual(new Set(['success']));
    }
    // Nothing left held, and no attempt was taken for gone on the way.
    const holders = await api.store.db.selectFrom('resources').select(['id']).where('kind', '=', 'engine.runLease').execute();
    expect(holders).toEqual([]);
    for (const worker of workers) expect(worker.output()).not.toMatch(/no longer holds it/);
  });
});
