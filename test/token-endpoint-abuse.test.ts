import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HashingBusyError, HashingPool } from '../src/secrets/hashing-pool.js';
import { hashSecret, threadPoolScrypt, verifySecret } from '../src/secrets/password-hash.js';
import { AttemptLimiter } from '../src/services/ims/attempt-limiter.js';
import { FailureDelay } from '../src/services/ims/failure-delay.js';
import type { IssuedCredentials } from '../src/services/ims/credentials.js';
import { availableBackends } from './support/backends.js';
import { startApi, type ApiResponse, type TestApi } from './support/test-api.js';

/**
 * Issue 9's "open door to the CPU": 200 connections posting wrong credentials made every org wait about 6 s,
 * each attempt costing a scrypt on the thread pool requests need. These tests drive the token endpoint the way
 * that attack did and check the guards: no hash for an unknown client, 429 after repeated failures, the holder
 * of a good secret still served, hashing on its own bounded threads.
 */
const backends = await availableBackends();
const tokenPath = '/ims/token/v3';
// Failed answers held back only briefly here; the hold itself has tests of its own below.
const limits = { failuresPerClient: 3, failuresPerAddress: 6, windowSeconds: 60, failureDelayMs: 10 };

function form(clientId: string, clientSecret: string): string {
  return new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
}

/** A token request from 127.0.0.1, checked against the server's API reference like every `api.request`. */
function postToken(api: TestApi, clientId: string, clientSecret: string): Promise<ApiResponse> {
  return api.request('POST', tokenPath, { auth: false, raw: form(clientId, clientSecret), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/**
 * The same request on a kept-alive connection of its own, from `localAddress` (another loopback address is another
 * remote address to the server), answering the `connection` header too, which fetch keeps to itself.
 */
function postTokenFrom(localAddress: string, api: TestApi, clientId: string, clientSecret: string): Promise<{ status: number; connection: string | undefined; body: unknown }> {
  const url = new URL(tokenPath, api.baseUrl);
  const body = form(clientId, clientSecret);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise<{ status: number; connection: string | undefined; body: unknown }>((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body: JSON.parse(text) as unknown }));
      },
    );
    request.on('error', reject);
    request.end(body);
  }).finally(() => agent.destroy());
}

