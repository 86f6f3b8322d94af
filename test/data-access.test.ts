import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { createFileFlow, lakeRows, runNow, type FileFlow } from './support/file-flow.js';
import { at, startApi, str, type ApiResponse, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const exportBase = '/data/foundation/export';

/** A response body as raw bytes (the test client reads bodies as text). */
async function download(api: TestApi, href: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${api.baseUrl}${href}`, { headers: { ...api.gatewayHeaders(), ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function expectNotFound(response: ApiResponse, what: string): void {
  expect(response.status, `${what}: ${response.text}`).toBe(404);
  expect(at(response.json, 'type'), what).toBe('https://ns.adobe.com/aep/errors/EXPORT-1439-404');
  expect(typeof at(response.json, 'report.detailed-message'), what).toBe('string');
}

describe.each(backends)('Data Access (export) API on $name', (backend) => {
  let api: TestApi;
  let root: string;
  let flow: FileFlow;
  let batchId: string;
  let lenientRun: unknown;

  beforeAll(async () => {
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-export-'));
    fs.writeFileSync(
      path.join(root, 'products.csv'),
      'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00\nP2,E-book,A book,DIGITAL,2024-01-03 11:00:00\nP3,Service plan,,SERVICE,2024-01-04 12:00:00\n',
    );
    flow = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: 'export' });
    batchId = str(await runNow(api, flow.flowId), 'activities.1.targetInfo.0.reference.ids.0');

    const dirty = ['D1,One,,PHYSICAL,2024-05-01 00:00:00,1980', 'D2,Two,,PHYSICAL,2024-05-02 00:00:00,not a year', 'D3,Three,,PHYSICAL,2024-05-03 00:00:00,1990'];
    fs.writeFileSync(path.join(root, 'dirty.csv'), `Product_Id,Product_Name,Description,Type,updatedAt,Year\n${dirty.join('\n')}\n`);
    const lenient = await createFileFlow(api, {
      root,
      path: 'dirty.csv',
      format: 'delimited',
      title: 'export diagnostics',
      extraMappings: [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }],
      options: { partialIngestionPercent: 50, errorDiagnosticsEnabled: true },
    });
    lenientRun = await runNow(api, lenient.flowId);
    expect(at(lenientRun, 'metrics.statusSummary.status')).toBe('success');
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the Parquet files of a batch and downloads each one byte for byte', async () => {
    const listed = await api.request('GET', `${exportBase}/batches/${batchId}/files`);
    expect(listed.status, listed.text).toBe(200);
    const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${flow.dataSetId}`);
    const lakeDir = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', flow.dataSetId, batchId, 'data');
    const onDisk = fs.readdirSync(lakeDir).sort();
    expect(onDisk.length).toBeGreaterThan(0);
    const files = at(listed.json, 'data') as Record<string, unknown>[];
    expect(files).toHaveLength(onDisk.length);
    expect(files[0]).toEqual({
      dataSetFileId: `${batchId}-1`,
      dataSetViewId: str(dataSet.json, `${flow.dataSetId}.viewId`),
      version: '1.0.0',
      created: expect.stringMatching(/^\d{13}$/),
      updated: expect.stringMatching(/^\d{13}$/),
      isValid: true,
      _links: { self: { href: `${exportBase}/files/${batchId}-1` } },
    });
    expect(at(listed.json, '_page')).toEqual({ limit: 100, count: onDisk.length });

    const copies: string[] = [];
    for (const [index, file] of files.entries()) {
      const entries = await api.request('GET', str(file, '_links.self.href'));
      expect(entries.status, entries.text).toBe(200);
      const name = onDisk[index] as string;
      const size = fs.statSync(path.join(lakeDir, name)).size;
      expect(entries.json).toEqual({
        data: [{ name, length: String(size), _links: { self: { href: `${exportBase}/files/${batchId}-${index + 1}?path=${name}` } } }],
        _page: { limit: 100, count: 1 },
      });
      const fetched = await download(api, str(entries.json, 'data.0._links.self.href'));
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('application/octet-stream');
      expect(fetched.headers.get('content-length')).toBe(String(size));
      expect(fetched.bytes.equals(fs.readFileSync(path.join(lakeDir, name)))).toBe(true);
      const copy = path.join(root, `download-${index}.parquet`);
      fs.writeFileSync(copy, fetched.bytes);
      copies.push(copy);
    }

    const select = `_id, _${api.tenantId}.product.name AS name, _${api.tenantId}.product.type AS type`;
    const duck = await DuckDbSession.open({ tempDirectory: root });
    try {
      const downloaded = await duck.rows(`SELECT ${select} FROM read_parquet([${copies.map((c) => `'${c}'`).join(', ')}]) ORDER BY _id`);
      expect(downloaded).toEqual(await lakeRows(api, flow.dataSetId, select));
      expect(downloaded.map((r) => r._id)).toEqual(['P1', 'P2', 'P3']);
    } finally {
      duck.close();
    }
  });

  it('serves byte ranges of a file', async () => {
    const href = `${exportBase}/files/${batchId}-1`;
    const name = str((await api.request('GET', href)).json, 'data.0.name');
    const whole = await download(api, `${href}?path=${name}`);
    const head = await download(api, `${href}?path=${name}`, { range: 'bytes=0-3' });
    expect(head.status).toBe(206);
    expect(head.bytes.toString()).toBe('PAR1');
    expect(head.headers.get('content-range')).toBe(`bytes 0-3/${whole.bytes.length}`);
    const tail = await download(api, `${href}?path=${name}`, { range: 'bytes=-4' });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(whole.bytes.subarray(-4))).toBe(true);
    // A range past the end is ignored (RFC 9110 allows it): the whole file comes back.
    const beyond = await download(api, `${href}?path=${name}`, { range: `bytes=${whole.bytes.length + 10}-` });
    expect(beyond.status).toBe(200);
    expect(beyond.bytes.equals(whole.bytes)).toBe(true);
  });

  it('lists and downloads the rejected rows of a batch, from the link the run gives', async () => {
    const manifest = str(lenientRun, 'activities.1.statusSummary.extensions.manifest.failedRecords');
    const lenientBatch = str(lenientRun, 'activities.1.targetInfo.0.reference.ids.0');
    expect(manifest).toBe(`${exportBase}/batches/${lenientBatch}/meta?path=row_errors`);
    const listed = await api.request('GET', manifest);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json).toEqual({
      data: [{ name: 'conversion_errors_0.json', length: expect.stringMatching(/^\d+$/), _links: { self: { href: `${exportBase}/batches/${lenientBatch}/meta?path=row_errors%2Fconversion_errors_0.json` } } }],
      _page: { limit: 100, count: 1 },
    });
    const fetched = await download(api, str(listed.json, 'data.0._links.self.href'));
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-length')).toBe(str(listed.json, 'data.0.length'));
    const rows = fetched.bytes.toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as { _corrupt_record: string; _errors: { code: string }[] });
    expect(rows).toHaveLength(1);
    expect(rows[0]?._corrupt_record).toContain('not a year');
    expect(rows[0]?._errors[0]?.code).toBe('MAPPER-3700-400');

    // A batch without rejected rows has an empty row_errors folder, not a missing one.
    expect(at((await api.request('GET', `${exportBase}/batches/${batchId}/meta?path=row_errors`)).json, 'data')).toEqual([]);
  });

  it('keeps the rejected rows of a run that failed on them, in a failed batch with no data', async () => {
    const strict = await createFileFlow(api, {
      root,
      path: 'dirty.csv',
      format: 'delimited',
      title: 'export failed diagnostics',
      extraMappings: [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }],
      options: { errorDiagnosticsEnabled: true },
    });
    const failed = await runNow(api, strict.flowId);
    expect(failed).toMatchObject({ metrics: { recordSummary: { outputRecordCount: 0, failedRecordCount: 1 }, statusSummary: { status: 'failed' } } });
    const failedBatch = str(failed, 'activities.1.targetInfo.0.reference.ids.0');
    expect(str(failed, 'activities.1.statusSummary.extensions.manifest.failedRecords')).toBe(`${exportBase}/batches/${failedBatch}/meta?path=row_errors`);
    const batch = await api.request('GET', `/data/foundation/catalog/batches/${failedBatch}`);
    expect(batch.status, batch.text).toBe(200);
    expect(at(batch.json, `${failedBatch}.status`)).toBe('failed');
    // Nothing of it is data: no files to export, no rows in the dataset.
    expect(at((await api.request('GET', `${exportBase}/batches/${failedBatch}/files`)).json, 'data')).toEqual([]);
    expect(await lakeRows(api, strict.dataSetId)).toEqual([]);
    const listed = await api.request('GET', `${exportBase}/batches/${failedBatch}/meta?path=row_errors`);
    expect((at(listed.json, 'data') as { name: string }[]).map((f) => f.name)).toEqual(['conversion_errors_0.json']);
    const fetched = await download(api, str(listed.json, 'data.0._links.self.href'));
    expect(fetched.bytes.toString('utf8')).toContain('not a year');

    // Without diagnostics a failed run keeps nothing: no batch, no link.
    const silent = await createFileFlow(api, { root, path: 'dirty.csv', format: 'delimited', title: 'export failed silent', extraMappings: [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }] });
    const silentRun = await runNow(api, silent.flowId);
    expect(at(silentRun, 'metrics.statusSummary.status')).toBe('failed');
    expect(at(silentRun, 'activities.1.targetInfo.0.reference.ids')).toEqual([]);
    expect(at(silentRun, 'activities.1.statusSummary.extensions.manifest')).toBeUndefined();
  });

  it('lists the manifest of the files a batch was read from under input_files', async () => {
    const listed = await api.request('GET', `${exportBase}/batches/${batchId}/meta?path=input_files`);
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ data: [{ name: 'input_files.json' }], _page: { count: 1 } });
    const fetched = await download(api, str(listed.json, 'data.0._links.self.href'));
    expect(fetched.status).toBe(200);
    const manifest = fetched.bytes.toString('utf8').trim().split('\n').map((line: string) => JSON.parse(line) as Record<string, unknown>);
    expect(manifest).toEqual([{ name: 'products.csv', size: fs.statSync(path.join(root, 'products.csv')).size, modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
  });

  it('refuses a meta path that is not a diagnostics folder', async () => {
    for (const bad of ['data', '../data', '/etc/passwd', 'row_errorsX']) {
      const response = await api.request('GET', `${exportBase}/batches/${batchId}/meta?path=${encodeURIComponent(bad)}`);
      expect(response.status, bad).toBe(400);
      expect(at(response.json, 'type'), bad).toBe('https://ns.adobe.com/aep/errors/EXPORT-1002-400');
    }
    expect((await api.request('GET', `${exportBase}/batches/${batchId}/meta`)).status).toBe(400);
  });

  it('answers 404 for unknown ids and names, and for files outside the listing', async () => {
    const name = str((await api.request('GET', `${exportBase}/files/${batchId}-1`)).json, 'data.0.name');
    expectNotFound(await api.request('GET', `${exportBase}/batches/0123456789abcdef0123456789abcdef/files`), 'unknown batch');
    expectNotFound(await api.request('GET', `${exportBase}/batches/0123456789abcdef0123456789abcdef/meta?path=row_errors`), 'unknown batch meta');
    for (const id of [`${batchId}-2`, `${batchId}-0`, `${batchId}-01`, batchId, 'nonsense', `..-1`, `${encodeURIComponent('../..')}-1`]) {
      expectNotFound(await api.request('GET', `${exportBase}/files/${id}`), `file id ${id}`);
    }
    for (const bad of ['../../../../../../etc/passwd', `../data/${name}`, `data/${name}`, name.toUpperCase(), '.']) {
      expectNotFound(await api.request('GET', `${exportBase}/files/${batchId}-1?path=${encodeURIComponent(bad)}`), `path ${bad}`);
    }
    for (const bad of ['row_errors/../data/' + name, 'row_errors/../../../../../etc/passwd', 'row_errors/nope.json', 'input_files/x']) {
      expectNotFound(await api.request('GET', `${exportBase}/batches/${batchId}/meta?path=${encodeURIComponent(bad)}`), `meta ${bad}`);
    }
  });

  it("keeps another org's and another sandbox's batches out of reach (404)", async () => {
    const other = await api.app.credentials.create('EXPORTOTHER@AdobeOrg', 'other org');
    const otherOrg = { authorization: `Bearer ${other.access_token}`, 'x-api-key': other.client_id, 'x-gw-ims-org-id': other.ims_org };
    const name = str((await api.request('GET', `${exportBase}/files/${batchId}-1`)).json, 'data.0.name');
    const urls = [
      `${exportBase}/batches/${batchId}/files`,
      `${exportBase}/batches/${batchId}/meta?path=row_errors`,
      `${exportBase}/files/${batchId}-1`,
      `${exportBase}/files/${batchId}-1?path=${name}`,
    ];
    for (const url of urls) expectNotFound(await api.request('GET', url, { headers: otherOrg }), `other org ${url}`);

    const sandbox = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'export-dev', title: 'Export dev', type: 'development' } });
    expect(sandbox.status, sandbox.text).toBe(201);
    for (const url of urls) expectNotFound(await api.request('GET', url, { sandbox: 'export-dev' }), `other sandbox ${url}`);
  });

  it('lists no files for a batch that was not promoted', async () => {
    const { scope, dataSetId } = await batchScope(api, batchId);
    const failedId = 'fa11edba7c4000000000000000000001';
    await new ResourcesRepository(api.store.db).insert(scope, {
      kind: 'catalog.batch',
      id: failedId,
      body: { id: failedId, status: 'failed', relatedObjects: [{ type: 'dataSet', id: dataSetId }], created: 1, updated: 1 },
      secret: null,
      etag: '1',
      createdAt: 1,
      updatedAt: 1,
    });
    // Its folder holds Parquet files, as a batch that failed after writing would.
    const lake = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', dataSetId);
    fs.cpSync(path.join(lake, batchId), path.join(lake, failedId), { recursive: true });
    const listed = await api.request('GET', `${exportBase}/batches/${failedId}/files`);
    expect(listed.status).toBe(200);
    expect(at(listed.json, 'data')).toEqual([]);
    expectNotFound(await api.request('GET', `${exportBase}/files/${failedId}-1`), 'file of a failed batch');
  });

  it('answers as the API reference documents (JSON answers; downloads are bytes)', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

/** The org and sandbox a batch belongs to, and its dataset, read from the Catalog. */
async function batchScope(api: TestApi, batchId: string): Promise<{ scope: { orgId: string; sandboxId: string }; dataSetId: string }> {
  const batch = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
  return {
    scope: { orgId: api.credentials.ims_org, sandboxId: str(batch.json, `${batchId}.sandboxId`) },
    dataSetId: str(batch.json, `${batchId}.relatedObjects.0.id`),
  };
}
