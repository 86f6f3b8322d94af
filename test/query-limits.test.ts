import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { QueryError } from '../src/lake/query-error.js';
import { QueryWorkers } from '../src/lake/query-workers.js';
import { defaultQueryLimits, type QueryLimits } from '../src/services/query/query-limits.js';
import { availableBackends } from './support/backends.js';
import { isAlive, queryWorkerPids, requireFreshQueryWorker } from './support/query-workers.js';
import { at, startApi, str, type ApiResponse, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const queries = '/data/foundation/query/queries';
/** Counts a trillion rows: runs far longer than any test, until it is cancelled or times out. */
const endless = 'SELECT count(*) FROM range(1000000000000)';

type Headers = Record<string, string>;

/** A query that has not been answered yet, and whether it has been by now. */
function pending(request: Promise<ApiResponse>): { answer: Promise<ApiResponse>; settled: () => boolean } {
  let done = false;
  const answer = request.finally(() => {
    done = true;
  });
  return { answer, settled: () => done };
}

/** Polls until `check` holds; the bound only stops a broken test from hanging, it is not what is tested. */
async function waitFor(what: string, check: () => Promise<boolean> | boolean, boundMs = 60_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every query the store holds, with its org and state, read from the store itself. */
async function storedQueries(api: TestApi): Promise<{ id: string; org: string; state: string }[]> {
  const rows = await api.store.db.selectFrom('resources').select(['id', 'org_id', 'body']).where('kind', '=', 'query.query').execute();
  return rows.map((row) => ({ id: row.id, org: row.org_id, state: String((JSON.parse(row.body) as { state?: unknown }).state) }));
}

async function inProgress(api: TestApi, org?: string): Promise<string[]> {
  return (await storedQueries(api)).filter((q) => q.state === 'IN_PROGRESS' && (org === undefined || q.org === org)).map((q) => q.id);
}

describe.each(backends)('query limits on $name', (backend) => {
  let api: TestApi | undefined;
  let otherOrg: Headers;
  let otherSecret: { clientId: string; secret: string };
  const post = (sql: string, headers: Headers = {}) => api!.request('POST', queries, { body: { dbName: 'prod:all', sql }, headers });
  const cancel = (id: string, headers: Headers = {}) => api!.request('PATCH', `${queries}/${id}`, { body: { op: 'cancel' }, headers });

  async function start(query: Partial<QueryLimits>): Promise<TestApi> {
    api = await startApi(backend, { query });
    const other = await api.app.credentials.create('QUERYNEIGHBOUR@AdobeOrg', 'neighbour');
    otherOrg = { authorization: `Bearer ${other.access_token}`, 'x-api-key': other.client_id, 'x-gw-ims-org-id': other.ims_org };
    otherSecret = { clientId: other.client_id, secret: other.client_secret };
    return api;
  }

  beforeAll(() => requireFreshQueryWorker());
  afterEach(async () => {
    expect(api?.contractViolations ?? []).toEqual([]);
    await api?.close();
    api = undefined;
  });

  it("serves another org at once while one org's queries run without end, and PATCH cancel ends them and their workers", { timeout: 180_000 }, async () => {
    const api = await start({ perOrg: 4, perServer: 4, timeoutMs: 150_000 });
    const running = Array.from({ length: 4 }, () => pending(post(endless)));
    await waitFor('four queries in progress', async () => (await inProgress(api)).length === 4);
    // A query is recorded IN_PROGRESS just before its worker is forked: wait for the fork, then count exactly.
    await waitFor('four query workers', () => queryWorkerPids().length >= 4);
    const workers = queryWorkerPids();
    expect(workers).toHaveLength(4);

    // The neighbour's requests, including a secret check (scrypt), are answered while all four still run.
    const sandboxes = await api.request('GET', '/data/foundation/sandbox-management/sandboxes', { headers: otherOrg });
    expect(sandboxes.status, sandboxes.text).toBe(200);
    const token = await fetch(`${api.baseUrl}/ims/token/v3`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: otherSecret.clientId, client_secret: otherSecret.secret }).toString(),
    });
    expect(token.status).toBe(200);
    expect(running.some((query) => query.settled())).toBe(false);
    const ids = await inProgress(api);
    expect(ids).toHaveLength(4);

    // A query is findable while it runs, with the cancel link AEP gives.
    const shown = await api.request('GET', `${queries}/${ids[0]}`);
    expect(shown.json).toMatchObject({ state: 'IN_PROGRESS', _links: { cancel: { href: `${queries}/${ids[0]}`, method: 'PATCH', body: '{"op":"cancel"}' } } });

    for (const id of ids) {
      const cancelled = await cancel(id);
      expect(cancelled.status, cancelled.text).toBe(202);
      expect(cancelled.json).toEqual({ message: 'Query cancel request received', statusCode: 202 });
      expect(at((await api.request('GET', `${queries}/${id}`)).json, 'state')).toBe('CANCELLED');
    }
    for (const query of running) {
      const answer = await query.answer;
      expect(answer.status, answer.text).toBe(202);
      expect(answer.json).toMatchObject({ state: 'CANCELLED', rows: [], errors: [{ code: 'cancelled' }] });
    }
    await waitFor('the cancelled workers to end', () => workers.every((pid) => !isAlive(pid)));

    // Cancelling twice is harmless; a query that has finished otherwise cannot be cancelled.
    expect((await cancel(ids[0]!)).status).toBe(202);
    const done = await post('SELECT 1 AS one');
    const late = await cancel(str(done.json, 'id'));
    expect(late.status).toBe(400);
    expect(str(late.json, 'detail')).toMatch(/has finished \(SUCCESS\)/);
    // Another org's query is not there for this one.
    expect((await cancel(ids[1]!, otherOrg)).status).toBe(404);
    expect((await cancel('00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await api.request('PATCH', `${queries}/${ids[1]}`, { body: { op: 'rerun' } })).status).toBe(400);
  });

  it('answers 429 with Retry-After at the per-org and the per-server cap, and records no refused query', { timeout: 180_000 }, async () => {
    const api = await start({ perOrg: 2, perServer: 3, timeoutMs: 150_000 });
    const mine = [pending(post(endless)), pending(post(endless))];
    await waitFor('two queries in progress', async () => (await inProgress(api)).length === 2);
    const third = await post(endless);
    expect(third.status, third.text).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(third.json).toMatchObject({ type: 'https://ns.adobe.com/aep/errors/QUERY-1429-429', status: 429 });
    expect(str(third.json, 'detail')).toMatch(/Your org already runs 2 queries/);

    // The neighbour still gets the server's last slot, then meets the server's cap.
    const theirs = pending(post(endless, otherOrg));
    await waitFor('three queries in progress', async () => (await inProgress(api)).length === 3);
    const refused = await post('SELECT 1', otherOrg);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(str(refused.json, 'detail')).toMatch(/This server already runs 3 queries/);
    expect(await storedQueries(api)).toHaveLength(3);

    const [theirId] = await inProgress(api, 'QUERYNEIGHBOUR@AdobeOrg');
    expect((await cancel(theirId!, otherOrg)).status).toBe(202);
    for (const id of await inProgress(api)) expect((await cancel(id)).status).toBe(202);
    await Promise.all([...mine, theirs].map((query) => query.answer));
    // The slots are free again.
    const after = await post('SELECT 1 AS one', otherOrg);
    expect(after.status, after.text).toBe(202);
    expect(after.json).toMatchObject({ state: 'SUCCESS', rows: [{ one: 1 }] });
  });

  it('cancels the query of a client that hangs up before its answer, freeing its place', { timeout: 180_000 }, async () => {
    const api = await start({ perOrg: 1, perServer: 2, timeoutMs: 150_000 });
    const hangingUp = new AbortController();
    const abandoned = fetch(`${api.baseUrl}${queries}`, {
      method: 'POST',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ dbName: 'prod:all', sql: endless }),
      signal: hangingUp.signal,
    }).catch((error: unknown) => error);
    await waitFor('the query in progress', async () => (await inProgress(api)).length === 1);
    const [id] = await inProgress(api);
    hangingUp.abort();
    await abandoned;
    await waitFor('the query cancelled', async () => (await storedQueries(api)).find((q) => q.id === id)?.state === 'CANCELLED');
    // The org's only place is free again.
    const next = await post('SELECT 1 AS one');
    expect(next.status, next.text).toBe(202);
    expect(next.json).toMatchObject({ state: 'SUCCESS', rows: [{ one: 1 }] });
  });

  it('stops a query over its memory cap with a 400 that says so, and goes on serving', { timeout: 180_000 }, async () => {
    const api = await start({ memoryMb: 256, timeoutMs: 150_000 });
    const hungry = await post("SELECT length(repeat('x', 2000000000)) AS n");
    expect(hungry.status, hungry.text).toBe(400);
    expect(str(hungry.json, 'detail')).toMatch(/needed more memory than its cap of 256 MB/);
    expect(at(hungry.json, 'report.errors.0')).toMatchObject({ in: 'body', path: '/sql' });
    const recorded = await api.request('GET', `${queries}/${str(hungry.json, 'report.queryId')}`);
    expect(recorded.json).toMatchObject({ state: 'FAILED', errors: [{ code: 'memory' }] });
    const next = await post('SELECT 42 AS answer');
    expect(next.status, next.text).toBe(202);
    expect(at(next.json, 'rows')).toEqual([{ answer: 42 }]);
  });

  it('ends every query at its timeout, however many run at once', { timeout: 180_000 }, async () => {
    const api = await start({ perOrg: 6, perServer: 6, timeoutMs: 2_000 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(endless)));
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(400);
      expect(str(answer.json, 'detail')).toMatch(/ran longer than 2 s and was cancelled/);
      const recorded = await api.request('GET', `${queries}/${str(answer.json, 'report.queryId')}`);
      expect(recorded.json).toMatchObject({ state: 'FAILED', errors: [{ code: 'timeout' }] });
    }
    expect((await storedQueries(api)).map((q) => q.state)).toEqual(Array(6).fill('FAILED'));
  });

  it('cancels a query through another server sharing the store', { timeout: 180_000 }, async () => {
    const api = await start({ timeoutMs: 150_000 });
    const second = await api.secondServer();
    try {
      const running = pending(post(endless));
      await waitFor('the query in progress', async () => (await inProgress(api)).length === 1);
      const [id] = await inProgress(api);
      const response = await fetch(`${second.baseUrl}${queries}/${id}`, { method: 'PATCH', headers: { ...api.gatewayHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ op: 'cancel' }) });
      expect(response.status).toBe(202);
      const answer = await running.answer;
      expect(answer.json).toMatchObject({ state: 'CANCELLED' });
    } finally {
      await second.close();
    }
  });
});

