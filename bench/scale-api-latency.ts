/**
 * bench:scale part 3: API latency with many flows and runs in PostgreSQL. Flows, finished runs and their batches
 * are seeded in bulk (scale-seeding.ts); then one `serve --no-worker` answers three GETs, sent in turn by
 * `connections` loops (so that many requests are in flight at once), first on a quiet server and then while one
 * `tributary worker` runs two big-CSV runs (samples count while both are unfinished). The reference is the
 * same store reads done directly in this process (the services' repositories on a pool of 10 connections, as the
 * server has), with as many calls in flight: what PostgreSQL and the store cost without HTTP, the gateway and
 * building the answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/store/database.js';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { BatchesRepository } from '../src/services/catalog/batches.repository.js';
import { FlowsRepository } from '../src/services/flowservice/flows.repository.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { flowKind } from '../src/store/flow-index.js';
import { benchClient, idOf, startServer, startWorker, stopServer } from './bench-server.js';
import { percentile, runLoad, type LoadTarget } from './http-load.js';
import { createFileFlow, createFlowParts, farFutureStart, paymentsCsvSql, prodScope, scaleEnvironment, withSetupServer } from './scale-environment.js';
import { seedFlows, seedRuns } from './scale-seeding.js';

export interface ApiLatencyOptions {
  flows: number;
  runs: number;
  batches: number;
  bigRows: number;
  requests: number;
  connections: number;
  /**
   * TRIBUTARY_RUN_HEARTBEAT_SECONDS of the server and the worker (their recovery sweeps run every two beats);
   * unset: the product's default. A long one shows the latency without the sweeps.
   */
  heartbeatSeconds?: number | undefined;
}

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
}

export interface ApiLatencyResult {
  flows: number;
  runs: number;
  batches: number;
  seedSeconds: number;
  serverStartSeconds: number;
  workerStartSeconds: number;
  /** Each endpoint alone (one request at a time), under the load quiet and loaded, and its store reads done directly alone and under the same load. */
  endpoints: { name: string; alone: Percentiles; quiet: Percentiles; loaded: Percentiles; directAlone: Percentiles; direct: Percentiles }[];
  /** Stretches of the quiet load with answers slower than a second: [from s, to s, how many]. */
  quietStalls: [number, number, number][];
  quietSeconds: number;
  /** Answers a second under the load, all endpoints together. */
  quietPerSecond: number;
  loadedPerSecond: number;
  bigRunSeconds: number[];
}

/** How many targets (datasets) the flows write to, round robin. */
const targets = 4;

