import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { lakeRows } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const importBase = '/data/foundation/import';
const exportBase = '/data/foundation/export';

describe.each(backends)('Batch Ingestion file names and input formats on $name', (backend) => {
  let api: TestApi;
  let dataSetId: string;

  /** `encoded` is the file path as it appears in the URL, encoded by the caller. */
  const upload = (batchId: string, encoded: string, content: string | undefined, method = 'PUT', headers: Record<string, string> = {}) =>
    fetch(`${api.baseUrl}${importBase}/batches/${batchId}/datasets/${dataSetId}/files/${encoded}`, {
      method,
      headers: { ...api.gatewayHeaders(), ...(content === undefined ? {} : { 'content-type': 'application/octet-stream' }), ...headers },
      ...(content === undefined ? {} : { body: content }),
    });
  const newBatch = async (inputFormat: Record<string, unknown> = { format: 'json' }) =>
    str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat } })).json, 'id');
  const manifest = async (batchId: string) => {
    const listed = await api.request('GET', `${exportBase}/batches/${batchId}/meta?path=input_files`);
    const href = str(listed.json, 'data.0._links.self.href');
    const response = await fetch(`${api.baseUrl}${href}`, { headers: api.gatewayHeaders() });
    return (await response.text()).trim().split('\n').map((line) => (JSON.parse(line) as { name: string }).name);
  };

  beforeAll(async () => {
    api = await startApi(backend);
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema });
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(schema.json, '$id')) });
    dataSetId = str(dataSet.json, '0').split('/').pop() as string;
  });
  afterAll(async () => api?.close());

  it('stores and lists any name AEP allows under its decoded name: spaces, unicode, %, glob characters, folders', async () => {
    const batchId = await newBatch();
    const names = ['Luma - Profile Dataset for Web.json', 'données été 😀.json', '100% sure.json', 'part[1]*?.json', 'acme/2024/day one.json', 'acme/2025/x.json'];
    const encoded = [
      encodeURIComponent(names[0] as string),
      encodeURIComponent(names[1] as string),
      encodeURIComponent(names[2] as string),
      encodeURIComponent(names[3] as string),
      // A path with folders, sent with plain slashes ...
      'acme/2024/day%20one.json',
      // ... or with encoded ones.
      'acme%2F2025%2Fx.json',
    ];
    for (const [i, path] of encoded.entries()) {
      const response = await upload(batchId, path, JSON.stringify({ _id: `N${i}`, person: { name: { firstName: names[i] } } }));
      expect(response.status, names[i]).toBe(200);
    }
    // A second PUT of the same name replaces the file, it does not add one.
    expect((await upload(batchId, encoded[0] as string, JSON.stringify({ _id: 'N0', person: { name: { firstName: 'replaced' } } }))).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    expect(at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, `${batchId}.status`)).toBe('success');
    expect((await manifest(batchId)).sort()).toEqual([...names].sort());
    const landed = await lakeRows(api, dataSetId, '_id, person.name.firstName AS first');
    expect(landed).toEqual([
      { _id: 'N0', first: 'replaced' },
      ...names.slice(1).map((name, i) => ({ _id: `N${i + 1}`, first: name })),
    ]);
  });

  it('refuses, naming filePath, a name that would leave the batch, plain or percent-encoded', async () => {
    const batchId = await newBatch();
    for (const bad of ['..%2F..%2Fescape.json', '%2E%2E%2Fescape.json', '%2Fetc%2Fpasswd', 'a%2F..%2F..%2Fb.json', 'nul%00.json', 'back%5Cslash.json', 'a%2F%2Fb.json', 'dot%2F.%2Fb.json', 'line%0Abreak.json']) {
      for (const method of ['PUT', 'PATCH', 'POST', 'HEAD']) {
        const response = await upload(batchId, method === 'POST' ? `${bad}?action=INITIALIZE` : bad, method === 'HEAD' || method === 'POST' ? undefined : '{}', method, method === 'PATCH' ? { 'content-range': 'bytes 0-1/2' } : {});
        expect(response.status, `${method} ${bad}`).toBe(400);
        if (method === 'HEAD') continue;
        const body = (await response.json()) as { report: { errors: { in: string; path: string }[] } };
        expect(body.report.errors, `${method} ${bad}`).toEqual([expect.objectContaining({ in: 'path', path: 'filePath' })]);
      }
    }
  });

  it('keeps the inputFormat a batch was created with, and reads multi-line JSON and CSV as it says', async () => {
    const multiLine = await newBatch({ format: 'JSON', isMultiLineJson: true });
    const content = JSON.stringify([{ _id: 'M1', person: { birthYear: 1901 } }, { _id: 'M2', person: { birthYear: 1902 } }], null, 2);
    expect((await upload(multiLine, 'multi.json', content)).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${multiLine}?action=COMPLETE`)).status).toBe(200);
    const csv = await newBatch({ format: 'csv', delimiter: ';' });
    expect((await upload(csv, 'rows.csv', '_id;person\nC1;\n')).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${csv}?action=COMPLETE`)).status).toBe(200);
    const listed = (await api.request('GET', '/data/foundation/catalog/batches')).json as Record<string, { inputFormat: unknown; status: string }>;
    expect(listed[multiLine]).toMatchObject({ status: 'success', inputFormat: { format: 'json', isMultiLineJson: true } });
    expect(listed[csv]).toMatchObject({ status: 'success', inputFormat: { format: 'csv', delimiter: ';' } });
    expect((await lakeRows(api, dataSetId, '_id, person.birthYear AS year')).filter((r) => String(r._id).startsWith('M'))).toEqual([
      { _id: 'M1', year: 1901 },
      { _id: 'M2', year: 1902 },
    ]);
  });

  it('rejects each record with a field the schema lacks, also inside an object, naming the field', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' }, partialIngestionPercent: 60, enableErrorDiagnostics: true } })).json, 'id');
    const rows = [{ _id: 'U1', person: { nickname: 'x' } }, { _id: 'U2', person: { birthYear: 1950 } }, { _id: 'U3', person: { birthYear: 1951 } }];
    expect((await upload(batchId, 'unknown.json', rows.map((r) => JSON.stringify(r)).join('\n'))).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    const batch = at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, batchId);
    expect(batch).toMatchObject({ status: 'success', metrics: { outputRecordCount: 2, failedRecordCount: 1 } });
    expect(JSON.stringify(at(batch, 'errors'))).toContain('person.nickname');
    expect((await lakeRows(api, dataSetId, '_id')).map((r) => r._id).filter((id) => String(id).startsWith('U'))).toEqual(['U2', 'U3']);
  });

  it('answers a COMPLETE retried after success with 200 and keeps the outcome; REVERT makes the batch inactive', async () => {
    const batchId = await newBatch();
    await upload(batchId, 'retry.json', JSON.stringify({ _id: 'R1' }));
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=ABORT`)).status).toBe(400);
    expect((await lakeRows(api, dataSetId, '_id')).filter((r) => r._id === 'R1')).toHaveLength(1);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=REVERT`)).status).toBe(200);
    expect(at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, `${batchId}.status`)).toBe('inactive');
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
