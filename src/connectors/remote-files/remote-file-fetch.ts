import fs from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { isSourceError, SourceTransientError } from '../source-connector.js';
import type { HttpClock, RetryPolicy } from '../rest/http-requester.js';
import type { RemoteEntry, RemoteFileStore } from './remote-file-store.js';

/**
 * How a file is fetched: how many tries one file gets (each resumes from the byte the last one reached), how long
 * a read may go without a byte before it is taken for stalled, and the wait between tries (exponential with full
 * jitter).
 */
export const defaultFetchPolicy: FetchPolicy = {
  attempts: 6,
  stallTimeoutMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
};

export interface FetchPolicy {
  attempts: number;
  /** A read (or opening one) that brings no byte for this long is abandoned and resumed. */
  stallTimeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What fetching did, summed over a run's files, for its metrics. */
export interface FetchCounts {
  /** Reads started (one per try). */
  reads: number;
  /** Tries that resumed a file part-way. */
  resumed: number;
  retries: number;
  stalls: number;
  bytes: number;
}

/** Counts of nothing fetched yet. */
export function newFetchCounts(): FetchCounts {
  return { reads: 0, resumed: 0, retries: 0, stalls: 0, bytes: 0 };
}

/**
 * The store a fetch reads through. `renew` drops the current session and opens a fresh one: after a dropped
 * connection or a stall the old session cannot be trusted.
 */
export interface StoreSession {
  current(): Promise<RemoteFileStore>;
  renew(): Promise<void>;
}

/**
 * Copies one remote file to `target`, streaming (never held whole in memory). A try that breaks off - the
 * connection drops, the read stalls past the timeout, or the stream ends before the listed size - is resumed from
 * the bytes already on disk with a fresh session, up to `policy.attempts` tries; then it fails saying where it
 * stopped and why. `SourceConfigError`s (a file the user may not read) fail at once.
 */
export async function fetchRemoteFile(
  session: StoreSession,
  file: RemoteEntry,
  target: string,
  counts: FetchCounts,
  label: string,
  policy: FetchPolicy = defaultFetchPolicy,
  clock: Pick<HttpClock, 'sleep' | 'random'>,
): Promise<void> {
  fs.writeFileSync(target, '');
  let lastProblem = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    const offset = fs.statSync(target).size;
    if (offset > 0) counts.resumed += 1;
    counts.reads += 1;
    try {
      const store = await session.current();
      await copyFrom(store, file.name, offset, target, policy.stallTimeoutMs, counts);
      const size = fs.statSync(target).size;
      if (size === file.bytes) return;
      if (size > file.bytes) {
        throw new SourceTransientError(`${label} file "${file.name}" grew while it was read (listed ${file.bytes} bytes, read ${size}); re-trigger the run`);
      }
      lastProblem = `the read ended at byte ${size} of ${file.bytes}`;
    } catch (error) {
      // What the store classed (a setting to fix, an answer it cannot use) fails at once: another try would get the same.
      if (isSourceError(error)) throw error;
      if (error instanceof StallError) counts.stalls += 1;
      lastProblem = error instanceof StallError ? error.message : `the connection broke off (${describe(error)})`;
    }
    if (attempt === policy.attempts) break;
    counts.retries += 1;
    await session.renew().catch(() => undefined);
    await clock.sleep(Math.round(clock.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))));
  }
  const reached = fs.statSync(target).size;
  throw new SourceTransientError(
    `reading ${label} file "${file.name}" stopped after ${policy.attempts} tries, at byte ${reached} of ${file.bytes}: ${lastProblem}. The server may be overloaded or the network unstable; re-trigger the run`,
  );
}

/** A read that brought nothing for the stall timeout. */
class StallError extends Error {
  constructor(timeoutMs: number, offset: number) {
    super(`no data came for ${timeoutMs} ms (at byte ${offset})`);
  }
}

/**
 * One try: the file from `offset`, appended to `target`. Whatever arrived before a failure is flushed to disk
 * before the try ends, so the target's size afterwards is exactly where the next try resumes.
 */
async function copyFrom(store: RemoteFileStore, name: string, offset: number, target: string, stallTimeoutMs: number, counts: FetchCounts): Promise<void> {
  const source = await withStallTimeout(store.read(name, offset), stallTimeoutMs, offset);
  const sink = fs.createWriteStream(target, { flags: 'a' });
  let timer: NodeJS.Timeout | undefined;
  let written = offset;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => source.destroy(new StallError(stallTimeoutMs, written)), stallTimeoutMs);
  };
  try {
    arm();
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      written += buffer.length;
      counts.bytes += buffer.length;
      // Back-pressure: the next chunk is taken only once the disk has caught up (the stall clock waits meanwhile).
      if (!sink.write(buffer)) {
        clearTimeout(timer);
        await once(sink, 'drain');
      }
      arm();
    }
  } finally {
    clearTimeout(timer);
    source.destroy();
    sink.end();
    if (!sink.closed) await once(sink, 'close');
  }
}

async function withStallTimeout(opening: Promise<Readable>, timeoutMs: number, offset: number): Promise<Readable> {
  let timer: NodeJS.Timeout | undefined;
  let abandoned = false;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      abandoned = true;
      reject(new StallError(timeoutMs, offset));
    }, timeoutMs);
  });
  // A read that opens after its try was abandoned is closed, not leaked.
  opening.then((late) => abandoned && late.destroy(), () => undefined);
  try {
    return await Promise.race([opening, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A connector-wide retry policy (the app's, or a test's) as a file fetch's: its tries, waits and stall timeout. */
export function fetchPolicyFrom(retry: RetryPolicy | undefined): FetchPolicy {
  return retry ? { attempts: retry.attempts, stallTimeoutMs: retry.timeoutMs, baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs } : defaultFetchPolicy;
}