describe('query workers', () => {
  it('kill a worker that does not answer by its timeout, and answer only once it is gone', async () => {
    // A worker that takes jobs and never answers: DuckDB stuck where an interrupt does not reach.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-silent-worker-'));
    const module = path.join(dir, 'silent-worker.cjs');
    fs.writeFileSync(module, "process.on('message', () => {});\n");
    const workers = new QueryWorkers({ size: 1, heapMb: 64, module, killGraceMs: 100 });
    try {
      const job = { tables: [], sql: 'SELECT 1', maxRows: 1, maxBytes: 1000, inlineBytes: 1000, tempDirectory: dir, timeoutMs: 300, memoryCapBytes: 1e9, duckDbMemory: '64MB', threads: 1, maxTempDirectorySize: '1MB' };
      const running = workers.run(job).catch((error: unknown) => error);
      const [pid] = queryWorkerPids('silent-worker');
      expect(pid).toBeDefined();
      const failure = await running;
      expect(failure).toBeInstanceOf(QueryError);
      expect((failure as QueryError).kind).toBe('timeout');
      // Gone by the time its query is answered: it can write no more into files the caller then removes.
      expect(isAlive(pid!)).toBe(false);
      expect(workers.busy()).toBe(0);
    } finally {
      await workers.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('query settings', () => {
  it('come from TRIBUTARY_QUERIES_* and TRIBUTARY_QUERY_*, with the documented defaults', () => {
    expect(loadConfig({}).query).toEqual({ perOrg: 2, perServer: 4, timeoutMs: 30_000, memoryMb: 1024, threads: 2, tempMb: 2048, resultBytes: 32 * 1024 * 1024, resultTtlMs: 24 * 3600_000 });
    expect(loadConfig({}).query).toEqual(defaultQueryLimits);
    const set = loadConfig({
      TRIBUTARY_QUERIES_PER_ORG: '1',
      TRIBUTARY_QUERIES_PER_SERVER: '8',
      TRIBUTARY_QUERY_TIMEOUT_SECONDS: '120',
      TRIBUTARY_QUERY_MEMORY_MB: '2048',
      TRIBUTARY_QUERY_THREADS: '1',
      TRIBUTARY_QUERY_TEMP_MB: '512',
      TRIBUTARY_QUERY_RESULT_MB: '8',
      TRIBUTARY_QUERY_RESULT_HOURS: '2',
    }).query;
    expect(set).toEqual({ perOrg: 1, perServer: 8, timeoutMs: 120_000, memoryMb: 2048, threads: 1, tempMb: 512, resultBytes: 8 * 1024 * 1024, resultTtlMs: 2 * 3600_000 });
    expect(() => loadConfig({ TRIBUTARY_QUERY_MEMORY_MB: 'lots' })).toThrow(/TRIBUTARY_QUERY_MEMORY_MB must be a non-negative integer/);
  });
});