describe.each(backends)('token endpoint under abuse on $name', (backend) => {
  let api: TestApi;
  let clock = Date.now();
  const hashed = () => api.app.hashing.stats().hashed;
  const client = (name: string): Promise<IssuedCredentials> => api.app.credentials.create(api.credentials.ims_org, name);

  beforeAll(async () => {
    api = await startApi(backend, { now: () => clock, tokenEndpoint: limits });
  });
  // Each test starts with empty windows: the limiters read the same injected clock.
  afterEach(() => {
    clock += (limits.windowSeconds + 1) * 1000;
  });
  afterAll(async () => api?.close());

  it('refuses an unknown client with 401 invalid_client before hashing anything', async () => {
    const before = hashed();
    const unknown = await postToken(api, crypto.randomBytes(16).toString('hex'), 'p8e-whatever');
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(hashed()).toBe(before);
    // The counter does move for a known client's wrong secret: the check above can fail.
    const wrong = await postToken(api, api.credentials.client_id, 'p8e-wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'invalid_client' });
    expect(hashed()).toBe(before + 1);
  });

  it('answers 429 with Retry-After once a client has failed too often, without hashing, until the window passes', async () => {
    const target = await client('attacked');
    for (let attempt = 1; attempt <= limits.failuresPerClient; attempt += 1) {
      expect((await postToken(api, target.client_id, `p8e-guess-${attempt}`)).status, `attempt ${attempt}`).toBe(401);
    }
    const before = hashed();
    const limited = await postToken(api, target.client_id, 'p8e-guess-more');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe(String(limits.windowSeconds));
    expect(limited.json).toEqual({ error: 'too_many_requests', error_description: expect.stringContaining('retry after') });
    expect(hashed()).toBe(before);
    // Halfway through the window, the wait left is half the window.
    clock += 30_000;
    const later = await postToken(api, target.client_id, 'p8e-guess-more');
    expect(later.status).toBe(429);
    expect(later.headers.get('retry-after')).toBe(String(limits.windowSeconds - 30));
    // Once the failures have left the window, the client may try again (and fail on its merits).
    clock += (limits.windowSeconds - 30) * 1000 + 1;
    expect((await postToken(api, target.client_id, 'p8e-guess-again')).status).toBe(401);
    expect((await postToken(api, target.client_id, target.client_secret)).status).toBe(200);
  });

  it('still gives a valid client its token while another client is limited', async () => {
    const attacked = await client('attacked');
    const bystander = await client('bystander');
    for (let attempt = 0; attempt < limits.failuresPerClient; attempt += 1) await postToken(api, attacked.client_id, 'p8e-wrong');
    expect((await postToken(api, attacked.client_id, 'p8e-wrong')).status).toBe(429);
    const served = await postToken(api, bystander.client_id, bystander.client_secret);
    expect(served.status).toBe(200);
    const token = (served.json as { access_token: string }).access_token;
    const list = await api.request('GET', '/data/foundation/sandbox-management/sandboxes', { headers: { authorization: `Bearer ${token}`, 'x-api-key': bystander.client_id } });
    expect(list.status).toBe(200);
  });

  it('limits an address whatever clients it names, and leaves other addresses alone', async () => {
    const fresh = await client('fresh');
    for (let attempt = 0; attempt < limits.failuresPerAddress; attempt += 1) {
      expect((await postToken(api, crypto.randomBytes(16).toString('hex'), 'p8e-x')).status).toBe(401);
    }
    const limited = await postToken(api, crypto.randomBytes(16).toString('hex'), 'p8e-x');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A limited address is refused before the hash even for a real client it has never exchanged for...
    expect((await postToken(api, fresh.client_id, fresh.client_secret)).status).toBe(429);
    // ...while another address is served.
    const elsewhere = await postTokenFrom('127.0.0.2', api, fresh.client_id, fresh.client_secret);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toMatchObject({ token_type: 'bearer' });
  });

  it('serves the holder of a secret that worked, without a hash, while its client id is being guessed at', async () => {
    const holder = await client('holder');
    expect((await postToken(api, holder.client_id, holder.client_secret)).status).toBe(200);
    for (let attempt = 0; attempt < limits.failuresPerClient; attempt += 1) {
      expect((await postTokenFrom('127.0.0.3', api, holder.client_id, 'p8e-guess')).status).toBe(401);
    }
    expect((await postTokenFrom('127.0.0.3', api, holder.client_id, 'p8e-guess')).status).toBe(429);
    expect((await postToken(api, holder.client_id, 'p8e-guess')).status).toBe(429);
    const before = hashed();
    expect((await postToken(api, holder.client_id, holder.client_secret)).status).toBe(200);
    expect(hashed()).toBe(before);
  });

  it('counts concurrent guesses before they finish, so a burst gets no more hashes than the limit', async () => {
    const target = await client('burst');
    const before = hashed();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => postToken(api, target.client_id, `p8e-burst-${i}`)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(limits.failuresPerClient);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - limits.failuresPerClient);
    expect(hashed() - before).toBe(limits.failuresPerClient);
  });

  it('answered every request above as its API reference says', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

describe.each(backends)('token endpoint hashing threads on $name', (backend) => {
  let api: TestApi;

  beforeAll(async () => {
    // Limits out of the way: these tests are about the hashing threads, not the limiter.
    api = await startApi(backend, { tokenEndpoint: { failuresPerClient: 10_000, failuresPerAddress: 10_000, failureDelayMs: 10 }, hashing: { workers: 1, queue: 8 } });
  });
  afterAll(async () => api?.close());

  it('answers 503 with Retry-After instead of queueing without bound when the hashing queue is full', async () => {
    // One hash running and eight waiting fill the pool until the running one ends. A request that reaches the
    // pool later than that (a loaded machine) finds room; the pool is filled again and the request repeated, a
    // bounded number of times.
    const salt = crypto.randomBytes(16);
    let busy = await postToken(api, api.credentials.client_id, 'p8e-wrong');
    for (let attempt = 0; attempt < 10 && busy.status !== 503; attempt += 1) {
      const filling = Array.from({ length: 9 }, () => api.app.hashing.scrypt('p8e-filler', salt, 32).catch(() => undefined));
      busy = await postToken(api, api.credentials.client_id, 'p8e-wrong');
      await Promise.all(filling);
    }
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.json).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(api.app.hashing.stats().refused).toBeGreaterThan(0);
  });

  it('keeps answering other requests while many wrong secrets are being checked', async () => {
    const before = api.app.hashing.stats().hashed;
    const attempts = Array.from({ length: 60 }, (_, i) => postToken(api, api.credentials.client_id, `p8e-flood-${i}`));
    const list = await api.request('GET', '/data/foundation/sandbox-management/sandboxes');
    const answers = await Promise.all(attempts);
    expect(list.status).toBe(200);
    expect(answers.every((answer) => answer.status === 401 || answer.status === 503)).toBe(true);
    const refusedForSecret = answers.filter((answer) => answer.status === 401).length;
    expect(refusedForSecret).toBeGreaterThan(0);
    expect(api.app.hashing.stats().hashed - before).toBeGreaterThanOrEqual(refusedForSecret);
    // The flood over, the real secret still works.
    expect((await postToken(api, api.credentials.client_id, api.credentials.client_secret)).status).toBe(200);
  });

  it('answered every request above as its API reference says', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

describe.each(backends)('failed token answers held back on $name', (backend) => {
  let api: TestApi;
  const delayMs = 1500;

  beforeAll(async () => {
    api = await startApi(backend, { tokenEndpoint: { failuresPerClient: 10_000, failuresPerAddress: 10_000, failureDelayMs: delayMs, maxDelayedAnswers: 2 } });
  });
  afterAll(async () => api?.close());

  it('holds a failure back for the delay, and answers a good secret without it', async () => {
    const started = performance.now();
    const refused = await postTokenFrom('127.0.0.1', api, 'unknown-client', 'p8e-wrong');
    expect(refused.status).toBe(401);
    expect(performance.now() - started).toBeGreaterThanOrEqual(delayMs - 50);
    // Held, not dropped: the connection stays usable for the next attempt.
    expect(refused.connection).not.toBe('close');
    const issued = await postToken(api, api.credentials.client_id, api.credentials.client_secret);
    expect(issued.status).toBe(200);
  });

  it('answers at once and closes the connection when as many failures as it may hold are waiting', async () => {
    // Three at once against a bound of two: two wait out the delay, the third is answered straight away.
    const answers = await Promise.all([1, 2, 3].map((i) => postTokenFrom('127.0.0.1', api, `unknown-client-${i}`, 'p8e-wrong')));
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
    expect(answers.filter((answer) => answer.connection === 'close')).toHaveLength(1);
  });
});

describe('failure delay', () => {
  it('holds at most maxHeld answers, and lets go of each once its sleep ends', async () => {
    const sleeping: (() => void)[] = [];
    const delay = new FailureDelay({ delayMs: 1000, maxHeld: 2 }, () => new Promise<void>((resolve) => sleeping.push(resolve)));
    const first = delay.hold();
    const second = delay.hold();
    expect(await delay.hold()).toBe(false);
    expect(delay.waiting).toBe(2);
    for (const wake of sleeping) wake();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(delay.waiting).toBe(0);
    expect(await Promise.race([delay.hold(), Promise.resolve('still held')])).toBe('still held');
  });

  it('holds nothing when the delay is zero', async () => {
    const delay = new FailureDelay({ delayMs: 0, maxHeld: 0 }, () => new Promise<void>(() => undefined));
    expect(await delay.hold()).toBe(true);
  });
});

describe('hashing pool', () => {
  it('hashes as crypto.scrypt does, so secrets stored before it still verify', async () => {
    const pool = new HashingPool({ workers: 1, queue: 4 });
    try {
      const stored = await hashSecret('p8e-secret', threadPoolScrypt);
      expect(await verifySecret('p8e-secret', stored, pool.scrypt)).toBe(true);
      expect(await verifySecret('p8e-other', stored, pool.scrypt)).toBe(false);
      expect(await verifySecret('p8e-secret', await hashSecret('p8e-secret', pool.scrypt), threadPoolScrypt)).toBe(true);
      expect(pool.stats()).toMatchObject({ hashed: 3, running: 0, queued: 0, refused: 0 });
    } finally {
      await pool.close();
    }
  });

  it('refuses at once past its queue bound', async () => {
    const pool = new HashingPool({ workers: 1, queue: 1 });
    try {
      const salt = crypto.randomBytes(16);
      // Submitted in one synchronous run: the first starts, the second waits, the third finds the queue full.
      const running = pool.scrypt('a', salt, 32);
      const waiting = pool.scrypt('b', salt, 32);
      const refused = pool.scrypt('c', salt, 32);
      await expect(refused).rejects.toBeInstanceOf(HashingBusyError);
      expect(pool.stats()).toMatchObject({ running: 1, queued: 1, refused: 1 });
      await Promise.all([running, waiting]);
      expect(pool.stats()).toMatchObject({ hashed: 2, running: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe('attempt limiter', () => {
  it('tracks a bounded number of keys, forgetting the one touched longest ago', () => {
    const clock = 1_000_000;
    const limiter = new AttemptLimiter({ attempts: 1, windowMs: 60_000, maxKeys: 3 }, () => clock);
    for (const key of ['a', 'b', 'c']) limiter.record(key);
    expect(limiter.retryAfterSeconds('a')).toBe(60);
    limiter.record('a');
    limiter.record('d');
    expect(limiter.tracked).toBe(3);
    // 'b' was touched longest ago ('a' was recorded again): it is the one forgotten.
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    expect(['a', 'c', 'd'].map((key) => limiter.retryAfterSeconds(key))).toEqual([60, 60, 60]);
  });

  it('takes back an attempt that turned out not to be a failure', () => {
    let clock = 0;
    const limiter = new AttemptLimiter({ attempts: 2, windowMs: 10_000, maxKeys: 10 }, () => clock);
    limiter.record('k');
    clock = 4_000;
    limiter.record('k');
    expect(limiter.retryAfterSeconds('k')).toBe(6);
    limiter.forgive('k');
    expect(limiter.retryAfterSeconds('k')).toBe(0);
    clock = 10_001;
    expect(limiter.tracked).toBe(1);
    expect(limiter.retryAfterSeconds('k')).toBe(0);
    expect(limiter.tracked).toBe(0);
  });
});
