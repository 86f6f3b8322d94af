import { Worker } from 'node:worker_threads';
import type { Scrypt } from './password-hash.js';

/** The pool's queue is full: the caller should answer "try again shortly" instead of waiting. */
export class HashingBusyError extends Error {
  constructor(readonly queued: number) {
    super(`secret hashing is saturated (${queued} waiting)`);
    this.name = 'HashingBusyError';
  }
}

export interface HashingPoolOptions {
  /** Threads that hash; each one keeps a core busy while it works, so keep this below the core count. */
  workers: number;
  /** Jobs that may wait for a thread; past this `scrypt` refuses at once with `HashingBusyError`. */
  queue: number;
}

/**
 * One thread: a scrypt takes about 50 ms of one core, so one thread checks some twenty secrets a second, far
 * more than clients that exchange once a day need, and never more than one core however hard it is pushed.
 * Thirty-two waiting is under two seconds of work: past that a caller is better told to come back.
 */
export const defaultHashingPool: HashingPoolOptions = { workers: 1, queue: 32 };

export interface HashingPoolStats {
  /** Hashes computed since start (successful or not). */
  hashed: number;
  running: number;
  queued: number;
  /** Jobs refused because the queue was full. */
  refused: number;
}

interface Job {
  secret: string;
  salt: Uint8Array;
  keylen: number;
  resolve: (hash: Buffer) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

// Inline CommonJS, so the same code runs from src under vitest and from dist, with no file to locate.
// scryptSync with Node's default cost (N=16384, r=8, p=1): the same hashes crypto.scrypt gave before.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
parentPort.on('message', (job) => {
  try {
    const hash = crypto.scryptSync(job.secret, Buffer.from(job.salt), job.keylen);
    parentPort.postMessage({ hash });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

/**
 * scrypt on a few threads of its own. Node's `crypto.scrypt` runs on libuv's pool of four threads, which file
 * reads, DNS lookups and DuckDB-adjacent fs work also wait on: a burst of token requests with wrong secrets
 * there stalled every other request. Here hashing can take at most `workers` cores, and the queue in front of
 * them is bounded, so a flood is refused quickly instead of waiting without end.
 *
 * ```ts
 * const pool = new HashingPool({ workers: 1, queue: 32 });
 * const hash = await pool.scrypt('secret', crypto.randomBytes(16), 32);
 * await pool.close();
 * ```
 */
export class HashingPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private hashed = 0;
  private refused = 0;
  private closed = false;

  constructor(private readonly options: HashingPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`the hashing pool needs at least one worker, got ${options.workers}`);
    if (!Number.isInteger(options.queue) || options.queue < 0) throw new Error(`the hashing queue bound must be a non-negative integer, got ${options.queue}`);
  }

  /** Same contract as `crypto.scrypt` with default cost; rejects with `HashingBusyError` when the queue is full. */
  readonly scrypt: Scrypt = (secret, salt, keylen) =>
    new Promise<Buffer>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the hashing pool is closed'));
        return;
      }
      const job: Job = { secret, salt: new Uint8Array(salt), keylen, resolve, reject };
      const idle = this.idleSlot();
      if (idle) {
        this.start(idle, job);
        return;
      }
      if (this.waiting.length >= this.options.queue) {
        this.refused += 1;
        reject(new HashingBusyError(this.waiting.length));
        return;
      }
      this.waiting.push(job);
    });

  stats(): HashingPoolStats {
    return { hashed: this.hashed, running: this.slots.filter((slot) => slot.job).length, queued: this.waiting.length, refused: this.refused };
  }

  /** Refuses what waits, and stops the threads (jobs running are rejected). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the hashing pool is closed'));
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.job?.reject(new Error('the hashing pool is closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** A thread with nothing to do, started on first need so processes that never hash start none. */
  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((slot) => !slot.job);
    if (idle) return idle;
    if (this.slots.length >= this.options.workers) return undefined;
    const slot: Slot = { worker: new Worker(workerSource, { eval: true }), job: undefined };
    slot.worker.on('message', (answer: { hash?: Uint8Array; error?: string }) => this.finish(slot, answer));
    // A thread that dies takes its job with it; the next job starts a fresh thread in its place.
    slot.worker.on('error', (error) => this.drop(slot, error));
    slot.worker.on('exit', (code) => this.drop(slot, new Error(`a hashing thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    // Referenced only while working: an idle pool never keeps the process alive.
    slot.worker.ref();
    slot.worker.postMessage({ secret: job.secret, salt: job.salt, keylen: job.keylen });
  }

  private finish(slot: Slot, answer: { hash?: Uint8Array; error?: string }): void {
    const job = slot.job;
    slot.job = undefined;
    slot.worker.unref();
    this.hashed += 1;
    if (job) {
      if (answer.hash) job.resolve(Buffer.from(answer.hash.buffer, answer.hash.byteOffset, answer.hash.byteLength));
      else job.reject(new Error(`scrypt failed: ${answer.error ?? 'no answer'}`));
    }
    this.next();
  }

  private drop(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.job?.reject(error);
    slot.job = undefined;
    if (!this.closed) this.next();
  }

  private next(): void {
    const job = this.waiting.shift();
    if (!job) return;
    const slot = this.idleSlot();
    if (slot) this.start(slot, job);
    else this.waiting.unshift(job);
  }
}
