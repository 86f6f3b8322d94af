/**
 * Scale-out benchmark (issue 11), on the PostgreSQL at DATABASE_URL (default: the local `test` database; each part
 * works in a schema of its own and drops it). Three parts, each a flag away from the issue's sizes:
 *
 * 1. runs: runs per minute on small CSV files with 1, 2 and 4 `tributary worker` processes behind one
 *    `serve --no-worker`; the ratio is against 1 worker, and beside it the same files converted directly by DuckDB.
 * 2. scheduler: lateness (run record `createdAt` minus its grid tick), p50 and p99, with N active flows, and where
 *    one pass of the scheduler over them spends its time.
 * 3. api: p50/p99 of `GET /flows?limit=50`, `GET /runs?property=flowId==X` and `GET /catalog/batches?dataSet=X`
 *    with 50 requests in flight, over N flows and M runs, quiet and while a worker runs two big-CSV runs; beside
 *    them the same store reads done directly.
 *
 *   npm run bench:scale                       # small sizes, a few minutes on 2 cores
 *   npm run bench:scale -- --full             # the issue's sizes: 10,000 flows, 1,000,000 runs, 2M-row CSVs
 *   npm run bench:scale -- --parts api --api-runs 200000
 *
 * Flags: --parts runs,scheduler,api  --run-flows N --csv-rows N --workers 1,2,4 --worker-runs N
 *        --sched-flows N --sched-window S --sched-lead S
 *        --api-flows N --api-runs N --api-batches N --big-rows N --requests N --connections N
 *        --heartbeat-seconds S (the API part's TRIBUTARY_RUN_HEARTBEAT_SECONDS; its sweeps run every 2 beats)
 */
import { measureApiLatency, type ApiLatencyResult } from './scale-api-latency.js';
import { measureLateness, type LatenessResult } from './scale-lateness.js';
import { measureThroughput, type ThroughputResult } from './scale-throughput.js';

