import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchKind } from '../src/engine/batch-document.js';
import { batchListRules } from '../src/services/catalog/batch.operations.js';
import { BatchesRepository } from '../src/services/catalog/batches.repository.js';
import { catalogListResponse } from '../src/services/catalog/catalog-listing.js';
import { up as addBatchIndex } from '../src/store/migrations/20261214T0110-batch-index.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { RowCounter } from './support/row-counter.js';
import { startApi, str, type TestApi } from './support/test-api.js';

const batches = '/data/foundation/catalog/batches';
const backends = await availableBackends();

const dataSets = ['d00000000000000000000001', 'd00000000000000000000002', 'd00000000000000000000003'];
const statuses = ['success', 'failed', 'loading', 'processing', 'active', 'failure'] as const;

/** A batch as Catalog or ingestion stores one, with the fields the filters below read. */
function batchRecord(index: number, created: number, updated: number, storedAt: number) {
  const id = crypto.randomBytes(12).toString('hex');
  // One batch in seven has no dataset; one in five also names an upstream batch.
  const related = [
    ...(index % 7 === 6 ? [] : [{ type: 'dataSet', id: dataSets[index % 3] as string }]),
    ...(index % 5 === 0 ? [{ type: 'batch', id: `upstream-${index % 2}` }] : []),
  ];
  const body = {
    id,
    imsOrg: 'ORG@AdobeOrg',
    status: statuses[index % 6] as string,
    relatedObjects: related,
    recordCount: index % 9,
    availableDates: { startDate: (index % 6) * 100, endDate: (index % 6) * 100 + 50 },
    tags: { team: [index % 2 === 0 ? 'payments' : 'crm'] },
    version: '1.0.0',
    created,
    updated,
    createdClient: `client-${index % 3}`,
    createdUser: 'user',
    updatedUser: 'user',
  };
  return { kind: batchKind, id, body, secret: null, etag: String(storedAt), createdAt: storedAt, updatedAt: storedAt };
}

