/**
 * bench:db's reference: the plainest fast way to get a PostgreSQL table out, `COPY (SELECT …) TO STDOUT` as CSV,
 * streamed by this process (pg + pg-copy-streams) into a file. No types are kept, nothing is validated or
 * converted: what Tributary's read, staging, mapping and Parquet writing are compared with.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { cpuSeconds, residentMemory, resetPeakMemory } from './process-usage.js';
import { paymentColumns, tableName } from './db-table.js';

export interface ReferenceTiming {
  seconds: number;
  bytes: number;
  /** This process's peak RSS while it copied (its peak since start when the kernel would not reset it). */
  peakRssMb: number;
  /** CPU seconds of this process and of the PostgreSQL backend that ran the COPY. */
  cpu: { client: number; database: number };
}

export async function copyToCsv(connectionString: string, rows: number, file: string): Promise<ReferenceTiming> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const backend = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
    resetPeakMemory('self');
    const backendBefore = cpuSeconds(backend) ?? 0;
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const copy = client.query(copyTo(`COPY (SELECT ${paymentColumns.join(', ')} FROM ${tableName(rows)}) TO STDOUT (FORMAT csv, HEADER)`));
    await pipeline(copy, fs.createWriteStream(file));
    const seconds = (performance.now() - started) / 1000;
    const own = process.cpuUsage(ownBefore);
    const cpu = { client: (own.user + own.system) / 1e6, database: (cpuSeconds(backend) ?? backendBefore) - backendBefore };
    return { seconds, bytes: fs.statSync(file).size, peakRssMb: residentMemory('self').peakMb, cpu };
  } finally {
    await client.end();
  }
}
