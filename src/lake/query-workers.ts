import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Check } from 'typebox/value';
import { QueryError } from './query-error.js';
import { memoryCapMessage, WorkerAnswer, type QueryJob, type WorkerDone } from './query-job.js';

export interface QueryWorkersOptions {
  /** Worker processes at most, busy or idle: the server's bound on queries at once. */
  size: number;
  /** V8 heap of each worker, in MB: rows live there before they are answered or written. */
  heapMb: number;
  /** An idle worker ends after this long without a query, so an idle server holds no DuckDB processes. */
  idleMs?: number;
  /** A worker is replaced after this many queries, so nothing one query leaves behind builds up for ever. */
  jobsPerWorker?: number;
  /** How long past a job's timeout the worker is killed if it has not answered (it interrupts itself at the timeout). */
  killGraceMs?: number;
  /** Module to fork; the compiled `query-worker.js` otherwise (see `compiledQueryWorker`). */
  module?: string;
}

/** Idle workers are kept half a minute: long enough for a client's next query, short enough to give memory back. */
export const defaultWorkerTiming = { idleMs: 30_000, jobsPerWorker: 100, killGraceMs: 1_000 } as const;

/** Above the server's own processes on a busy machine: a query waits for CPU, a request does not (nice 10). */
const workerPriority = 10;

/** The end of a worker's stderr kept to explain a crash (V8 says "heap out of memory" there). */
const stderrTailBytes = 4096;

interface Slot {
  child: ChildProcess;
  busy: boolean;
  jobs: number;
  stderr: string;
  idleTimer: NodeJS.Timeout | undefined;
  /** Set when this pool killed or released the worker. */
  ending: boolean;
  /** Ends the query the worker is running, if any (see `close`). */
  abandon: ((error: Error) => void) | undefined;
}

/**
 * Query worker processes: each query runs in a process of its own, never in the server. A query's DuckDB threads,
 * its memory and its libuv work (DuckDB's node API runs on the libuv pool) then cannot slow the server's requests,
 * token checks or hashing, and ending the process ends the query for certain, whatever DuckDB is doing.
 *
 * ```ts
 * const workers = new QueryWorkers({ size: 4, heapMb: 256 });
 * const done = await workers.run(job, { signal });   // rejects with QueryError('timeout' | 'cancelled' | 'memory' | ...)
 * await workers.close();
 * ```
 */
export class QueryWorkers {
  private readonly slots: Slot[] = [];
  private readonly module: string;
  private readonly timing: { idleMs: number; jobsPerWorker: number; killGraceMs: number };
  private closed = false;