describe.each(backends)('GET /batches filtered, sorted and paged in SQL on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let scope: Scope;
  /** Every batch, and when it was stored. */
  const bodies: Record<string, unknown>[] = [];
  const storedAt = new Map<unknown, number>();
  /** In the order the old listing read them (the order a list without orderBy keeps): when stored, then by id. */
  const inStoredOrder = () => [...bodies].sort((a, b) => (storedAt.get(a.id) ?? 0) - (storedAt.get(b.id) ?? 0) || (String(a.id) < String(b.id) ? -1 : 1));
  const base = 1_700_000_000_000;

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const resources = new ResourcesRepository(api.store.db);
    for (let i = 0; i < 80; i += 1) {
      // Batches are stored in an order their `created` does not follow, and three share each stored time.
      const created = base + ((i * 29) % 80) * 1000 - (i % 4 === 0 ? 1000 : 0);
      const batch = batchRecord(i, created, created + ((i * 37) % 11) * 500, base + Math.floor(i / 3));
      // A client's JSON Patch can remove `created`: such batches sort last going up and first going down.
      if (i % 17 === 5) delete (batch.body as Partial<typeof batch.body>).created;
      await resources.insert(scope, batch);
      bodies.push(batch.body);
      storedAt.set(batch.id, batch.createdAt);
    }
  });
  afterAll(async () => api?.close());

  /** The endpoint's answer beside the JS listing's over every batch, and the rows the request read. */
  const answers = async (query: string) => {
    counter.reset();
    const response = await api.request('GET', `${batches}?${query}`);
    expect(response.status, response.text).toBe(200);
    const read = counter.read('resources');
    const params = new URL(`http://x/?${query}`).searchParams;
    const typed: Record<string, unknown> = {};
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      const value = values.length === 1 ? values[0] : values;
      // As Fastify's schema coerces them.
      typed[key] = ['limit', 'start', 'createdAfter', 'createdBefore', 'startAfter', 'startBefore', 'endAfter', 'endBefore'].includes(key) ? Number(value) : value;
    }
    const expected = catalogListResponse(inStoredOrder(), typed, batchListRules);
    return { served: response.json as Record<string, unknown>, expected, read };
  };

  const since = base + 20_000;
  const until = base + 60_000;
  const inSql = [
    '',
    `dataSet=${dataSets[0]}`,
    `dataSet=${dataSets[0]},${dataSets[1]}&orderBy=desc:created&limit=5`,
    `dataSet=!${dataSets[0]}&start=3&limit=4`,
    'status=success',
    'status=!failed,success&orderBy=updated&limit=30',
    `createdAfter=${since}&createdBefore=${until}&limit=100`,
    'orderBy=desc:updated&start=10&limit=7',
    'sort=created&limit=100',
    'orderBy=created,desc:updated&start=40&limit=50',
    `property=status==failed&property=created>=${since}`,
    `property=created<${since},${until}&orderBy=desc:created`,
    `property=updated!=${base + 1000}&start=60`,
    `dataSet=${dataSets[1]}&properties=status,created`,
    'property=status&limit=3',
    `dataSet=${dataSets[2]}&status=loading&orderBy=desc:created&limit=1`,
    'dataSet=ffffffffffffffffffffffff',
  ];
  // What the index cannot express: these take the JS path, over the batches the other filters leave.
  const fallingBack = [
    'tags=team:pay*',
    `dataSet=${dataSets[0]}&recordCount=3`,
    'orderBy=id&limit=30',
    'orderBy=desc:status,created&start=5',
    'property=recordCount>5&status=success',
    'startAfter=150&limit=40',
    'property=status~^suc',
    'batch=upstream-1',
  ];

  it.each([...inSql.map((q) => [q, 'in SQL'] as const), ...fallingBack.map((q) => [q, 'in JS'] as const)])('answers ?%s as the JS listing over every batch does (%s)', async (query, path) => {
    const { served, expected, read } = await answers(query);
    expect(Object.keys(served)).toEqual(Object.keys(expected));
    expect(served).toEqual(expected);
    const shown = Object.keys(served).length;
    // In SQL a page reads its own bodies alone; the JS path reads every batch its indexed filters leave.
    if (path === 'in SQL') expect(read).toBe(shown);
    else expect(read).toBeGreaterThan(shown);
    // An answer with no batch in it would compare nothing.
    if (!query.startsWith('dataSet=ffff')) expect(shown).toBeGreaterThan(0);
  });

  it('pages through a dataset\'s batches with start and limit, newest first, each once', async () => {
    const seen: string[] = [];
    for (let start = 0; start < 100; start += 6) {
      const { served, expected, read } = await answers(`dataSet=${dataSets[1]}&orderBy=desc:created&start=${start}&limit=6`);
      expect(served).toEqual(expected);
      expect(read).toBe(Object.keys(served).length);
      seen.push(...Object.keys(served));
      if (Object.keys(served).length < 6) break;
    }
    const ofDataSet = bodies.filter((b) => (b.relatedObjects as { type: string; id: string }[]).some((o) => o.type === 'dataSet' && o.id === dataSets[1]));
    expect(new Set(seen).size).toBe(ofDataSet.length);
    const newestFirst = [...ofDataSet].sort((a, b) => (b.created === undefined ? 1 : 0) - (a.created === undefined ? 1 : 0) || Number(b.created) - Number(a.created));
    expect(seen).toEqual(newestFirst.map((b) => b.id));
  });

  it('lists a batch\'s new status once it is written, through the API too', async () => {
    const resources = new ResourcesRepository(api.store.db);
    const first = bodies[0] as Record<string, unknown> & { id: string; created: number };
    const stored = (await resources.get(batchKind, scope, first.id))!;
    const changed = { ...first, status: 'retrying', updated: base + 999_000 };
    expect(await resources.update(scope, { ...stored, body: changed, etag: 'next', updatedAt: base + 999_000 }, stored.etag)).toBe(true);
    bodies[0] = changed;
    expect(Object.keys((await api.request('GET', `${batches}?status=retrying`)).json as object)).toEqual([first.id]);
    expect(Object.keys((await api.request('GET', `${batches}?orderBy=desc:updated&limit=1`)).json as object)).toEqual([first.id]);

    // DELETE keeps the record with status "deleted".
    expect((await api.request('DELETE', `${batches}/${first.id}`)).status).toBe(200);
    bodies[0] = { ...changed, status: 'deleted' };
    expect(Object.keys((await api.request('GET', `${batches}?status=deleted`)).json as object)).toEqual([first.id]);
    expect(Object.keys((await api.request('GET', `${batches}?status=retrying`)).json as object)).toEqual([]);
    const { served, expected } = await answers('status=!deleted&limit=100');
    expect(served).toEqual(expected);
  });

  it('finds each dataset\'s last batches in the index, as they were found over every batch body, reading no body', async () => {
    const resources = new ResourcesRepository(api.store.db);
    // Two more batches of the first dataset created in the same millisecond as its newest: the greatest id wins.
    const newest = Math.max(...bodies.filter((b) => JSON.stringify(b.relatedObjects).includes(dataSets[0] as string)).map((b) => Number(b.created ?? 0)));
    for (const status of ['failed', 'success']) {
      const tie = batchRecord(3, newest, newest, base + 500);
      tie.body.status = status;
      await resources.insert(scope, tie);
      bodies.push(tie.body);
      storedAt.set(tie.id, tie.createdAt);
    }
    counter.reset();
    const found = await new BatchesRepository(api.store.db).lastBatches(scope);
    expect(counter.read('resources')).toBe(0);
    expect(counter.read('catalog_batches')).toBeLessThanOrEqual(3 * dataSets.length);
    const expected = lastBatchesOverBodies(inStoredOrder(), storedAt);
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(expected));
    expect(expected.size).toBe(dataSets.length);
    expect(Object.fromEntries(await new BatchesRepository(api.store.db).lastBatches(scope, [dataSets[1] as string, 'none']))).toEqual({ [dataSets[1] as string]: expected.get(dataSets[1] as string) });
  });

  it('keeps each sandbox\'s batches to itself, and forgets them with the sandbox', async () => {
    const sandboxes = '/data/foundation/sandbox-management/sandboxes';
    expect((await api.request('POST', sandboxes, { body: { name: 'dev-batches', title: 'Batches', type: 'development' } })).status).toBe(201);
    const dev: Scope = { orgId: scope.orgId, sandboxId: str((await api.request('GET', `${sandboxes}/dev-batches`)).json, 'id') };
    const batch = batchRecord(1, base, base, base);
    await new ResourcesRepository(api.store.db).insert(dev, batch);
    const listed = await api.request('GET', `${batches}?dataSet=${dataSets[1]}`, { sandbox: 'dev-batches' });
    expect(Object.keys(listed.json as object)).toEqual([batch.id]);
    expect(Object.keys((await api.request('GET', `${batches}?limit=100`)).json as object)).not.toContain(batch.id);
    // A lookup reads by id alone, then checks the sandbox: another sandbox's batch is not found.
    expect((await api.request('GET', `${batches}/${batch.id}`)).status).toBe(404);
    expect(Object.keys((await api.request('GET', `${batches}/${batch.id}`, { sandbox: 'dev-batches' })).json as object)).toEqual([batch.id]);
    expect((await api.request('DELETE', `${sandboxes}/dev-batches`)).status).toBe(200);
    expect(await api.store.db.selectFrom('catalog_batches').select('batch_id').where('sandbox_id', '=', dev.sandboxId).execute()).toEqual([]);
  });
});

