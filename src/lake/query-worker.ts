import fs from 'node:fs';
import path from 'node:path';
import { Check } from 'typebox/value';
import { QueryError } from './query-error.js';
import { memoryCapMessage, QueryJob, type WorkerAnswer } from './query-job.js';
import { QuerySession } from './query-session.js';

/**
 * A query worker process (forked by `QueryWorkers`): it answers one `QueryJob` at a time over the IPC channel.
 * Running DuckDB here, not in the server, keeps a query's threads, memory and libuv work away from the server's
 * requests, and lets the server end a query for certain by ending this process.
 */

/** How often the worker looks at its own memory; a query grows by tens of MB a second at most between looks. */
const memoryCheckMs = 100;

function send(answer: WorkerAnswer): void {
  process.send?.(answer);
}

async function answer(job: QueryJob): Promise<WorkerAnswer> {
  let session: QuerySession | undefined;
  try {
    session = await QuerySession.open(job.tables, {
      tempDirectory: job.tempDirectory,
      timeoutMs: job.timeoutMs,
      memoryLimit: job.duckDbMemory,
      threads: job.threads,
      maxTempDirectorySize: job.maxTempDirectorySize,
    });
    const result = await session.run(job.sql, job.maxRows, job.maxBytes);
    const inFile = job.resultFile !== undefined && result.bytes > job.inlineBytes;
    if (inFile && job.resultFile !== undefined) writeRows(job.resultFile, result.rows);
    const { rows, columns, truncated, limitedBy, bytes, tables } = result;
    return { type: 'done', columns, rowCount: rows.length, bytes, truncated, ...(limitedBy ? { limitedBy } : {}), tables, inFile, ...(inFile ? {} : { rows }) };
  } catch (error) {
    if (!(error instanceof QueryError)) return { type: 'broken', message: error instanceof Error ? error.message : String(error) };
    if (error.kind === 'cancelled') return { type: 'broken', message: 'a worker query cannot be cancelled from inside' };
    const message = error.kind === 'memory' ? `${memoryCapMessage(job.memoryCapBytes)} ${error.message}` : error.message;
    return { type: 'failed', kind: error.kind, message };
  } finally {
    session?.close();
  }
}

/** One row a line: a reader can page through the file without parsing all of it. Only its owner may read it. */
function writeRows(file: string, rows: readonly unknown[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, rows.map((row) => `${JSON.stringify(row)}\n`).join(''), { mode: 0o600, flag: 'wx' });
}

process.on('message', (message: unknown) => {
  if (!Check(QueryJob, message)) {
    send({ type: 'broken', message: 'the worker was sent something that is not a query job' });
    return;
  }
  // The server stops a worker over its cap; this only says why, so the answer is a 400 and not a crash.
  const watchdog = setInterval(() => {
    if (process.memoryUsage.rss() > message.memoryCapBytes) {
      clearInterval(watchdog);
      send({ type: 'failed', kind: 'memory', message: memoryCapMessage(message.memoryCapBytes) });
    }
  }, memoryCheckMs);
  void answer(message).then((outcome) => {
    clearInterval(watchdog);
    send(outcome);
  });
});

// The server is gone or has let this worker go. DuckDB threads may still be running, and an orderly exit would
// wait on them: end at once.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
