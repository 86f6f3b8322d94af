import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { LakeLayout } from '../src/lake/lake-layout.js';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const importBase = '/data/foundation/import';
const hour = 3600_000;

describe('the upload expiry setting', () => {
  it('is 24 hours unless TRIBUTARY_UPLOAD_EXPIRY_HOURS says otherwise; 0 turns it off', () => {
    expect(loadConfig({}).uploadExpiryMs).toBe(24 * hour);
    expect(loadConfig({ TRIBUTARY_UPLOAD_EXPIRY_HOURS: '2' }).uploadExpiryMs).toBe(2 * hour);
    expect(loadConfig({ TRIBUTARY_UPLOAD_EXPIRY_HOURS: '0' }).uploadExpiryMs).toBe(0);
    expect(() => loadConfig({ TRIBUTARY_UPLOAD_EXPIRY_HOURS: 'soon' })).toThrow(/TRIBUTARY_UPLOAD_EXPIRY_HOURS/);
  });
});

describe.each(backends)('abandoned uploads on $name', (backend) => {
  let api: TestApi;
  let dataSetId: string;
  const start = Date.now();
  let clock = start;

  beforeAll(async () => {
    // Two hours, to show the setting is taken; the sweep is called with the test's own clock.
    api = await startApi(backend, { now: () => clock, uploadExpiryMs: 2 * hour });
    const group = await api.request('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', { body: tutorial.productFieldGroup(api.tenantId) });
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: str(group.json, '$id') }] } });
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(schema.json, '$id')) });
    dataSetId = str(dataSet.json, '0').split('/').pop() as string;
  });
  afterAll(async () => api?.close());

  const newBatch = async () => str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
  const put = (batchId: string, name: string) =>
    fetch(`${api.baseUrl}${importBase}/batches/${batchId}/datasets/${dataSetId}/files/${name}`, {
      method: 'PUT',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
      body: JSON.stringify({ _id: `${name}-1`, person: { birthYear: 1990 } }),
    });
  const batchOf = async (batchId: string) => at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, batchId) as Record<string, unknown>;
  const uploadDir = (batchId: string) => new LakeLayout(api.dataDir).uploadDir(batchId);
  /** Files were last written at `when` (the sweep reads their modification time, on the test's clock here). */
  const lastWritten = (batchId: string, when: number) => {
    const walk = (dir: string): string[] => [dir, ...fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))];
    for (const file of walk(uploadDir(batchId))) fs.utimesSync(file, when / 1000, when / 1000);
  };

  it('aborts a loading batch and removes its files once nothing has arrived for the configured time, and only then', async () => {
    const idle = await newBatch();
    expect((await put(idle, 'a.json')).status).toBe(200);
    lastWritten(idle, start);
    // Created at the start, written to an hour and a half later: still being uploaded at the two-hour mark.
    const active = await newBatch();
    expect((await put(active, 'a.json')).status).toBe(200);
    lastWritten(active, start + 1.5 * hour);
    // Created at the start and never written to.
    const empty = await newBatch();
    // Completed: not an upload in progress, whatever its age.
    const completed = await newBatch();
    expect((await put(completed, 'a.json')).status).toBe(200);
    expect((await api.request('POST', `${importBase}/batches/${completed}?action=COMPLETE`)).status).toBe(200);
    // Created an hour in.
    clock = start + hour;
    const late = await newBatch();
    expect((await put(late, 'a.json')).status).toBe(200);
    lastWritten(late, start + hour);

    clock = start + 2 * hour - 1;
    expect((await api.app.abandonedBatches.sweep()).expired, 'not yet two hours').toEqual([]);

    clock = start + 2 * hour + 1;
    const report = await api.app.abandonedBatches.sweep();
    expect(report.expired.sort()).toEqual([idle, empty].sort());
    const aborted = await batchOf(idle);
    expect(aborted).toMatchObject({ status: 'aborted', errors: [{ code: 'INGEST-1101-400' }] });
    expect(String((aborted.errors as { description: string }[])[0]?.description)).toContain('2 hours');
    expect(fs.existsSync(uploadDir(idle))).toBe(false);
    expect((await batchOf(empty)).status).toBe('aborted');
    for (const kept of [active, late]) {
      expect((await batchOf(kept)).status).toBe('loading');
      expect(fs.readdirSync(path.join(uploadDir(kept), 'files'))).toHaveLength(1);
    }
    expect((await batchOf(completed)).status).toBe('success');

    // An expired batch answers as an aborted one: no more files, no COMPLETE, ABORT is already its outcome.
    expect((await put(idle, 'b.json')).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches/${idle}?action=COMPLETE`)).status).toBe(400);
    expect((await api.request('POST', `${importBase}/batches/${idle}?action=ABORT`)).status).toBe(200);
    // The batches still being uploaded complete as usual.
    expect((await api.request('POST', `${importBase}/batches/${active}?action=COMPLETE`)).status).toBe(200);
    expect((await batchOf(active)).status).toBe('success');

    clock = start + 3 * hour + 1;
    expect((await api.app.abandonedBatches.sweep()).expired).toEqual([late]);
    expect(api.contractViolations).toEqual([]);
  });
});
