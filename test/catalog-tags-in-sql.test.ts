import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down as dropTagRows, up as addTagRows } from '../src/store/migrations/20261216T0200-catalog-tags.js';
import { availableBackends } from './support/backends.js';
import { catalog, profileDataSet } from './support/catalog-fixture.js';
import { RowCounter } from './support/row-counter.js';
import { startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

/** `GET /tags/{namespace}` reads the tag rows the store keeps with each dataset and batch, and no body. */
describe.each(backends)('tag lookups from the tag rows on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let dataSets: string[];
  let batches: string[];

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    dataSets = [];
    for (const [name, tags] of [['north', { region: ['emea', 'apac'] }], ['south', { region: ['apac', 'latam'], team: [] }], ['plain', {}]] as const) {
      const { dataSetId } = await profileDataSet(api, name);
      const patched = await api.request('PATCH', `${catalog}/dataSets/${dataSetId}`, { body: { tags } });
      expect(patched.status, patched.text).toBe(200);
      dataSets.push(dataSetId);
    }
    batches = [];
    for (const tags of [{ region: ['amer'] }, { other: ['x'] }]) {
      const created = await api.request('POST', `${catalog}/batches`, { body: { status: 'success', tags } });
      expect(created.status, created.text).toBe(201);
      batches.push(str(created.json, '0').split('/').pop() as string);
    }
  });
  afterAll(async () => api?.close());

  const lookup = async (namespace: string) => {
    counter.reset();
    const response = await api.request('GET', `${catalog}/tags/${encodeURIComponent(namespace)}`);
    return { status: response.status, body: response.json, bodiesRead: counter.read('resources'), tagRowsRead: counter.read('catalog_tags') };
  };

  it('answers values and objects from the rows of the namespace alone', async () => {
    const [north, south] = dataSets as [string, string];
    const region = await lookup('region');
    expect(region.status).toBe(200);
    expect(region.body).toEqual({
      objectType: { batches: [`@/batches/${batches[0]}`], dataSets: [north, south].sort().map((id) => `@/dataSets/${id}`) },
      region: ['amer', 'apac', 'emea', 'latam'],
    });
    expect(region.bodiesRead).toBe(0);
    expect(region.tagRowsRead).toBe(5);
    // A tag with no values still names the objects that carry it.
    expect((await lookup('team')).body).toEqual({ objectType: { dataSets: [`@/dataSets/${south}`] }, team: [] });
    expect((await lookup('nobody')).status).toBe(404);
  });

  it('follows every change: tags edited away on a dataset and a batch, a namespace too long for an index entry', async () => {
    const [north] = dataSets as [string];
    expect((await api.request('PATCH', `${catalog}/dataSets/${north}`, { body: { tags: { team: ['data'] } } })).status).toBe(200);
    const batchEdited = await api.request('PATCH', `${catalog}/batches/${batches[0]}`, { body: { tags: { other: ['y'] } } });
    expect(batchEdited.status, batchEdited.text).toBe(200);
    const region = await lookup('region');
    expect(region.body).toEqual({ objectType: { dataSets: [`@/dataSets/${dataSets[1]}`] }, region: ['apac', 'latam'] });
    expect(((await lookup('team')).body as Record<string, unknown>).team).toEqual(['data']);
    expect((await lookup('other')).body).toEqual({ objectType: { batches: [batches[0], batches[1]].sort().map((id) => `@/batches/${id}`) }, other: ['x', 'y'] });

    // Any JSON key may be a namespace: one of 4,000 characters is stored and found by its digest.
    const long = 'n'.repeat(4000);
    const tagged = await api.request('PATCH', `${catalog}/dataSets/${north}`, { body: { tags: { [long]: ['kept'] } } });
    expect(tagged.status, tagged.text).toBe(200);
    const row = await api.store.db.selectFrom('catalog_tags').select(['namespace', 'value']).where('object_id', '=', north).where('value', '=', 'kept').executeTakeFirst();
    expect(row?.namespace).toBe(long);
  });

  it('are backfilled by the migration from the datasets and batches already stored', async () => {
    const db = api.store.db;
    const before = await db.selectFrom('catalog_tags').selectAll().orderBy('object_id').orderBy('namespace_key').orderBy('position').execute();
    expect(before.length).toBeGreaterThan(0);
    await dropTagRows(db as unknown as Kysely<unknown>);
    await addTagRows(db as unknown as Kysely<unknown>);
    const after = await db.selectFrom('catalog_tags').selectAll().orderBy('object_id').orderBy('namespace_key').orderBy('position').execute();
    const plain = (rows: typeof before) => rows.map((r) => ({ ...r, position: Number(r.position) }));
    expect(plain(after)).toEqual(plain(before));
  });
});
