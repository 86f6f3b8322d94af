/**
 * Ingestion benchmark: N rows of payment-like CSV through a Tributary dataflow (local files → 10-field
 * mapping → validated XDM Parquet batch), and in the same run the same read-map-write as one plain DuckDB
 * `COPY ... TO parquet`. Each side runs `--repeat` times (3 by default), interleaved and starting and ending
 * with the reference, each Tributary run with a flow of its own (a flow's second run would land nothing new);
 * the medians are compared, as one run of a second or so swings by a tenth on a shared machine. Prints rows/s,
 * MB/s, CPU seconds and peak RSS of both, the ratio of CPU times, then the ratio of wall-clock throughputs as
 * its last line.
 *
 *   npm run bench:ingest -- --rows 2000000 --repeat 5
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { createTarget, idOf, runToEnd, startBenchServer } from './bench-server.js';

const rows = Number(argument('--rows') ?? 2_000_000);
const repeat = Number(argument('--repeat') ?? 3);
for (const [name, value] of [['--rows', rows], ['--repeat', repeat]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}
const localFilesSpec = 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** CPU seconds the whole process (its DuckDB threads included) has used since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

/** Wall and CPU seconds of one side. */
interface Timing {
  seconds: number;
  cpu: number;
}

/** The reference: the same read, the same ten fields, the same nesting, as one plain DuckDB statement. */
async function plainDuckDb(work: string, csv: string, tenant: string): Promise<Timing> {
  const duck = await DuckDbSession.open({ tempDirectory: work });
  const cpu = process.cpuUsage();
  const started = performance.now();
  await duck.run(`COPY (SELECT transaction_id AS _id,
      struct_pack(address := customer_email) AS personalEmail,
      struct_pack(name := struct_pack(fullName := customer_name)) AS person,
      struct_pack(payment := struct_pack(amount := CAST(amount AS DOUBLE), currency := currency, status := status, method := payment_method, country := country, createdAt := CAST(created_at AS TIMESTAMPTZ), description := description)) AS "${tenant}"
    FROM read_csv('${csv}', header = true)) TO '${path.join(work, 'reference.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  const seconds = (performance.now() - started) / 1000;
  const timing = { seconds, cpu: cpuSeconds(cpu) };
  duck.close();
  return timing;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
  const source = path.join(work, 'source');
  fs.mkdirSync(source);
  const csv = path.join(source, 'payments.csv');
  const generator = await DuckDbSession.open({ tempDirectory: work });
  await generator.run(`COPY (
    SELECT 'txn_' || lpad(CAST(i AS VARCHAR), 10, '0') AS transaction_id,
           'customer' || (i % 50000) || '@example.com' AS customer_email,
           'Customer ' || (i % 50000) AS customer_name,
           round(((i * 7919) % 100000) / 100.0, 2) AS amount,
           ['USD', 'EUR', 'GBP', 'JPY'][(i % 4) + 1] AS currency,
           ['succeeded', 'pending', 'failed', 'refunded'][(i % 4) + 1] AS status,
           ['card', 'paypal', 'bank_transfer'][(i % 3) + 1] AS payment_method,
           ['US', 'DE', 'FR', 'GB', 'JP'][(i % 5) + 1] AS country,
           TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS created_at,
           TIMESTAMP '2024-01-01' + INTERVAL (i + 60) SECOND AS updated_at,
           'Payment for order ' || i AS description
    FROM range(${rows}) t(i)) TO '${csv}' (HEADER)`);
  generator.close();
  const megabytes = fs.statSync(csv).size / 1024 / 1024;
  console.log(`input: ${rows} rows, ${megabytes.toFixed(1)} MB of CSV`);

  // Tributary: a real server with its embedded store, driven over HTTP like a user would.
  const server = await startBenchServer(path.join(work, 'data'), { fileRoots: [source] });
  const { post, tenant } = server;
  const connection = idOf(await post('/flowservice/connections', { name: 'bench files', auth: { specName: 'Local Directory', params: { rootPath: source } }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
  const sourceConnection = idOf(await post('/flowservice/sourceConnections', { name: 'payments', baseConnectionId: connection, data: { format: 'delimited' }, params: { path: 'payments.csv' }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
  const { target, mapping } = await createTarget(
    server,
    'payment',
    { amount: { type: 'number' }, currency: { type: 'string' }, status: { type: 'string' }, method: { type: 'string' }, country: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, description: { type: 'string' } },
    [
      ['transaction_id', '_id'], ['customer_email', 'personalEmail.address'], ['customer_name', 'person.name.fullName'], ['amount', '$tenant.payment.amount'],
      ['currency', '$tenant.payment.currency'], ['status', '$tenant.payment.status'], ['payment_method', '$tenant.payment.method'], ['country', '$tenant.payment.country'],
      ['created_at', '$tenant.payment.createdAt'], ['description', '$tenant.payment.description'],
    ],
  );
  const flowOf = async (n: number) => idOf(await post('/flowservice/flows', {
    name: `bench ${n}`, flowSpec: { id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876', version: '1.0' }, sourceConnectionIds: [sourceConnection], targetConnectionIds: [target],
    transformations: [{ name: 'Copy', params: { deltaColumn: { name: 'updated_at' } } }, { name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } }],
    scheduleParams: { startTime: 1567411548, frequency: 'once' },
  }));
  const flows: string[] = [];
  for (let n = 0; n < repeat; n += 1) flows.push(await flowOf(n));

  // Reference, Tributary, reference, … reference: neither side gets the warmer cache more often.
  const references: Timing[] = [await plainDuckDb(work, csv, tenant)];
  const runs: Timing[] = [];
  for (const flow of flows) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await runToEnd(server, flow, rows);
    runs.push({ seconds: (performance.now() - started) / 1000, cpu: cpuSeconds(cpu) });
    references.push(await plainDuckDb(work, csv, tenant));
  }
  const tributaryRss = peakRssMb();
  await server.close();
  fs.rmSync(work, { recursive: true, force: true });
  const tributarySeconds = median(runs.map((r) => r.seconds));
  const tributaryCpu = median(runs.map((r) => r.cpu));
  const duckSeconds = median(references.map((r) => r.seconds));
  const duckCpu = median(references.map((r) => r.cpu));
  const all = (timings: Timing[]) => timings.map((t) => t.seconds.toFixed(2)).join(', ');

  const line = (name: string, seconds: number) =>
    `${name.padEnd(10)} ${seconds.toFixed(2)} s   ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s   ${(megabytes / seconds).toFixed(1)} MB/s`;
  console.log(line('tributary', tributarySeconds), `  CPU ${tributaryCpu.toFixed(2)} s   peak RSS ${tributaryRss} MB (whole process: both sides, in-process server)   (runs of ${all(runs)} s)`);
  console.log(line('duckdb', duckSeconds), `  CPU ${duckCpu.toFixed(2)} s   (runs of ${all(references)} s)`);
  // On a busy machine the wall-clock ratio swings with whatever else runs; CPU time, of which both sides get
  // what they need sooner or later, swings far less.
  console.log(`CPU ratio tributary/duckdb: ${(duckCpu / tributaryCpu).toFixed(2)}`);
  console.log(`ratio tributary/duckdb: ${(duckSeconds / tributarySeconds).toFixed(2)}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

await main();
