import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { catalog, ingestRecords, profileDataSet } from './support/catalog-fixture.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

describe.each(backends)('Catalog batched requests, tags, credentials and the root on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  let dataSetId: string;

  const dataSetNames = async () => Object.values((await api.request('GET', `${catalog}/dataSets?properties=name&limit=100`)).json as Record<string, { name: string }>).map((d) => d.name).sort();

  beforeAll(async () => {
    api = await startApi(backend);
    ({ schemaId, dataSetId } = await profileDataSet(api, 'Orders'));
  });
  afterAll(async () => api?.close());

  it('runs sub-requests in order, each answering {id, code, body}, with <<id.attribute>> reading earlier answers', async () => {
    const response = await api.request('POST', catalog, {
      body: [
        { id: 'dataset', resource: '/dataSets', method: 'post', body: { name: 'Batched & co', schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed+json;version=1' } } },
        { id: 'batch', resource: '/batches', method: 'POST', body: { status: 'processing', relatedObjects: [{ type: 'dataSet', id: '<<dataset.id>>' }] } },
        { id: 'rename', resource: '/dataSets/<<dataset.id>>', method: 'PATCH', body: { description: 'made in one call' }, headers: { 'If-Match': '1.0.0' } },
        { id: 'look', resource: '/dataSets/<<dataset.id>>?properties=name,description', method: 'GET' },
        { id: 'named', resource: '/dataSets?name=<<look.name>>&properties=description', method: 'GET' },
        { id: 'copy', resource: '/dataSets?name=<<look.schemaRef>>', method: 'GET' },
        { id: 'missing', resource: '/batches/ffffffffffffffffffffffff', method: 'GET' },
      ],
    });
    expect(response.status).toBe(200);
    const results = response.json as { id: string; code: number; body: unknown }[];
    const newId = (results[0]?.body as string[])[0]?.split('/').pop() as string;
    expect(results.map((r) => [r.id, r.code])).toEqual([['dataset', 201], ['batch', 201], ['rename', 200], ['look', 200], ['named', 200], ['copy', 400], ['missing', 404]]);
    expect(results[3]?.body).toEqual({ [newId]: { name: 'Batched & co', description: 'made in one call' } });
    expect(results[4]?.body).toEqual({ [newId]: { description: 'made in one call' } });
    expect(str(results[5]?.body, 'detail'), 'look.schemaRef was not projected, so the template names nothing').toContain('schemaRef');
    expect(str(results[6]?.body, 'type')).toMatch(/-404$/);
    const batchId = (results[1]?.body as string[])[0]?.split('/').pop() as string;
    expect(at((await api.request('GET', `${catalog}/batches/${batchId}`)).json, `${batchId}.relatedObjects`)).toEqual([{ type: 'dataSet', id: newId }]);
  });

  it('reverts every change when one write fails, and names the failed sub-request and its field', async () => {
    const before = await dataSetNames();
    const response = await api.request('POST', `${catalog}/`, {
      body: [
        { id: 'good', resource: '/dataSets', method: 'POST', body: { name: 'Should vanish', schemaRef: { id: schemaId } } },
        { id: 'tagged', resource: `/dataSets/${dataSetId}`, method: 'PATCH', body: { tags: { reverted: ['no'] } } },
        { id: 'bad', resource: '/batches', method: 'POST', body: { status: 'exploded' } },
      ],
    });
    expect(response.status).toBe(400);
    expect(str(response.json, 'detail')).toContain('"bad"');
    expect(at(response.json, 'report.errors.0.path')).toBe('/2/body/status');
    expect(await dataSetNames()).toEqual(before);
    expect(at((await api.request('GET', `${catalog}/dataSets/${dataSetId}`)).json, `${dataSetId}.tags.reverted`)).toBeUndefined();

    const stale = await api.request('POST', catalog, {
      body: [
        { id: 'one', resource: '/dataSets', method: 'POST', body: { name: 'Also vanishes', schemaRef: { id: schemaId } } },
        { id: 'two', resource: `/dataSets/${dataSetId}`, method: 'PATCH', body: { description: 'x' }, headers: { 'if-match': '9.9.9' } },
      ],
    });
    expect(stale.status).toBe(412);
    expect(at(stale.json, 'report.errors.0.path')).toBe('/1/headers/if-match');
    expect(await dataSetNames()).toEqual(before);
  });

  it('refuses malformed batched requests, naming the item and field', async () => {
    const method = await api.request('POST', catalog, { body: [{ resource: '/dataSets', method: 'FETCH' }] });
    expect(method.status).toBe(400);
    expect(at(method.json, 'report.errors.0.path')).toBe('/0/method');
    const resource = await api.request('POST', catalog, { body: [{ resource: 'dataSets', method: 'GET' }] });
    expect(at(resource.json, 'report.errors.0.path')).toBe('/0/resource');
    const unknown = await api.request('POST', catalog, { body: [{ resource: '/dataSetViews', method: 'POST', body: {} }] });
    expect(unknown.status).toBe(404);
    expect(at(unknown.json, 'report.errors.0.path')).toBe('/0/resource');
    const query = await api.request('POST', catalog, { body: [{ id: 'q', resource: '/batches?limit=500', method: 'GET' }] });
    expect(query.status).toBe(200);
    expect(at(query.json, '0.code')).toBe(400);
    const template = await api.request('POST', catalog, { body: [{ resource: '/dataSets/<<nobody.id>>', method: 'DELETE' }] });
    expect(template.status).toBe(400);
    expect(at(template.json, 'report.errors.0.path')).toBe('/0/resource');
    expect((await api.request('POST', catalog, { body: [] })).status).toBe(400);
    expect((await api.request('POST', catalog, { body: Array.from({ length: 101 }, () => ({ resource: '/dataSets', method: 'GET' })) })).status).toBe(400);
  });

  it("aggregates a tag's values and the objects carrying it; an unknown tag is 404", async () => {
    await api.request('PATCH', `${catalog}/dataSets/${dataSetId}`, { body: { tags: { team: ['payments', 'orders'] } } });
    const batch = str((await api.request('POST', `${catalog}/batches`, { body: { status: 'success', tags: { team: ['batchers'] } } })).json, '0');
    const tags = await api.request('GET', `${catalog}/tags/team`);
    expect(tags.json).toEqual({ objectType: { dataSets: [`@/dataSets/${dataSetId}`], batches: [batch] }, team: ['batchers', 'orders', 'payments'] });
    const table = await api.request('GET', `${catalog}/tags/${encodeURIComponent('adobe/pqs/table')}`);
    expect(at(table.json, 'adobe/pqs/table')).toEqual(expect.arrayContaining(['orders']));
    expect((await api.request('GET', `${catalog}/tags/nobody-uses-this`)).status).toBe(404);
  });

  it('tells where to read and write a dataset, and hands out no storage secret', async () => {
    const landed = await ingestRecords(api, dataSetId, [{ _id: 'C1' }]);
    const response = await api.request('GET', `${catalog}/dataSets/${dataSetId}/credentials?batchId=${landed}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      dataSetId,
      path: `${api.baseUrl}/data/foundation/catalog/batches?dataSet=${dataSetId}&status=success`,
      stagePath: `${api.baseUrl}/data/foundation/import/batches/${landed}/datasets/${dataSetId}/files`,
    });
    const listed = await fetch(str(response.json, 'path'), { headers: api.gatewayHeaders() });
    expect(Object.keys((await listed.json()) as object)).toContain(landed);
    const other = str((await api.request('POST', `${catalog}/batches`, { body: { status: 'loading' } })).json, '0').split('/').pop() as string;
    const wrong = await api.request('GET', `${catalog}/dataSets/${dataSetId}/credentials?batchId=${other}`);
    expect(wrong.status).toBe(400);
    expect(at(wrong.json, 'report.errors.0.path')).toBe('batchId');
    expect((await api.request('GET', `${catalog}/dataSets/ffffffffffffffffffffffff/credentials`)).status).toBe(404);
  });

  it('lists the collections at the root', async () => {
    const root = await api.request('GET', `${catalog}/`);
    expect(root.json).toEqual({ batches: '@/batches', dataSets: '@/dataSets', lastBatches: '@/lastBatches' });
    expect((await api.request('GET', `${catalog}?properties=dataSets`)).json).toEqual({ dataSets: '@/dataSets' });
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