export async function measureApiLatency(options: ApiLatencyOptions): Promise<ApiLatencyResult> {
  const environment = await scaleEnvironment('api', { TRIBUTARY_WORKER_RUNS: '2', ...(options.heartbeatSeconds ? { TRIBUTARY_RUN_HEARTBEAT_SECONDS: String(options.heartbeatSeconds) } : {}) });
  const children: ChildProcess[] = [];
  try {
    const duck = await DuckDbSession.open({ tempDirectory: environment.work });
    await duck.run(paymentsCsvSql(path.join(environment.files, 'small.csv'), 100));
    await duck.run(paymentsCsvSql(path.join(environment.files, 'big-a.csv'), options.bigRows));
    duck.close();
    fs.copyFileSync(path.join(environment.files, 'big-a.csv'), path.join(environment.files, 'big-b.csv'));
    const setup = await withSetupServer(environment, async (client) => {
      const parts = await createFlowParts(client, environment.files, targets);
      const templates = [];
      for (const [k, part] of parts.entries()) templates.push({ id: await createFileFlow(client, part, `template ${k}`, 'small.csv', { frequency: 'once', startTime: farFutureStart }), dataSetId: part.dataSetId });
      const big = [];
      for (const name of ['big-a', 'big-b']) big.push(await createFileFlow(client, parts[0] as (typeof parts)[number], name, `${name}.csv`, { frequency: 'once', startTime: farFutureStart }));
      return { templates, big, dataSetId: parts[0]?.dataSetId ?? '' };
    });
    const store = await environment.store();
    const scope = await prodScope(environment);
    const repo = new ResourcesRepository(store.db);
    const templates = await Promise.all(setup.templates.map(async (t) => ({ flow: (await repo.get(flowKind, scope, t.id)) ?? fail(`template ${t.id} missing`), dataSetId: t.dataSetId })));
    const createdBy = (templates[0]?.flow.body as { createdBy: string; createdClient: string } | undefined) ?? fail('no template');

    const seeding = performance.now();
    const seeded = await seedFlows(store.db, scope, templates, Math.max(0, options.flows - templates.length - setup.big.length), () => ({ frequency: 'once', startTime: farFutureStart }));
    let reported = 0;
    const batches = await seedRuns(store.db, scope, { clientId: createdBy.createdClient, userId: createdBy.createdBy }, seeded, options.runs, options.batches, (done) => {
      if (done - reported >= 100_000) {
        reported = done;
        console.log(`  seeded ${done.toLocaleString('en-US')} runs (${((performance.now() - seeding) / 1000).toFixed(0)} s)`);
      }
    });
    // What autovacuum would do soon after a load this size; without statistics the planner guesses.
    await sql`ANALYZE`.execute(store.db);
    const seedSeconds = (performance.now() - seeding) / 1000;
    const flowCount = seeded.length + templates.length + setup.big.length;
    console.log(`  seeded ${seeded.length} flows, ${options.runs.toLocaleString('en-US')} runs and ${batches.toLocaleString('en-US')} batches in ${seedSeconds.toFixed(1)} s (${flowCount} flows in all)`);

    let began = performance.now();
    const server = await startServer(environment.dataDir, environment.env, ['--no-worker']);
    children.push(server.child);
    const serverStartSeconds = (performance.now() - began) / 1000;
    began = performance.now();
    children.push(await startWorker(environment.dataDir, environment.env));
    const workerStartSeconds = (performance.now() - began) / 1000;
    const client = benchClient(server.base, environment.issued);

    const flowX = seeded[0]?.flowId ?? fail('no seeded flow');
    const loadTargets: LoadTarget[] = [
      { name: 'GET /flows?limit=50', path: '/data/foundation/flowservice/flows?limit=50' },
      { name: 'GET /runs?property=flowId==X', path: `/data/foundation/flowservice/runs?property=flowId==${flowX}` },
      { name: 'GET /catalog/batches?dataSet=X', path: `/data/foundation/catalog/batches?dataSet=${setup.dataSetId}` },
    ];
    // Warm-up (statement caches, JIT), not counted.
    await runLoad(server.base, client.headers, loadTargets, { connections: options.connections, requests: 300, maxMs: 120_000 });
    // One request at a time: what a request costs the server alone, before any queueing.
    const alone = await runLoad(server.base, client.headers, loadTargets, { connections: 1, requests: 150, maxMs: 120_000 });
    let quietSeconds = performance.now();
    const quiet = await runLoad(server.base, client.headers, loadTargets, { connections: options.connections, requests: options.requests, maxMs: 10 * 60_000 });
    quietSeconds = (performance.now() - quietSeconds) / 1000;
    const directAlone = await directReads(store.db, scope, flowX, setup.dataSetId, 1, 150);
    const direct = await directReads(store.db, scope, flowX, setup.dataSetId, options.connections, Math.min(options.requests, 3000));

    const runs = new RunsRepository(store.db);
    const runIds: string[] = [];
    for (const flowId of setup.big) runIds.push(idOf(await client.post('/flowservice/runs', { flowId })));
    let bothWorking = true;
    const watching = (async () => {
      while (bothWorking) {
        const records = await runs.records(scope, runIds);
        bothWorking = runIds.every((id) => ['queued', 'inProgress'].includes(statusOf(records.get(id)?.body)));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    let loadedSeconds = performance.now();
    const loaded = await runLoad(server.base, client.headers, loadTargets, { connections: options.connections, requests: Number.MAX_SAFE_INTEGER, stop: () => !bothWorking, maxMs: 20 * 60_000 });
    loadedSeconds = (performance.now() - loadedSeconds) / 1000;
    bothWorking = false;
    await watching;
    const bigRunSeconds = await waitForBigRuns(runs, scope, runIds, options.bigRows);

    const figures = (samples: { ms: number }[] | undefined): Percentiles => {
      const values = (samples ?? []).map((s) => s.ms);
      return { count: values.length, p50: percentile(values, 0.5), p99: percentile(values, 0.99) };
    };
    return {
      flows: flowCount,
      runs: options.runs,
      batches,
      seedSeconds,
      serverStartSeconds,
      workerStartSeconds,
      endpoints: loadTargets.map((t) => ({
        name: t.name,
        alone: figures(alone.get(t.name)),
        quiet: figures(quiet.get(t.name)),
        loaded: figures(loaded.get(t.name)),
        directAlone: figures(directAlone.get(t.name)),
        direct: figures(direct.get(t.name)),
      })),
      quietPerSecond: options.requests / quietSeconds,
      quietStalls: stalls([...quiet.values()].flat(), 1000),
      quietSeconds,
      loadedPerSecond: [...loaded.values()].reduce((n, s) => n + s.length, 0) / loadedSeconds,
      bigRunSeconds,
    };
  } finally {
    for (const child of children.reverse()) await stopServer(child);
    await environment.dispose();
  }
}


/** Groups the samples slower than `thresholdMs` into stretches (a gap of over 2 s starts a new one). */
function stalls(samples: { ms: number; at: number }[], thresholdMs: number): [number, number, number][] {
  const slow = samples.filter((s) => s.ms > thresholdMs).sort((a, b) => a.at - b.at);
  const found: [number, number, number][] = [];
  for (const sample of slow) {
    const last = found[found.length - 1];
    if (last && sample.at / 1000 - last[1] <= 2) {
      last[1] = (sample.at + sample.ms) / 1000;
      last[2] += 1;
    } else found.push([sample.at / 1000, (sample.at + sample.ms) / 1000, 1]);
  }
  return found;
}

function fail(message: string): never {
  throw new Error(message);
}

function statusOf(body: unknown): string {
  return String((body as { metrics?: { statusSummary?: { status?: unknown } } } | undefined)?.metrics?.statusSummary?.status);
}

/** Waits for the big runs to end, checks each landed every row, and returns each one's seconds from record to completion. */
async function waitForBigRuns(runs: RunsRepository, scope: Scope, runIds: string[], rows: number): Promise<number[]> {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    const records = await runs.records(scope, runIds);
    const bodies = runIds.map((id) => records.get(id)?.body as { createdAt: number; metrics: { statusSummary: { status: string }; recordSummary: { outputRecordCount: number }; durationSummary: { completedAtUTC?: number } } } | undefined);
    if (bodies.every((b) => b && !['queued', 'inProgress'].includes(b.metrics.statusSummary.status))) {
      return bodies.map((b) => {
        if (b?.metrics.statusSummary.status !== 'success' || b.metrics.recordSummary.outputRecordCount !== rows) throw new Error(`a big run did not land ${rows} rows: ${JSON.stringify(b?.metrics)}`);
        return ((b.metrics.durationSummary.completedAtUTC ?? Number.NaN) - b.createdAt) / 1000;
      });
    }
    if (Date.now() > deadline) throw new Error('the big runs had not finished after 20 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The reads behind each answer, done directly through the repositories the services use: a page of the index and
 * its bodies (and, for flows, each flow's last run and its connections), as many in flight as the HTTP load had.
 */
async function directReads(db: Kysely<Database>, scope: Scope, flowId: string, dataSetId: string, connections: number, total: number): Promise<Map<string, { ms: number }[]>> {
  const flows = new FlowsRepository(db);
  const runs = new RunsRepository(db);
  const batches = new BatchesRepository(db);
  const repo = new ResourcesRepository(db);
  const reads: [string, () => Promise<unknown>][] = [
    ['GET /flows?limit=50', async () => {
      const rows = await flows.page(scope, { where: [], order: [{ column: 'flow_id', descending: false }], limit: 51 });
      const bodies = [...(await flows.getMany(scope, rows.slice(0, 50).map((r) => r.flow_id))).values()];
      const sources = await repo.getMany('flowservice.sourceConnection', scope, bodies.flatMap((b) => b.body.sourceConnectionIds));
      await Promise.all([
        runs.lastRuns(scope, bodies.map((b) => b.id)),
        repo.getMany('flowservice.targetConnection', scope, bodies.flatMap((b) => b.body.targetConnectionIds)),
        repo.getMany('flowservice.connection', scope, [...sources.values()].map((s) => String((s.body as { baseConnectionId?: unknown }).baseConnectionId))),
      ]);
    }],
    ['GET /runs?property=flowId==X', async () => {
      const rows = await runs.page(scope, { where: [{ column: 'flow_id', operator: 'in', values: [flowId] }], order: [{ column: 'created_at', descending: true }, { column: 'run_id', descending: false }], limit: 101 });
      await runs.records(scope, rows.slice(0, 100).map((r) => r.run_id));
    }],
    ['GET /catalog/batches?dataSet=X', async () => {
      const rows = await batches.page(scope, { where: [{ column: 'data_set_id', operator: 'in', values: [dataSetId] }], order: [], offset: 0, limit: 20 });
      await batches.getMany(scope, rows.map((r) => r.batch_id));
    }],
  ];
  const samples = new Map<string, { ms: number }[]>(reads.map(([name]) => [name, []]));
  let sent = 0;
  const loop = async () => {
    while (sent < total) {
      const [name, read] = reads[sent % reads.length] as [string, () => Promise<unknown>];
      sent += 1;
      const began = performance.now();
      await read();
      samples.get(name)?.push({ ms: performance.now() - began });
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return samples;
}
