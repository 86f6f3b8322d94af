/**
 * bench:scale part 1: runs per minute on small CSV files with 1, 2, 4 … `tributary worker` processes behind one
 * `serve --no-worker`. Each round starts its workers, POSTs one run per flow, and times from the first POST to the
 * last run's completion (its record's `completedAtUTC`). The reference is the same CSV→Parquet conversion of every
 * file done directly, one after another, in one DuckDB session: no API, queue, metadata or validation.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { benchClient, idOf, startServer, startWorker, stopServer } from './bench-server.js';
import { createFileFlow, createFlowParts, farFutureStart, paymentsCsvSql, prodScope, scaleEnvironment } from './scale-environment.js';

export interface ThroughputOptions {
  flows: number;
  rows: number;
  workerCounts: number[];
  /** TRIBUTARY_WORKER_RUNS of each worker. */
  runsPerWorker: number;
}

export interface ThroughputRound {
  workers: number;
  runs: number;
  seconds: number;
  /** From the first POST /runs to the last one's answer. */
  acceptedSeconds: number;
  runsPerMinute: number;
}

export interface ThroughputResult {
  rounds: ThroughputRound[];
  /** The same files converted directly by DuckDB, one after another. */
  direct: { seconds: number; runsPerMinute: number };
}

/** The longest one round may take before the benchmark calls it broken. */
const roundLimitMs = 15 * 60_000;

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const environment = await scaleEnvironment('runs', { TRIBUTARY_WORKER_RUNS: String(options.runsPerWorker) });
  const servers: ChildProcess[] = [];
  try {
    const duck = await DuckDbSession.open({ tempDirectory: environment.work });
    const first = path.join(environment.files, 'run-0.csv');
    await duck.run(paymentsCsvSql(first, options.rows));
    for (let i = 1; i < options.flows; i += 1) fs.copyFileSync(first, path.join(environment.files, `run-${i}.csv`));
    const directStarted = performance.now();
    for (let i = 0; i < options.flows; i += 1) {
      const csv = path.join(environment.files, `run-${i}.csv`);
      await duck.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${path.join(environment.work, `direct-${i}.parquet`)}' (FORMAT parquet)`);
    }
    const directSeconds = (performance.now() - directStarted) / 1000;
    duck.close();

    const { child, base } = await startServer(environment.dataDir, environment.env, ['--no-worker']);
    servers.push(child);
    const client = benchClient(base, environment.issued);
    const [parts] = await createFlowParts(client, environment.files, 1);
    if (!parts) throw new Error('no flow parts');
    const store = await environment.store();
    const scope = await prodScope(environment);
    const runs = new RunsRepository(store.db);

    const rounds: ThroughputRound[] = [];
    for (const workers of options.workerCounts) {
      // Fresh flows each round: a Local Files flow reads a file once, so a second run of it would land nothing.
      const flowIds: string[] = [];
      for (let i = 0; i < options.flows; i += 1) flowIds.push(await createFileFlow(client, parts, `small ${workers}.${i}`, `run-${i}.csv`, { frequency: 'once', startTime: farFutureStart }));
      const started = await Promise.all(Array.from({ length: workers }, () => startWorker(environment.dataDir, environment.env)));
      try {
        const firstPost = Date.now();
        // Eight POSTs in flight, so the client is not what paces the workers.
        const runIds: string[] = [];
        let next = 0;
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (next < flowIds.length) {
            const flowId = flowIds[next] as string;
            next += 1;
            runIds.push(idOf(await client.post('/flowservice/runs', { flowId })));
          }
        }));
        const acceptedSeconds = (Date.now() - firstPost) / 1000;
        await waitForRuns(runs, scope, runIds, firstPost + roundLimitMs);
        const records = await runs.records(scope, runIds);
        let last = firstPost;
        for (const runId of runIds) {
          const metrics = (records.get(runId)?.body as { metrics?: { statusSummary: { status: string }; recordSummary: { outputRecordCount: number }; durationSummary: { completedAtUTC?: number } } } | undefined)?.metrics;
          if (metrics?.statusSummary.status !== 'success' || metrics.recordSummary.outputRecordCount !== options.rows) throw new Error(`run ${runId} did not land ${options.rows} rows: ${JSON.stringify(metrics)}`);
          last = Math.max(last, metrics.durationSummary.completedAtUTC ?? last);
        }
        const seconds = (last - firstPost) / 1000;
        rounds.push({ workers, runs: runIds.length, seconds, acceptedSeconds, runsPerMinute: (runIds.length * 60) / seconds });
        console.log(`  ${workers} worker${workers === 1 ? '' : 's'}: ${runIds.length} runs in ${seconds.toFixed(1)} s (all accepted after ${acceptedSeconds.toFixed(1)} s)`);
      } finally {
        await Promise.all(started.map(stopServer));
      }
    }
    return { rounds, direct: { seconds: directSeconds, runsPerMinute: (options.flows * 60) / directSeconds } };
  } finally {
    for (const child of servers) await stopServer(child);
    await environment.dispose();
  }
}

/** Polls the runs' indexed statuses until none is queued or in progress. */
async function waitForRuns(runs: RunsRepository, scope: { orgId: string; sandboxId: string }, runIds: string[], deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const unfinished = await runs.count(scope, [{ column: 'status', operator: 'in', values: ['queued', 'inProgress'] }]);
    if (unfinished === 0) {
      const finished = await runs.records(scope, runIds);
      if (finished.size === runIds.length) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the runs had not finished after ${roundLimitMs / 60_000} minutes`);
}
