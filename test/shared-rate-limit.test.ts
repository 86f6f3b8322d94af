import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateBuckets } from '../src/connectors/rest/shared-rate-buckets.js';
import { sharedBucketShape } from '../src/connectors/rest/shared-token-bucket.js';
import { SourceTransientError } from '../src/connectors/source-connector.js';
import { databaseNowMs } from '../src/store/dialect-adapter.js';
import type { Store, StoreOptions } from '../src/store/open-store.js';
import { RateBucketsRepository } from '../src/store/rate-buckets.repository.js';
import { availableBackends, postgresUrl, type Backend } from './support/backends.js';

const backends = await availableBackends();
const taker = path.resolve('test/support/rate-taker.mjs');

/** The options that open this very store again, in another process. */
async function storeOptions(store: Store, dataDir: string): Promise<StoreOptions> {
  if (store.backend === 'sqlite') return { dataDir };
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(store.db);
  return { dataDir, databaseUrl: postgresUrl, postgresSchema: rows[0]?.schema };
}

async function databaseNow(store: Store): Promise<number> {
  const { rows } = await sql<{ now: number }>`SELECT ${databaseNowMs(store.backend)} AS now`.execute(store.db);
  return Number(rows[0]?.now);
}

/** A worker process ready to take tokens; `go` starts it, `result` is what it got. */
async function startTaker(job: Record<string, unknown>): Promise<{ child: ChildProcess; go: () => void; result: Promise<{ taken: number; roundTrips: number }> }> {
  const child = spawn(process.execPath, [taker, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const next = () =>
    Promise.race([
      new Promise<string>((resolve) => lines.once('line', resolve)),
      exited.then((code) => Promise.reject(new Error(`the taker exited (${code}): ${errors}`))),
    ]);
  const ready = await next();
  if (ready !== 'ready') throw new Error(`the taker said ${ready}: ${errors}`);
  const result = next().then((line) => JSON.parse(line) as { taken: number; roundTrips: number });
  return { child, go: () => child.stdin?.write('go\n'), result };
}

describe.each(backends)('a provider rate limit shared through the metadata store on $name', (backend: Backend) => {
  let opened: Awaited<ReturnType<Backend['open']>>;
  let buckets: RateBucketsRepository;
  beforeAll(async () => {
    opened = await backend.open();
    buckets = new RateBucketsRepository(opened.store);
  });
  afterAll(async () => {
    await opened?.store.close();
    await opened?.dispose();
  });

  it('three worker processes taking as fast as they can get no more than burst + rate × elapsed together', { timeout: 60_000 }, async () => {
    if (!fs.existsSync(path.resolve('dist/store/rate-buckets.repository.js'))) throw new Error('the worker processes run the compiled code: npm run build first');
    const limit = { requestsPerSecond: 40, burst: 20 };
    const job = { store: await storeOptions(opened.store, opened.dataDir), key: 'Stripe:three-workers', limit, ms: 3_000, concurrency: 4 };
    const starting = await Promise.allSettled([1, 2, 3].map(() => startTaker(job)));
    const takers = starting.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
    let results: { taken: number; roundTrips: number }[];
    let elapsed: number;
    try {
      const failed = starting.find((t) => t.status === 'rejected');
      if (failed) throw failed.reason;
      const start = await databaseNow(opened.store);
      for (const t of takers) t.go();
      results = await Promise.all(takers.map((t) => t.result));
      elapsed = (await databaseNow(opened.store)) - start;
    } finally {
      // One that failed leaves the others waiting for their go, or taking: none outlives the test.
      for (const t of takers) if (t.child.exitCode === null) t.child.kill();
    }
    const taken = results.reduce((sum, r) => sum + r.taken, 0);
    const bound = limit.burst + (limit.requestsPerSecond * elapsed) / 1000;
    console.log(`${backend.name}: 3 processes took ${results.map((r) => r.taken).join(' + ')} = ${taken} tokens in ${Math.round(elapsed)} ms (bound ${bound.toFixed(1)}) in ${results.map((r) => r.roundTrips).join(' + ')} round trips`);
    expect(taken).toBeLessThanOrEqual(bound);
    // The bucket refilled: more went than the burst it started with, so the processes were not merely held back.
    expect(taken).toBeGreaterThan(limit.burst);
    for (const r of results) expect(r.taken).toBeGreaterThan(0);
  });

  it('keeps each key to itself: an empty bucket leaves another key\'s full', async () => {
    const slow = { requestsPerSecond: 0.001, capacity: 5 };
    expect(await buckets.reserve('Stripe:first', slow, 5)).toEqual({ waitMs: 0 });
    // One token at 0.001 a second: 1000 s, less the refill of the moment between the two statements.
    const next = await buckets.reserve('Stripe:first', slow, 1);
    expect(next.waitMs).toBeGreaterThan(990_000);
    expect(next.waitMs).toBeLessThanOrEqual(1_000_000);
    expect(await buckets.reserve('Stripe:second', slow, 5)).toEqual({ waitMs: 0 });
    expect(await buckets.reserve('PayPal:first', slow, 5)).toEqual({ waitMs: 0 });
  });

  it('puts a reservation the bucket cannot pay yet in line behind the ones before it', async () => {
    const rate = { requestsPerSecond: 0.001, capacity: 4 };
    expect(await buckets.reserve('Square:line', rate, 3)).toEqual({ waitMs: 0 });
    const second = await buckets.reserve('Square:line', rate, 2);
    const third = await buckets.reserve('Square:line', rate, 1);
    // 1 token owed, then 2: the refill pays the second first. (A few ms of refill pass between the statements.)
    expect(second.waitMs).toBeGreaterThan(990_000);
    expect(second.waitMs).toBeLessThanOrEqual(1_000_000);
    expect(third.waitMs).toBeGreaterThan(1_990_000);
    expect(third.waitMs).toBeLessThanOrEqual(2_000_000);
  });

  it('credits time once: a bucket stamped ahead of the database\'s clock refills nothing until the clock gets there', async () => {
    const rate = { requestsPerSecond: 1000, capacity: 10 };
    expect(await buckets.reserve('Stripe:ahead', rate, 10)).toEqual({ waitMs: 0 });
    // As if a reservation had been stamped a minute ahead (a clock stepped back since): at 1000 a second, any
    // credit for that minute would fill the bucket at once.
    const ahead = (await databaseNow(opened.store)) + 60_000;
    await opened.store.db.updateTable('rate_buckets').set({ tokens: 0, updated_at: ahead }).where('key', '=', 'Stripe:ahead').execute();
    expect(await buckets.reserve('Stripe:ahead', rate, 1)).toEqual({ waitMs: 1 });
    const row = await opened.store.db.selectFrom('rate_buckets').select(['tokens', 'updated_at']).where('key', '=', 'Stripe:ahead').executeTakeFirstOrThrow();
    expect(row).toEqual({ tokens: -1, updated_at: ahead });
  });
});

describe.each(backends)('a shared bucket whose store fails on $name', (backend: Backend) => {
  it('fails the requests waiting on it as transient, so the run can be tried again', async () => {
    const opened = await backend.open();
    try {
      const shared = new SharedRateBuckets(new RateBucketsRepository(opened.store));
      await opened.store.close();
      const bucket = shared.bucket('Stripe:gone', { requestsPerSecond: 25, burst: 25 });
      const failures = await Promise.allSettled([bucket.take(), bucket.take()]);
      for (const failure of failures) {
        expect(failure.status).toBe('rejected');
        const reason = (failure as PromiseRejectedResult).reason as Error;
        expect(reason).toBeInstanceOf(SourceTransientError);
        expect(reason.message).toMatch(/the shared rate limit Stripe:gone could not be read/);
      }
    } finally {
      await opened.dispose();
    }
  });
});

describe('how a shared bucket spends a rate', () => {
  it.each([
    [{ requestsPerSecond: 25, burst: 25 }, { batch: 5, holdMs: 160, capacity: 21 }],
    [{ requestsPerSecond: 100, burst: 100 }, { batch: 20, holdMs: 190, capacity: 81 }],
    [{ requestsPerSecond: 10, burst: 20 }, { batch: 2, holdMs: 100, capacity: 19 }],
    [{ requestsPerSecond: 5, burst: 1 }, { batch: 1, holdMs: 0, capacity: 1 }],
  ])('%o: a batch, how long a kept token lasts, and the stored capacity that keeps burst + rate × T', (limit, shape) => {
    const got = sharedBucketShape(limit);
    expect({ ...got, holdMs: Math.round(got.holdMs) }).toEqual(shape);
    // What the hold can add (batch − 1 tokens) is what the stored capacity leaves out of the burst.
    expect(got.capacity + (got.holdMs / 1000) * limit.requestsPerSecond).toBeCloseTo(limit.burst);
    expect(got.capacity).toBeGreaterThanOrEqual(got.batch);
  });
});