/** Each dataset's last batches as Catalog computed them from every batch body, before the index. */
function lastBatchesOverBodies(batchBodies: Record<string, unknown>[], storedAt: Map<unknown, number>) {
  const byDataSet = new Map<string, { id: string; status: string; created: number; updated: number }[]>();
  for (const body of batchBodies) {
    const dataSet = (body.relatedObjects as { type: string; id: string }[]).find((o) => o.type === 'dataSet')?.id;
    if (!dataSet) continue;
    const created = typeof body.created === 'number' ? body.created : (storedAt.get(body.id) ?? 0);
    byDataSet.set(dataSet, [...(byDataSet.get(dataSet) ?? []), { id: String(body.id), status: String(body.status), created, updated: Number(body.updated) }]);
  }
  const out = new Map<string, Record<string, unknown>>();
  for (const [dataSet, entries] of byDataSet) {
    const newestFirst = entries.sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const last = newestFirst[0];
    if (!last) continue;
    const succeeded = newestFirst.find((e) => e.status === 'success' || e.status === 'active');
    const failed = newestFirst.find((e) => e.status === 'failed' || e.status === 'failure');
    out.set(dataSet, {
      lastBatchId: last.id,
      lastBatchStatus: last.status,
      ...(succeeded ? { lastSuccessfulBatchId: succeeded.id } : {}),
      ...(failed ? { lastFailedBatchId: failed.id } : {}),
      created: last.created,
      updated: last.updated,
    });
  }
  return out;
}