const full = process.argv.includes('--full');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function count(name: string, small: number, issue: number): number {
  const value = Number(argument(name) ?? (full ? issue : small));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const parts = new Set((argument('--parts') ?? 'runs,scheduler,api').split(','));
for (const part of parts) if (!['runs', 'scheduler', 'api'].includes(part)) throw new Error(`--parts takes runs, scheduler and api, not "${part}"`);
const workerCounts = (argument('--workers') ?? '1,2,4').split(',').map(Number);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--workers takes positive integers, e.g. 1,2,4');

const options = {
  throughput: { flows: count('--run-flows', 24, 60), rows: count('--csv-rows', 1000, 1000), workerCounts, runsPerWorker: count('--worker-runs', 2, 2) },
  lateness: { flows: count('--sched-flows', 1000, 10_000), windowSeconds: count('--sched-window', 60, 120), leadSeconds: 0 },
  api: { flows: count('--api-flows', 1000, 10_000), runs: count('--api-runs', 100_000, 1_000_000), batches: 0, bigRows: count('--big-rows', 500_000, 2_000_000), requests: count('--requests', 3000, 10_000), connections: count('--connections', 50, 50), heartbeatSeconds: argument('--heartbeat-seconds') === undefined ? undefined : count('--heartbeat-seconds', 15, 15) },
};
// Room for the server's start and its first pass over the flows before the first tick (about 3 ms a flow here).
options.lateness.leadSeconds = count('--sched-lead', 20 + Math.ceil(options.lateness.flows * 0.004), 20 + Math.ceil(options.lateness.flows * 0.004));
// Every successful run has its batch, as a run's commit writes one.
options.api.batches = count('--api-batches', Math.ceil(options.api.runs * 0.9), Math.ceil(options.api.runs * 0.9));

const ms = (value: number) => `${value.toFixed(1)} ms`;

function throughputLines(result: ThroughputResult): string[] {
  const base = result.rounds[0];
  return [
    `Runs per minute, ${options.throughput.flows} runs of ${options.throughput.rows}-row CSVs, TRIBUTARY_WORKER_RUNS=${options.throughput.runsPerWorker} (ratio against ${base?.workers ?? 1} worker)`,
    ...result.rounds.map((r) => `  ${String(r.workers).padStart(2)} worker${r.workers === 1 ? ' ' : 's'}  ${r.runsPerMinute.toFixed(0).padStart(6)} runs/min  (${r.runs} runs in ${r.seconds.toFixed(1)} s, all accepted after ${r.acceptedSeconds.toFixed(1)} s)  ×${base ? (r.runsPerMinute / base.runsPerMinute).toFixed(2) : '-'}`),
    `  direct    ${result.direct.runsPerMinute.toFixed(0).padStart(6)} files/min: the same CSV→Parquet conversions in one DuckDB session, no API, queue or metadata`,
  ];
}

function latenessLines(result: LatenessResult): string[] {
  const lines = [
    `Scheduler lateness, ${result.flows.toLocaleString('en-US')} active flows (15-minute grid, first ticks spread over 15 minutes): ${result.measured} of ${result.expected} ticks in the window started`,
    `  p50 ${ms(result.p50Ms)}   p99 ${ms(result.p99Ms)}   max ${ms(result.maxMs)}   goal p99 < 1000 ms: ${result.p99Ms < 1000 && result.measured === result.expected ? 'met' : 'MISSED'}`,
    `  flows seeded in ${result.seedSeconds.toFixed(1)} s; T0 was ${(result.t0AheadOfServerMs / 1000).toFixed(1)} s ahead when the server listened`,
  ];
  for (const [i, p] of result.profiles.entries()) {
    const other = p.passMs - p.listFlowsMs - p.busyMs - p.planMs - p.startMs;
    lines.push(
      `  pass ${i + 1} (in-process, timed callbacks): ${ms(p.passMs)} = flows read ${ms(p.listFlowsMs)} + ${p.busyChecks} busy checks ${ms(p.busyMs)} (${(p.busyMs / Math.max(1, p.busyChecks)).toFixed(2)} ms each)` +
        ` + ${p.started} starts: plans ${ms(p.planMs)}, records+queue ${ms(p.startMs)} + schedule cursor reads and the rest ${ms(other)}`,
    );
  }
  return lines;
}

function apiLines(result: ApiLatencyResult): string[] {
  const c = options.api.connections;
  return [
    `API latency, ${result.flows.toLocaleString('en-US')} flows, ${result.runs.toLocaleString('en-US')} runs, ${result.batches.toLocaleString('en-US')} batches; ${c} requests in flight unless "alone" (goal p99 < 20 ms quiet, < 50 ms loaded)`,
    `  ${'endpoint'.padEnd(31)} ${'alone p50'.padStart(9)} ${'quiet p50'.padStart(9)} ${'quiet p99'.padStart(9)} ${'loaded p50'.padStart(10)} ${'loaded p99'.padStart(10)}  ${'direct alone'.padStart(12)} ${'direct p50'.padStart(10)} ${'ratio'.padStart(6)}`,
    ...result.endpoints.map((e) =>
      `  ${e.name.padEnd(31)} ${ms(e.alone.p50).padStart(9)} ${ms(e.quiet.p50).padStart(9)} ${ms(e.quiet.p99).padStart(9)} ${ms(e.loaded.p50).padStart(10)} ${ms(e.loaded.p99).padStart(10)}  ${ms(e.directAlone.p50).padStart(12)} ${ms(e.direct.p50).padStart(10)} ${(e.quiet.p50 / e.direct.p50).toFixed(1).padStart(5)}×` +
        `  ${e.quiet.p99 < 20 && e.loaded.p99 < 50 ? 'met' : 'MISSED'}`,
    ),
    `  samples per endpoint: ${result.endpoints.map((e) => `${e.quiet.count} quiet / ${e.loaded.count} loaded`).join(', ')}; answers a second: ${result.quietPerSecond.toFixed(0)} quiet, ${result.loadedPerSecond.toFixed(0)} loaded`,
    `  quiet load ran ${result.quietSeconds.toFixed(0)} s; answers over 1 s came in ${result.quietStalls.length} stretch(es): ${result.quietStalls.map(([from, to, n]) => `${from.toFixed(0)}–${to.toFixed(0)} s (${n})`).join(', ') || 'none'}`,
    `  direct: the same store reads from the bench process (the repositories, a pool of 10 connections as the server has), alone and ${c} in flight; ratio = quiet API p50 / direct p50`,
    `  loaded: while a worker ran two ${options.api.bigRows.toLocaleString('en-US')}-row CSV runs (${result.bigRunSeconds.map((s) => `${s.toFixed(1)} s`).join(', ')} from record to completion)`,
    `  heartbeat ${options.api.heartbeatSeconds === undefined ? 'default (15 s: a recovery sweep every 30 s)' : `${options.api.heartbeatSeconds} s (a recovery sweep every ${2 * options.api.heartbeatSeconds} s)`}; seeding ${result.seedSeconds.toFixed(1)} s; server start ${result.serverStartSeconds.toFixed(1)} s; worker start ${result.workerStartSeconds.toFixed(1)} s`,
  ];
}

async function main(): Promise<void> {
  const began = performance.now();
  const report: string[] = [];
  if (parts.has('runs')) {
    console.log('runs per minute …');
    report.push(...throughputLines(await measureThroughput(options.throughput)));
  }
  if (parts.has('scheduler')) {
    console.log('scheduler lateness …');
    report.push(...latenessLines(await measureLateness(options.lateness)));
  }
  if (parts.has('api')) {
    console.log('API latency …');
    report.push(...apiLines(await measureApiLatency(options.api)));
  }
  console.log('');
  for (const line of report) console.log(line);
  console.log(`(bench:scale took ${((performance.now() - began) / 60_000).toFixed(1)} minutes)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
