/**
 * Database-source benchmark (issue 12). A payments-like PostgreSQL table (`benchdb.payments_<rows>`, seeded with
 * generate_series and kept for the next run) is landed as a dataset by a dataflow of Tributary's PostgreSQL source,
 * on a started `tributary serve` (embedded metadata store, runs in its own process) driven over HTTP; in the same
 * benchmark, this process copies the same columns out with `COPY (SELECT …) TO STDOUT` (CSV, pg-copy-streams) into a
 * file, before and after Tributary's runs. Then 1% of the rows change (`updated_at = now()`) and the last flow runs
 * again, incrementally.
 *
 * Prints both times, the ratio (reference time / Tributary time; goal >= 0.7), the peak RSS of the server process
 * during each run (VmHWM, reset before the run; goal under 1 GB), where the run's time and CPU went by stage (the
 * run polled every 100 ms at first, every 1% of its time so far later), and the incremental run's time and rows
 * read (the changed rows only, from the connector's metrics in the run).
 *
 *   npm run bench:db                 # 200,000 rows, a smoke check of a minute or two
 *   npm run bench:db -- --full       # the issue's 5,000,000 rows
 *
 * Flags: --rows N (instead of 200,000 or 5,000,000)  --repeat N (Tributary full runs, each on a flow of its own,
 *        between N+1 reference copies; medians compared; 1 by default)  --reseed (drop and seed the table again)
 *        --no-delta (flows without a delta column: the full run is a snapshot read; no incremental run)
 * The source database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the server's own metadata
 * store is SQLite in a temporary data directory whatever DATABASE_URL says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { benchClient, createCredentials, startServer, stopServer } from './bench-server.js';
import { createDbFlow, createDbFlowParts, runAndWatch, type CpuSplit, type WatchedRun } from './db-flow.js';
import { copyToCsv, type ReferenceTiming } from './db-reference.js';
import { benchSchema, changeOnePercent, ensurePaymentsTable, tableName } from './db-table.js';

const full = process.argv.includes('--full');
const reseed = process.argv.includes('--reseed');
const withDelta = !process.argv.includes('--no-delta');
const rows = count('--rows', full ? 5_000_000 : 200_000);
const repeat = count('--repeat', 1);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const goals = { ratio: 0.7, peakRssMb: 1024 };
/** The longest one run may take before the benchmark calls it broken (5M rows take minutes, not an hour). */
const runLimitMinutes = 60;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function count(name: string, fallback: number): number {
  const value = Number(argument(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const perSecond = (n: number, seconds: number) => `${Math.round(n / seconds).toLocaleString('en-US')} rows/s`;
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Rows the connector says it read from the database (its streams' `records`), else the run's input count. */
function rowsRead(run: WatchedRun): number {
  const counted = run.connectorMetrics.map((m) => m.records).filter((n): n is number => typeof n === 'number');
  return counted.length > 0 ? counted.reduce((sum, n) => sum + n, 0) : run.inputRecords;
}

const cpuText = (cpu: CpuSplit) => `CPU ${cpu.server.toFixed(2)} s server + ${cpu.database.toFixed(2)} s PostgreSQL`;

function stageLine(run: WatchedRun): string {
  return run.stages.map((s) => `${s.stage} ${s.seconds.toFixed(2)} s${s.cpu ? ` (${cpuText(s.cpu)})` : ''}`).join(', ');
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const source = new pg.Client({ connectionString: databaseUrl });
  await source.connect();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-db-'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    console.log(`table ${tableName(rows)} …`);
    const seeded = await ensurePaymentsTable(source, rows, reseed);
    console.log(`table ${tableName(rows)}: ${rows.toLocaleString('en-US')} rows, ${seeded.megabytes.toFixed(0)} MB on disk (${seeded.seeded ? `seeded in ${seeded.seconds.toFixed(1)} s` : 'already there'})`);

    // The server: its own process, so its peak memory is the landing's alone.
    const dataDir = path.join(work, 'data');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const env: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_SECRET_KEY: 'bench-db', TRIBUTARY_LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.TRIBUTARY_DATABASE_SCHEMA;
    const issued = createCredentials(dataDir, 'BENCHDB@AdobeOrg', env);
    server = await startServer(dataDir, env);
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('the server has no process id');
    const client = benchClient(server.base, issued);
    // The backends of the server's reads: its sessions name themselves "tributary", and the page queries name the table.
    const readers = async () => (await source.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'tributary' AND query ~ $1 AND pid <> pg_backend_pid()`,
      [`${benchSchema}"?\\."?payments_${rows}\\M`],
    )).rows.map((r) => r.pid);
    const parts = await createDbFlowParts(client, databaseUrl, tableName(rows));
    const flows: string[] = [];
    for (let n = 0; n < repeat; n += 1) flows.push(await createDbFlow(client, parts, `bench db ${n}`, withDelta));

    // Reference, Tributary, reference, …: neither side gets the warmer cache more often.
    const csv = path.join(work, 'reference.csv');
    console.log('reference COPY …');
    const references: ReferenceTiming[] = [await copyToCsv(databaseUrl, rows, csv)];
    const runs: WatchedRun[] = [];
    for (const flow of flows) {
      fs.rmSync(csv, { force: true });
      console.log('Tributary full run …');
      const run = await runAndWatch(client, flow, pid, readers, runLimitMinutes);
      if (run.outputRecords !== rows) throw new Error(`the full run landed ${run.outputRecords} of ${rows} rows (${run.failedRecords} failed)`);
      runs.push(run);
      console.log('reference COPY …');
      references.push(await copyToCsv(databaseUrl, rows, csv));
    }
    fs.rmSync(csv, { force: true });

    // The incremental run: the last flow again, after 1% of the rows changed.
    let incremental: { changed: number; run: WatchedRun } | undefined;
    if (withDelta) {
      const changed = await changeOnePercent(source, rows);
      console.log(`${changed.toLocaleString('en-US')} rows changed; incremental run …`);
      incremental = { changed, run: await runAndWatch(client, flows.at(-1) as string, pid, readers, runLimitMinutes) };
    }

    const tributarySeconds = median(runs.map((r) => r.seconds));
    const referenceSeconds = median(references.map((r) => r.seconds));
    const peak = Math.max(...runs.map((r) => r.peakRssMb));
    const megabytes = (references[0]?.bytes ?? 0) / 1024 / 1024;
    const ratio = referenceSeconds / tributarySeconds;
    const all = (values: number[]) => values.map((s) => s.toFixed(2)).join(', ');
    const peakNote = runs.every((r) => r.peakReset) ? '' : ' (the kernel did not reset VmHWM: peak since the server started)';

    console.log('');
    console.log(`${rows.toLocaleString('en-US')} rows of ${tableName(rows)}; the reference's CSV is ${megabytes.toFixed(0)} MB`);
    const referenceCpu = median(references.map((r) => r.cpu.client + r.cpu.database));
    const tributaryCpu = median(runs.map((r) => r.cpu.server + r.cpu.database));
    console.log(`reference  COPY (SELECT …) TO STDOUT → CSV file   ${referenceSeconds.toFixed(2)} s   ${perSecond(rows, referenceSeconds)}   CPU ${referenceCpu.toFixed(2)} s   (copies of ${all(references.map((r) => r.seconds))} s; ${references.map((r) => `CPU ${r.cpu.client.toFixed(2)} s bench + ${r.cpu.database.toFixed(2)} s PostgreSQL`).join(', ')}; this process's peak RSS ${Math.max(...references.map((r) => r.peakRssMb))} MB)`);
    console.log(`tributary  full run, POST to completedAt          ${tributarySeconds.toFixed(2)} s   ${perSecond(rows, tributarySeconds)}   CPU ${tributaryCpu.toFixed(2)} s   (runs of ${all(runs.map((r) => r.seconds))} s; ${runs.map((r) => cpuText(r.cpu)).join(', ')}; ${((runs[0]?.outputBytes ?? 0) / 1024 / 1024).toFixed(0)} MB of Parquet)`);
    for (const [i, run] of runs.entries()) console.log(`  run ${i + 1} by stage: ${stageLine(run)}`);
    console.log(`  server peak RSS during the run: ${peak} MB${peakNote}   goal < ${goals.peakRssMb} MB: ${met(peak < goals.peakRssMb)}`);
    console.log(`  connector: ${JSON.stringify(runs.at(-1)?.connectorMetrics)}`);
    if (incremental) {
      const { changed, run } = incremental;
      const read = rowsRead(run);
      console.log(`incremental after ${changed.toLocaleString('en-US')} rows (1%) changed: ${run.seconds.toFixed(2)} s, rows read ${read.toLocaleString('en-US')} (run input ${run.inputRecords.toLocaleString('en-US')}), landed ${run.outputRecords.toLocaleString('en-US')}   changed rows only: ${met(read === changed && run.outputRecords === changed)}   peak RSS ${run.peakRssMb} MB`);
      console.log(`  by stage: ${stageLine(run)}`);
      console.log(`  connector: ${JSON.stringify(run.connectorMetrics)}`);
    } else {
      console.log('no incremental run: the flows have no delta column (--no-delta)');
    }
    console.log(`(bench:db took ${((performance.now() - began) / 60_000).toFixed(1)} minutes; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end, on ${os.cpus().length} cores)`);
    // On a busy machine wall-clock times swing with whatever else runs; CPU seconds, which both sides get sooner or later, far less.
    console.log(`CPU ratio reference/tributary: ${(referenceCpu / tributaryCpu).toFixed(2)}`);
    console.log(`ratio reference/tributary: ${ratio.toFixed(2)}   goal >= ${goals.ratio}: ${met(ratio >= goals.ratio)}`);
  } finally {
    if (server) await stopServer(server.child);
    await source.end();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