describe.each(backends)('the batch index migration on $name', (backend) => {
  it('backfills one row per stored batch from its body', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      const there: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-b' };
      // Written before the table existed: as an older server left them.
      await db.schema.dropTable('catalog_batches').execute();
      const written = [
        { scope: here, batch: batchRecord(0, 1000, 1500, 10) },
        { scope: there, batch: batchRecord(1, 2000, 2600, 20) },
        { scope: here, batch: { ...batchRecord(6, 3000, 3000, 30), body: { note: 'no fields', created: 'yesterday', relatedObjects: [{ type: 'dataSet' }, { type: 'dataSet', id: 'x' }] } } },
      ];
      const raw = db as unknown as Kysely<{ resources: Record<string, unknown> }>;
      for (const { scope, batch } of written) {
        await raw.insertInto('resources').values({ kind: batch.kind, id: batch.id, org_id: scope.orgId, sandbox_id: scope.sandboxId, body: JSON.stringify(batch.body), secret: null, etag: batch.etag, created_at: batch.createdAt, updated_at: batch.updatedAt, unique_key: null }).execute();
      }
      await new ResourcesRepository(db).insert(here, { kind: 'catalog.dataSet', id: crypto.randomUUID(), body: { status: 'not a batch' }, secret: null, etag: 'x', createdAt: 1, updatedAt: 1 });

      await addBatchIndex(db as unknown as Kysely<unknown>);

      const rows = await db.selectFrom('catalog_batches').selectAll().orderBy('stored_at').execute();
      const [one, two, three] = written.map((w) => w.batch);
      const numbers = (r: (typeof rows)[number]) => ({ ...r, created: r.created === null ? null : Number(r.created), updated: r.updated === null ? null : Number(r.updated), stored_at: Number(r.stored_at) });
      expect(rows.map(numbers)).toEqual([
        { org_id: here.orgId, sandbox_id: here.sandboxId, batch_id: one?.id, data_set_id: dataSets[0], status: 'success', created: 1000, updated: 1500, stored_at: 10 },
        { org_id: there.orgId, sandbox_id: there.sandboxId, batch_id: two?.id, data_set_id: dataSets[1], status: 'failed', created: 2000, updated: 2600, stored_at: 20 },
        { org_id: here.orgId, sandbox_id: here.sandboxId, batch_id: three?.id, data_set_id: 'x', status: null, created: null, updated: null, stored_at: 30 },
      ]);
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});
