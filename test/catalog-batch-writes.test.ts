import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { catalog, ingestRecords, profileDataSet } from './support/catalog-fixture.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const batches = `${catalog}/batches`;
const backends = await availableBackends();
const errorPaths = (json: unknown) => (at(json, 'report.errors') as { path: string }[]).map((e) => e.path).sort();

describe.each(backends)('writing Catalog batches on $name', (backend) => {
  let api: TestApi;
  let dataSetId: string;

  beforeAll(async () => {
    api = await startApi(backend);
    dataSetId = (await profileDataSet(api, 'Orders')).dataSetId;
  });
  afterAll(async () => api?.close());

  it('creates a batch for a dataset, answering its reference and Location', async () => {
    const created = await api.request('POST', batches, { body: { status: 'processing', relatedObjects: [{ type: 'dataSet', id: dataSetId }], externalId: 'ext-1', tags: { team: ['orders'] } } });
    expect(created.status).toBe(201);
    const id = str(created.json, '0').split('/').pop() as string;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.json).toEqual([`@/batches/${id}`]);
    expect(created.headers.get('location')).toBe(`/data/foundation/catalog/batches/${id}`);
    const batch = await api.request('GET', `${batches}/${id}`);
    expect(batch.json).toEqual({
      [id]: {
        status: 'processing',
        relatedObjects: [{ type: 'dataSet', id: dataSetId }],
        externalId: 'ext-1',
        tags: { team: ['orders'] },
        imsOrg: api.credentials.ims_org,
        sandboxId: expect.any(String),
        version: '1.0.0',
        created: expect.any(Number),
        updated: expect.any(Number),
        createdClient: api.credentials.client_id,
        createdUser: expect.any(String),
        updatedUser: expect.any(String),
      },
    });
    expect(batch.headers.get('etag')).toBe('"1.0.0"');
  });

  it('creates a batch with the id the client chose, once', async () => {
    const created = await api.request('POST', `${batches}/client-batch-0001`, { body: { status: 'loading', relatedObjects: [{ type: 'dataSet', id: dataSetId }], inputFormat: { format: 'json' } } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual(['@/batches/client-batch-0001']);
    const again = await api.request('POST', `${batches}/client-batch-0001`, { body: { status: 'loading' } });
    expect(again.status).toBe(409);
    const unsafe = await api.request('POST', `${batches}/..%2Fescape`, { body: { status: 'loading' } });
    expect(unsafe.status).toBe(400);
    expect(at(unsafe.json, 'report.errors.0.in')).toBe('path');
  });

  it('lets Batch Ingestion land files in a loading batch created through Catalog', async () => {
    await api.request('POST', `${batches}/catalog-loading-1`, { body: { status: 'loading', relatedObjects: [{ type: 'dataSet', id: dataSetId }], inputFormat: { format: 'json' } } });
    const upload = await fetch(`${api.baseUrl}/data/foundation/import/batches/catalog-loading-1/datasets/${dataSetId}/files/a.json`, {
      method: 'PUT',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
      body: JSON.stringify({ _id: 'L1' }),
    });
    expect(upload.status).toBe(200);
    expect((await api.request('POST', '/data/foundation/import/batches/catalog-loading-1?action=COMPLETE')).status).toBe(200);
    expect(at((await api.request('GET', `${batches}/catalog-loading-1`)).json, 'catalog-loading-1')).toMatchObject({ status: 'success', recordCount: 1 });
  });

  it('refuses a batch with client mistakes, naming every field', async () => {
    const response = await api.request('POST', batches, {
      body: { status: 'success', relatedObjects: [{ type: 'dataSet', id: 'ffffffffffffffffffffffff' }], created: 5 },
    });
    expect(response.status).toBe(400);
    expect(errorPaths(response.json)).toEqual(['/created', '/relatedObjects/0/id']);
    const shape = await api.request('POST', batches, { body: { status: 'done', recordCount: -1, inputFormat: { format: 'xml' } } });
    expect(errorPaths(shape.json)).toEqual(['/inputFormat/format', '/recordCount', '/status']);
    expect(str(shape.json, 'detail')).toContain('success');
    const missing = await api.request('POST', batches, { body: { relatedObjects: [] } });
    expect(errorPaths(missing.json)).toEqual(['/status']);
    const reserved = await api.request('POST', batches, { body: { status: 'success', tags: { acp_producer: ['tributary:flow'] } } });
    expect(errorPaths(reserved.json)).toEqual(['/tags/acp_producer']);
    const formatless = await api.request('POST', batches, { body: { status: 'loading', relatedObjects: [{ type: 'dataSet', id: dataSetId }] } });
    expect(errorPaths(formatless.json), 'Batch Ingestion takes files into a loading batch in its inputFormat').toEqual(['/inputFormat/format']);
  });

  it('replaces (PUT) and updates (PATCH, JSON Patch) a client batch, bumping its version, under If-Match and If-None-Match', async () => {
    const id = str((await api.request('POST', batches, { body: { status: 'processing', relatedObjects: [{ type: 'dataSet', id: dataSetId }], recordCount: 1 } })).json, '0').split('/').pop() as string;
    const put = await api.request('PUT', `${batches}/${id}`, { body: { status: 'staged', relatedObjects: [{ id: dataSetId, type: 'dataSet' }], size: 512 }, headers: { 'if-match': '"1.0.0"' } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual([`@/batches/${id}`]);
    const replaced = at((await api.request('GET', `${batches}/${id}`)).json, id) as Record<string, unknown>;
    expect(replaced).toMatchObject({ status: 'staged', size: 512, version: '1.0.1' });
    expect(replaced.recordCount, 'PUT replaces: fields left out are gone').toBeUndefined();
    const stale = await api.request('PATCH', `${batches}/${id}`, { body: { status: 'success' }, headers: { 'if-match': '1.0.0' } });
    expect(stale.status).toBe(412);
    const noneMatch = await api.request('PATCH', `${batches}/${id}`, { body: { status: 'success' }, headers: { 'if-none-match': '1.0.1' } });
    expect(noneMatch.status).toBe(412);
    const patched = await api.request('PATCH', `${batches}/${id}`, { body: { status: 'success', completed: 1700000000000 }, headers: { 'if-match': '1.0.1' } });
    expect(patched.status).toBe(200);
    const jsonPatch = await api.request('PATCH', `${batches}/${id}`, {
      body: [{ op: 'add', path: '/tags', value: { reviewed: ['yes'] } }, { op: 'replace', path: '/size', value: 1024 }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(jsonPatch.status).toBe(200);
    expect(at((await api.request('GET', `${batches}/${id}`)).json, id)).toMatchObject({ status: 'success', completed: 1700000000000, size: 1024, tags: { reviewed: ['yes'] }, version: '1.0.3' });
    const whole = await api.request('PATCH', `${batches}/${id}`, { body: [{ op: 'replace', path: '', value: 'staged' }], headers: { 'content-type': 'application/json-patch+json' } });
    expect(whole.status, 'a patch that replaces the whole batch with a string').toBe(400);
    const bad = await api.request('PATCH', `${batches}/${id}`, { body: { status: 'finished', imsOrg: 'X@AdobeOrg' } });
    expect(errorPaths(bad.json)).toEqual(['/imsOrg', '/status']);
    expect((await api.request('PUT', `${batches}/ffffffffffffffffffffffff`, { body: { status: 'success' } })).status).toBe(404);
  });

  it('keeps what ingestion wrote on a batch Tributary produced, while its tags stay the client\'s', async () => {
    const landed = await ingestRecords(api, dataSetId, [{ _id: 'O1' }]);
    const status = await api.request('PATCH', `${batches}/${landed}`, { body: { status: 'failed', recordCount: 0 } });
    expect(status.status).toBe(400);
    expect(errorPaths(status.json)).toEqual(['/recordCount', '/status']);
    expect(str(status.json, 'detail')).toContain('Batch Ingestion');
    const producer = await api.request('PATCH', `${batches}/${landed}`, { body: { tags: { acp_producer: ['me'] } } });
    expect(errorPaths(producer.json)).toEqual(['/tags']);
    const tagged = await api.request('PATCH', `${batches}/${landed}`, { body: { tags: { reviewed: ['yes'] } } });
    expect(tagged.status).toBe(200);
    const batch = at((await api.request('GET', `${batches}/${landed}`)).json, landed) as Record<string, unknown>;
    expect(batch).toMatchObject({ status: 'success', tags: { reviewed: ['yes'], acp_producer: ['tributary:import'] } });
    const answered = { ...batch };
    const put = await api.request('PUT', `${batches}/${landed}`, { body: { ...answered, tags: { reviewed: ['twice'] } } });
    expect(put.status, 'a lookup answer sent back unchanged but for its tags is a valid PUT').toBe(200);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