  constructor(private readonly options: QueryWorkersOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`query workers need a size of at least 1, got ${options.size}`);
    this.module = options.module ?? compiledQueryWorker();
    this.timing = {
      idleMs: options.idleMs ?? defaultWorkerTiming.idleMs,
      jobsPerWorker: options.jobsPerWorker ?? defaultWorkerTiming.jobsPerWorker,
      killGraceMs: options.killGraceMs ?? defaultWorkerTiming.killGraceMs,
    };
  }

  /** Workers running a query now. */
  busy(): number {
    return this.slots.filter((slot) => slot.busy).length;
  }

  /**
   * Runs a job in a worker. Rejects with `QueryError` for what the query's author can act on (its SQL, its time,
   * its memory) or when `signal` aborts it (`cancelled`), and with a plain `Error` for a worker fault. A worker
   * that times out, is cancelled or runs out of memory is killed, never reused.
   */
  run(job: QueryJob, options: { signal?: AbortSignal } = {}): Promise<WorkerDone> {
    if (this.closed) return Promise.reject(new Error('the query workers are closed'));
    if (options.signal?.aborted) return Promise.reject(cancelled(job));
    let slot: Slot;
    try {
      slot = this.take();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<WorkerDone>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: { done: WorkerDone } | { error: Error }, reuse: boolean) => {
        if (settled) return;
        settled = true;
        slot.abandon = undefined;
        clearTimeout(deadline);
        options.signal?.removeEventListener('abort', onAbort);
        slot.child.off('message', onMessage);
        slot.child.off('exit', onExit);
        const finish = () => ('done' in outcome ? resolve(outcome.done) : reject(outcome.error));
        if (reuse) {
          this.release(slot);
          finish();
          return;
        }
        // Answered once the killed worker is gone: until then it may still write the result file or spill that
        // the caller is about to remove.
        this.kill(slot);
        void exited(slot.child, exitWaitMs).then(finish);
      };
      const onMessage = (message: unknown) => {
        if (!Check(WorkerAnswer, message)) return settle({ error: new Error('a query worker sent an answer of an unknown shape') }, false);
        if (message.type === 'done') return settle({ done: message }, true);
        if (message.type === 'broken') return settle({ error: new Error(`the query worker failed: ${message.message}`) }, false);
        // Memory: DuckDB may still be allocating; every other failure leaves the worker clean.
        return settle({ error: new QueryError(message.kind, message.message, job.sql) }, message.kind !== 'memory');
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => settle({ error: crashError(job, slot, code, signal) }, false);
      const onAbort = () => settle({ error: cancelled(job) }, false);
      // The worker interrupts DuckDB at the timeout itself; this is for when that does not take.
      const deadline = setTimeout(
        () => settle({ error: new QueryError('timeout', `The query ran longer than ${Math.round(job.timeoutMs / 1000)} s and was cancelled.`, job.sql) }, false),
        job.timeoutMs + this.timing.killGraceMs,
      );
      slot.abandon = (error) => settle({ error }, false);
      slot.child.on('message', onMessage);
      slot.child.once('exit', onExit);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      slot.child.send(job, (error) => {
        if (error) settle({ error }, false);
      });
    });
  }

  /** Kills every worker, busy or not; their queries reject. */
  async close(): Promise<void> {
    this.closed = true;
    const exits = this.slots.map((slot) => new Promise<void>((resolve) => (slot.child.exitCode !== null || slot.child.signalCode !== null ? resolve() : slot.child.once('exit', () => resolve()))));
    for (const slot of [...this.slots]) {
      // Referenced again, so that the exit being waited for is seen even when nothing else keeps the process up.
      slot.child.ref();
      if (slot.abandon) slot.abandon(new Error('the query workers are closed'));
      else this.kill(slot);
    }
    await Promise.all(exits);
  }

  /** An idle worker, or a new one while there are fewer than `size`. */
  private take(): Slot {
    const idle = this.slots.find((slot) => !slot.busy && !slot.ending);
    const slot = idle ?? this.spawn();
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    slot.busy = true;
    // A busy worker keeps the server's event loop alive until it answers.
    slot.child.ref();
    slot.child.channel?.ref();
    return slot;
  }

  private spawn(): Slot {
    if (this.slots.length >= this.options.size) throw new Error(`all ${this.options.size} query workers are busy`);
    const child = fork(this.module, [], {
      // Not the server's own flags (a test runner's loaders, inspectors): the worker is plain compiled code.
      execArgv: [`--max-old-space-size=${this.options.heapMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const slot: Slot = { child, busy: false, jobs: 0, stderr: '', idleTimer: undefined, ending: false, abandon: undefined };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      slot.stderr = (slot.stderr + text).slice(-stderrTailBytes);
    });
    // The pipe would otherwise keep the server's event loop alive as long as an idle worker lives.
    (child.stderr as Socket | null)?.unref();
    // Not an error to act on: a worker that cannot be reached any more is killed or already gone.
    child.on('error', () => this.kill(slot));
    child.once('exit', () => this.forget(slot));
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, workerPriority);
      } catch {
        // Some systems refuse; the worker then runs at the server's priority, still in its own process.
      }
    }
    this.slots.push(slot);
    return slot;
  }

  /** Back to idle after a clean answer; retired after `jobsPerWorker` queries or `idleMs` without one. */
  private release(slot: Slot): void {
    slot.busy = false;
    slot.jobs += 1;
    if (this.closed || slot.jobs >= this.timing.jobsPerWorker) {
      this.kill(slot);
      return;
    }
    slot.child.unref();
    slot.child.channel?.unref();
    slot.idleTimer = setTimeout(() => this.kill(slot), this.timing.idleMs);
    slot.idleTimer.unref();
  }

  private kill(slot: Slot): void {
    slot.ending = true;
    slot.busy = false;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    this.forget(slot);
    if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
  }

  private forget(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }
}

/** How long a killed worker is waited for (SIGKILL ends it at once; a bound all the same). */
const exitWaitMs = 5_000;

/** Resolves when the child has exited, or after `boundMs` at the latest. */
function exited(child: ChildProcess, boundMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, boundMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function cancelled(job: QueryJob): QueryError {
  return new QueryError('cancelled', 'The query was cancelled.', job.sql);
}

/**
 * A worker that ended without answering. V8 aborts a process whose heap is full, and the kernel kills one the
 * machine has no memory for: both are the query asking for too much. Anything else is a fault of ours.
 */
function crashError(job: QueryJob, slot: Slot, code: number | null, signal: NodeJS.Signals | null): Error {
  const heapFull = /heap out of memory|Reached heap limit/i.test(slot.stderr);
  if (heapFull || signal === 'SIGABRT' || signal === 'SIGKILL') return new QueryError('memory', memoryCapMessage(job.memoryCapBytes), job.sql);
  const detail = slot.stderr.trim().split('\n').slice(-3).join(' | ');
  return new Error(`the query worker stopped (exit code ${code}, signal ${signal})${detail ? `: ${detail}` : ''}`);
}

/**
 * The compiled worker: beside this module when it runs from dist/, as it does in production. Under vitest this
 * module runs from src/, and Node cannot fork TypeScript, so the build's copy in dist/ is used (tests run after
 * `npm run build`).
 */
export function compiledQueryWorker(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, 'query-worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = path.resolve(here, '..', '..', 'dist', 'lake', 'query-worker.js');
  if (fs.existsSync(built)) return built;
  throw new Error(`The query worker is not compiled (no ${beside} nor ${built}): run \`npm run build\`.`);
}
