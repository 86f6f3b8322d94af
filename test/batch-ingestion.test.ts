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

  it('refuses other datasets, finished batches and unknown actions; ABORT drops the files', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'csv' } } })).json, 'id');
    expect((await upload(batchId, 'a.csv', '_id\nZ', 'ffffffffffffffffffffffff')).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=EXPLODE`)).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=ABORT`)).status).toBe(200);
    expect(at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, `${batchId}.status`)).toBe('aborted');
    expect((await upload(batchId, 'late.csv', '_id\nZ')).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches`, { body: { datasetId: 'nope', inputFormat: { format: 'xml' } } })).status).toBe(400);
  });

  it('takes a large file in chunks, in any order, and completes it only once every byte has arrived', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    const file = `${importBase}/batches/${batchId}/datasets/${dataSetId}/files/big.json`;
    const content = Buffer.from(Array.from({ length: 50 }, (_, i) => JSON.stringify({ _id: `L${String(i).padStart(3, '0')}`, person: { birthYear: 1900 + i } })).join('\n'));
    const chunk = (start: number, end: number, range = `bytes ${start}-${end}/${content.length}`) =>
      fetch(`${api.baseUrl}${file}`, { method: 'PATCH', headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream', 'content-range': range }, body: content.subarray(start, end + 1) });
    expect((await chunk(0, 99)).status, 'a chunk before INITIALIZE').toBe(400);
    expect((await api.request('POST', `${file}?action=INITIALIZE`)).status).toBe(201);
    const third = Math.floor(content.length / 3);
    expect((await chunk(2 * third, content.length - 1)).status).toBe(200);
    expect((await chunk(0, third - 1)).status).toBe(200);
    const early = await api.request('POST', `${file}?action=COMPLETE`);
    expect(early.status).toBe(400);
    expect(str(early.json, 'detail')).toContain(`bytes ${third}-${2 * third - 1} of ${content.length} are missing`);
    expect((await chunk(third, 2 * third - 1, 'bytes 5-1/10')).status, 'a range backwards').toBe(400);
    expect((await chunk(third, 2 * third - 1, `bytes ${third}-${2 * third + 5}/${content.length}`)).status, 'fewer bytes than the range says').toBe(400);
    expect((await chunk(third, 2 * third - 1)).status).toBe(200);
    expect((await api.request('POST', `${file}?action=COMPLETE`)).status).toBe(201);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    const batch = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
    expect(batch.json).toMatchObject({ [batchId]: { status: 'success', metrics: { outputRecordCount: 50 } } });
    const landed = await lakeRows(api, dataSetId, '_id, person.birthYear AS year');
    expect(landed.filter((r) => String(r._id).startsWith('L')).map((r) => r.year)).toEqual(Array.from({ length: 50 }, (_, i) => 1900 + i));
  });

  it('tells with HEAD which bytes of a large file arrived, and takes chunks sent as multipart forms', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    const file = `${importBase}/batches/${batchId}/datasets/${dataSetId}/files/${encodeURIComponent('big part.json')}`;
    const head = () => fetch(`${api.baseUrl}${file}`, { method: 'HEAD', headers: api.gatewayHeaders() });
    expect((await head()).status, 'before INITIALIZE').toBe(404);
    // Postman's collection initializes with an empty multipart form.
    const initialized = await fetch(`${api.baseUrl}${file}?action=INITIALIZE`, { method: 'POST', headers: { ...api.gatewayHeaders(), 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz--\r\n' });
    expect(initialized.status).toBe(201);
    const fresh = await head();
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('range')).toBeNull();
    const content = Buffer.from(['{"_id":"H1","person":{"birthYear":1970}}', '{"_id":"H2","person":{"birthYear":1971}}'].join('\n'));
    const multipart = (bytes: Buffer, boundary = '----tributary') =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nnot the file\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="chunk"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const first = await fetch(`${api.baseUrl}${file}`, {
      method: 'PATCH',
      headers: { ...api.gatewayHeaders(), 'content-type': 'multipart/form-data; boundary=----tributary', 'content-range': `bytes 0-9/${content.length}` },
      body: multipart(content.subarray(0, 10)),
    });
    expect(first.status).toBe(200);
    const last = await fetch(`${api.baseUrl}${file}`, {
      method: 'PATCH',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream', 'content-range': `bytes 20-${content.length - 1}/${content.length}` },
      body: content.subarray(20),
    });
    expect(last.status).toBe(200);
    expect((await head()).headers.get('range')).toBe(`bytes=0-9,20-${content.length - 1}`);
    const middle = await fetch(`${api.baseUrl}${file}`, {
      method: 'PATCH',
      headers: { ...api.gatewayHeaders(), 'content-type': 'multipart/form-data; boundary=b', 'content-range': `bytes 10-19/${content.length}` },
      body: multipart(content.subarray(10, 20), 'b'),
    });
    expect(middle.status).toBe(200);
    expect((await api.request('POST', `${file}?action=COMPLETE`)).status).toBe(201);
    expect((await head()).headers.get('range')).toBe(`bytes=0-${content.length - 1}`);

    const preview = await api.request('GET', `${importBase}/batches/${batchId}/datasets/${dataSetId}/preview?format=json&nrow=1`);
    expect(preview.status).toBe(200);
    expect(preview.json).toEqual({
      formatParams: { format: 'json', delimiter: ',', quote: '"', escape: '\\', charset: 'UTF-8', header: true },
      preview: { columns: [{ cid: '0', name: '_id' }, { cid: '1', name: 'person/birthYear' }], rows: [{ _id: 'H1', 'person/birthYear': '1970' }] },
    });
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    expect((await lakeRows(api, dataSetId, '_id, person.birthYear AS year')).filter((r) => String(r._id).startsWith('H'))).toEqual([
      { _id: 'H1', year: 1970 },
      { _id: 'H2', year: 1971 },
    ]);
  });

  it('previews uploaded CSV with the delimiter, quote and header the query gives', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'csv' } } })).json, 'id');
    expect((await upload(batchId, 'people.csv', "_id|name\nP1|'Ada|Lovelace'\nP2|Alan\n")).status).toBe(200);
    const preview = await api.request('GET', `${importBase}/batches/${batchId}/datasets/${dataSetId}/preview?format=csv&delimiter=%7C&quote=%27&escape=%5C&charset=UTF-8&header=true&nrow=0`);
    expect(preview.status).toBe(200);
    expect(at(preview.json, 'preview')).toEqual({
      columns: [{ cid: '0', name: '_id' }, { cid: '1', name: 'name' }],
      rows: [{ _id: 'P1', name: 'Ada|Lovelace' }, { _id: 'P2', name: 'Alan' }],
    });
    const unknown = await api.request('GET', `${importBase}/batches/${batchId}/datasets/ffffffffffffffffffffffff/preview?format=csv`);
    expect(unknown.status).toBe(404);
    expect((await api.request('GET', `${importBase}/batches/${batchId}/datasets/${dataSetId}/preview?format=xml`)).status).toBe(400);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
