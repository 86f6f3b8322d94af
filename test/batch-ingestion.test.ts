import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { lakeRows } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const importBase = '/data/foundation/import';

describe.each(backends)('Batch Ingestion on $name', (backend) => {
  let api: TestApi;
  let dataSetId: string;

  const upload = (batchId: string, name: string, content: string, dataset = dataSetId) =>
    fetch(`${api.baseUrl}${importBase}/batches/${batchId}/datasets/${dataset}/files/${name}`, {
      method: 'PUT',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
      body: content,
    });

  beforeAll(async () => {
    api = await startApi(backend);
    const group = await api.request('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', { body: tutorial.productFieldGroup(api.tenantId) });
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: str(group.json, '$id') }] } });
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(schema.json, '$id')) });
    dataSetId = str(dataSet.json, '0').split('/').pop() as string;
  });
  afterAll(async () => api?.close());

  it('lands uploaded XDM JSON through the same validation and lake path as runs', async () => {
    const created = await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'loading', relatedObjects: [{ type: 'dataSet', id: dataSetId }], version: '1.0.0' });
    const batchId = str(created.json, 'id');
    const rows = [
      { _id: 'B1', person: { name: { firstName: 'Ada' }, birthYear: 1815 }, [`_${api.tenantId}`]: { product: { name: 'Widget' } } },
      { _id: 'B2', person: { name: { firstName: 'Alan' }, birthYear: 1912 } },
    ];
    expect((await upload(batchId, 'part-1.json', rows.map((r) => JSON.stringify(r)).join('\n'))).status).toBe(200);
    const completed = await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`);
    expect(completed.status).toBe(200);
    const batch = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
    expect(batch.json).toMatchObject({ [batchId]: { status: 'success', metrics: { outputRecordCount: 2 } } });
    const landed = await lakeRows(api, dataSetId, `_id, person.name.firstName AS first, person.birthYear AS year`);
    expect(landed).toEqual([
      { _id: 'B1', first: 'Ada', year: 1815 },
      { _id: 'B2', first: 'Alan', year: 1912 },
    ]);
  });

  it('fails a batch with fields the schema does not have, or values of the wrong type, landing nothing', async () => {
    const unknown = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    await upload(unknown, 'a.json', JSON.stringify({ _id: 'X1', nickname: 'x' }));
    await api.request('POST', `${importBase}/batches/${unknown}?action=COMPLETE`);
    const failed = await api.request('GET', `/data/foundation/catalog/batches/${unknown}`);
    expect(at(failed.json, `${unknown}.status`)).toBe('failed');
    expect(JSON.stringify(at(failed.json, `${unknown}.errors`))).toContain('nickname');

    const wrongType = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    await upload(wrongType, 'a.json', JSON.stringify({ _id: 'X2', person: { birthYear: 'long ago' } }));
    await api.request('POST', `${importBase}/batches/${wrongType}?action=COMPLETE`);
    const rejected = await api.request('GET', `/data/foundation/catalog/batches/${wrongType}`);
    expect(rejected.json).toMatchObject({ [wrongType]: { status: 'failed', errors: expect.arrayContaining([expect.objectContaining({ code: 'MAPPER-3700-400' })]) } });
    expect((await lakeRows(api, dataSetId, '_id')).map((r) => r._id)).toEqual(['B1', 'B2']);
  });

  it('refuses bad names, other datasets, finished batches and unknown actions; ABORT drops the files', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'csv' } } })).json, 'id');
    expect((await upload(batchId, 'bad%20name!.json', '{}')).status).toBe(400);
    expect((await upload(batchId, 'a.csv', '_id\nZ', 'ffffffffffffffffffffffff')).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=EXPLODE`)).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=ABORT`)).status).toBe(200);
    expect(at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, `${batchId}.status`)).toBe('aborted');
    expect((await upload(batchId, 'late.csv', '_id\nZ')).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches`, { body: { datasetId: 'nope', inputFormat: { format: 'xml' } } })).status).toBe(400);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
