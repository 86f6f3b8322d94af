import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { requireFreshQueryWorker } from './support/query-workers.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const queries = '/data/foundation/query/queries';
const hour = 3600_000;

/** About 780 KB of JSON: over what the metadata store keeps (128 KB), under the test server's 1 MB result cap. */
const large = "SELECT range AS n, repeat('x', 500) AS s FROM range(1500) ORDER BY n";

describe.each(backends)('query results on $name', (backend) => {
  let api: TestApi;
  let clock = Date.now();
  const post = (sql: string) => api.request('POST', queries, { body: { dbName: 'prod:all', sql } });
  const resultFile = (id: string) => path.join(api.dataDir, 'results', `${id}.ndjson`);
  const storedResult = async (id: string) =>
    api.store.db.selectFrom('resources').select(['body']).where('kind', '=', 'query.result').where('id', '=', id).executeTakeFirst();

  beforeAll(async () => {
    requireFreshQueryWorker();
    // The clock moves a day on in the expiry test; tokens must outlive it.
    api = await startApi(backend, { now: () => clock, tokenTtlSeconds: 7 * 24 * 3600, query: { resultBytes: 1024 * 1024, resultTtlMs: 24 * hour } });
  });
  afterAll(async () => {
    expect(api?.contractViolations ?? []).toEqual([]);
    await api?.close();
  });

  it('keeps a large result in a private file, answers and pages it from there, and DELETE removes query and file', async () => {
    const created = await post(large);
    expect(created.status, created.text.slice(0, 500)).toBe(202);
    expect(created.json).toMatchObject({ state: 'SUCCESS', rowCount: 1500, truncated: false });
    const rows = at(created.json, 'rows') as { n: string; s: string }[];
    expect(rows).toHaveLength(1500);
    expect(rows[1499]).toEqual({ n: '1499', s: 'x'.repeat(500) });
    const id = str(created.json, 'id');

    const file = resultFile(id);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(1501);
    // The store holds where the rows are, not the rows.
    const stored = await storedResult(id);
    expect(JSON.parse(String(stored?.body))).toEqual({ columns: [{ name: 'n', type: 'BIGINT' }, { name: 's', type: 'VARCHAR' }], rowCount: 1500, bytes: expect.any(Number), inFile: true });

    const page = await api.request('GET', `${queries}/${id}/results?start=1000&limit=3`);
    expect(page.status).toBe(200);
    expect((at(page.json, 'rows') as { n: string }[]).map((row) => row.n)).toEqual(['1000', '1001', '1002']);
    expect(at(page.json, '_page')).toEqual({ start: 1000, limit: 3, count: 3, total: 1500 });

    const removed = await api.request('DELETE', `${queries}/${id}`);
    expect(removed.status).toBe(204);
    expect(fs.existsSync(file)).toBe(false);
    expect(await storedResult(id)).toBeUndefined();
    expect((await api.request('GET', `${queries}/${id}`)).status).toBe(404);
    expect((await api.request('GET', `${queries}/${id}/results`)).status).toBe(404);
    expect((await api.request('DELETE', `${queries}/${id}`)).status).toBe(404);
  });

  it('keeps a small result in the metadata store, and soft_delete removes it as DELETE does', async () => {
    const created = await post('SELECT 1 AS one');
    const id = str(created.json, 'id');
    expect(fs.existsSync(resultFile(id))).toBe(false);
    expect(JSON.parse(String((await storedResult(id))?.body))).toEqual({ columns: [{ name: 'one', type: 'INTEGER' }], rows: [{ one: 1 }] });
    const softDeleted = await api.request('PATCH', `${queries}/${id}`, { body: { op: 'soft_delete' } });
    expect(softDeleted.status).toBe(202);
    expect(await storedResult(id)).toBeUndefined();
    expect((await api.request('GET', `${queries}/${id}`)).status).toBe(404);
  });

  it('cuts a result at the byte cap and says truncated, never a 500', async () => {
    const cut = await post("SELECT range AS n, repeat('x', 1000) AS s FROM range(5000)");
    expect(cut.status, cut.text.slice(0, 500)).toBe(202);
    expect(cut.json).toMatchObject({ state: 'SUCCESS', truncated: true });
    const kept = at(cut.json, 'rowCount') as number;
    expect(kept).toBeGreaterThan(500);
    expect(kept).toBeLessThan(1100);
    expect(at(cut.json, 'rows')).toHaveLength(kept);
    expect(fs.statSync(resultFile(str(cut.json, 'id'))).size).toBeLessThanOrEqual(1024 * 1024 + kept);

    // One value larger than the cap: no row fits.
    const huge = await post("SELECT repeat('x', 2000000) AS s");
    expect(huge.status).toBe(202);
    expect(huge.json).toMatchObject({ state: 'SUCCESS', rowCount: 0, truncated: true, rows: [] });
  });

  it('answers 410 for an expired result, and the sweep removes expired results and their files', async () => {
    const big = str((await post(large)).json, 'id');
    const small = str((await post('SELECT 2 AS two')).json, 'id');
    expect(fs.existsSync(resultFile(big))).toBe(true);

    clock += 25 * hour;
    for (const id of [big, small]) {
      const expired = await api.request('GET', `${queries}/${id}/results`);
      expect(expired.status, expired.text).toBe(410);
      expect(at(expired.json, 'type')).toBe('https://ns.adobe.com/aep/errors/QUERY-1460-410');
      expect(str(expired.json, 'detail')).toMatch(/have expired \(results are kept 24 hours after their query\); run the query again/);
      // The query itself stays.
      expect(at((await api.request('GET', `${queries}/${id}`)).json, 'state')).toBe('SUCCESS');
    }

    // A file no result points to (its server stopped between writing and recording it), as old.
    const stray = path.join(api.dataDir, 'results', 'stray.ndjson');
    fs.writeFileSync(stray, '{}\n');
    fs.utimesSync(stray, new Date(clock - 25 * hour), new Date(clock - 25 * hour));

    const swept = await api.app.queryResultExpiry.sweep();
    expect(swept.results).toBeGreaterThanOrEqual(2);
    expect(swept.strayFiles).toBe(1);
    expect(fs.existsSync(stray)).toBe(false);
    expect(fs.existsSync(resultFile(big))).toBe(false);
    expect(await storedResult(big)).toBeUndefined();
    expect(await storedResult(small)).toBeUndefined();
    expect((await api.request('GET', `${queries}/${big}/results`)).status).toBe(410);

    // A result newer than the cutoff stays.
    const fresh = str((await post(large)).json, 'id');
    await api.app.queryResultExpiry.sweep();
    expect(fs.existsSync(resultFile(fresh))).toBe(true);
    expect((await api.request('GET', `${queries}/${fresh}/results?limit=1`)).status).toBe(200);
  });
});
