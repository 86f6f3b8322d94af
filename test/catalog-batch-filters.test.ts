import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { catalog, ingestRecords, profileDataSet } from './support/catalog-fixture.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const batches = `${catalog}/batches`;
const backends = await availableBackends();

describe.each(backends)('Catalog batch filters on $name', (backend) => {
  let api: TestApi;
  let orders: string;
  let customers: string;
  let landed: string;
  const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

  const keys = async (query: string) => Object.keys((await api.request('GET', `${batches}?${query}`)).json as object).sort();
  const create = async (name: 'a' | 'b' | 'c', body: Record<string, unknown>) => {
    const response = await api.request('POST', batches, { body });
    expect(response.status, response.text).toBe(201);
    ids[name] = str(response.json, '0').split('/').pop() as string;
  };

  beforeAll(async () => {
    api = await startApi(backend);
    orders = (await profileDataSet(api, 'Orders')).dataSetId;
    customers = (await profileDataSet(api, 'Customers')).dataSetId;
    landed = await ingestRecords(api, orders, [{ _id: 'O1' }, { _id: 'O2' }]);
    await create('a', { status: 'success', relatedObjects: [{ type: 'dataSet', id: orders }], recordCount: 10, availableDates: { startDate: 100, endDate: 200 }, tags: { team: ['payments'] } });
    await create('b', { status: 'failed', relatedObjects: [{ type: 'dataSet', id: customers }, { type: 'batch', id: 'upstream-1' }], recordCount: 3, availableDates: { startDate: 300, endDate: 400 }, tags: { team: ['paymentsops'] } });
    await create('c', { status: 'processing', relatedObjects: [{ type: 'dataSet', id: customers }], tags: { team: ['crm'] } });
  });
  afterAll(async () => api?.close());

  it("lists a dataset's batches with dataSet=, as the Data Access tutorial does", async () => {
    expect(await keys(`dataSet=${orders}`)).toEqual([landed, ids.a].sort());
    expect(await keys(`dataSet=${customers}`)).toEqual([ids.b, ids.c].sort());
    expect(await keys(`dataSet=${orders},${customers}`)).toHaveLength(4);
    expect(await keys(`dataSet=!${orders}`)).toEqual([ids.b, ids.c].sort());
    expect(await keys('dataSet=ffffffffffffffffffffffff')).toEqual([]);
    expect(await keys('batch=upstream-1')).toEqual([ids.b]);
    const newest = await api.request('GET', `${batches}?dataSet=${orders}&status=success&orderBy=desc:created&limit=1`);
    expect(Object.keys(newest.json as object)).toEqual([ids.a]);
  });

  it('filters on status, counts, creators, time ranges, availability dates and tag prefixes', async () => {
    expect(await keys('status=success')).toEqual([landed, ids.a].sort());
    expect(await keys('status=failed,processing')).toEqual([ids.b, ids.c].sort());
    expect(await keys('recordCount=3')).toEqual([ids.b]);
    expect(await keys(`createdClient=${api.credentials.client_id}&status=!success`)).toEqual([ids.b, ids.c].sort());
    const created = Number(at((await api.request('GET', `${batches}/${ids.b}`)).json, `${ids.b}.created`));
    const window = (await api.request('GET', `${batches}?createdAfter=${created - 1}&createdBefore=${created + 1}&properties=created`)).json as Record<string, { created: number }>;
    expect(Object.keys(window)).toContain(ids.b);
    expect(Object.keys(window)).not.toContain(landed);
    expect(Object.values(window).every((b) => b.created === created)).toBe(true);
    expect(await keys('startAfter=150')).toEqual([ids.b]);
    expect(await keys('endBefore=300')).toEqual([ids.a]);
    expect(await keys('tags=team:payments*')).toEqual([ids.a, ids.b].sort());
    expect(await keys('tags=team:payments')).toEqual([ids.a]);
    expect(await keys('property=recordCount>5')).toEqual([ids.a]);
  });

  it('never ignores a filter: one that names a field no batch has matches nothing', async () => {
    expect(await keys('dataset=whatever')).toEqual([]);
    expect(await keys('connector=x')).toEqual([]);
    expect(await keys('constructor=x'), 'a name Object.prototype has is a field name like any other').toEqual([]);
    expect(await keys('toString=1')).toEqual([]);
    const bad = await api.request('GET', `${batches}?startAfter=yesterday`);
    expect(bad.status).toBe(400);
    expect(at(bad.json, 'report.errors.0.path')).toBe('/startAfter');
    expect((await api.request('GET', `${batches}?tags=team`)).status).toBe(400);
    expect((await api.request('GET', `${batches}?status=`)).status).toBe(400);
  });

  it('pages with limit and start, orders with orderBy (or its former name sort), and projects with properties', async () => {
    expect((await api.request('GET', `${batches}?limit=0`)).status).toBe(400);
    expect((await api.request('GET', `${batches}?limit=101`)).status).toBe(400);
    const all = Object.keys((await api.request('GET', `${batches}?orderBy=asc:created,asc:id`)).json as object);
    expect(all).toHaveLength(4);
    const page = Object.keys((await api.request('GET', `${batches}?orderBy=asc:created,asc:id&start=1&limit=2`)).json as object);
    expect(page).toEqual(all.slice(1, 3));
    const legacy = Object.keys((await api.request('GET', `${batches}?sort=desc:created,desc:id`)).json as object);
    expect(legacy).toEqual([...all].reverse());
    const projected = await api.request('GET', `${batches}/${ids.a}?properties=status,recordCount`);
    expect(projected.json).toEqual({ [ids.a]: { status: 'success', recordCount: 10 } });
  });

  it('answers the unique values of a field over the matching batches', async () => {
    expect((await api.request('GET', `${batches}/uniques/status`)).json).toEqual(['failed', 'processing', 'success']);
    expect((await api.request('GET', `${batches}/uniques/status?dataSet=${customers}`)).json).toEqual(['failed', 'processing']);
    expect((await api.request('GET', `${batches}/uniques/dataSet`)).json).toEqual([orders, customers].sort());
    expect((await api.request('GET', `${batches}/uniques/nothing`)).json).toEqual([]);
    expect((await api.request('GET', `${batches}/uniques/hasOwnProperty`)).json).toEqual([]);
    expect((await api.request('GET', `${batches}/uniques/constructor`)).json).toEqual([]);
    expect((await api.request('GET', `${batches}/uniques/status?limit=1&start=1`)).json).toEqual(['processing']);
    expect((await api.request('GET', `${batches}/uniques/no-such!`)).status).toBe(400);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
