import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeLayout } from '../src/lake/lake-layout.js';
import { availableBackends } from './support/backends.js';
import { lakeRows } from './support/file-flow.js';
import { startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const importBase = '/data/foundation/import';

/** Bytes on disk under a folder, by allocated blocks: a sparse file counts for what it holds, not its length. */
function bytesOnDisk(dir: string): { length: number; allocated: number } {
  let length = 0;
  let allocated = 0;
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) : []) {
    const stat = fs.statSync(path.join(dir, entry));
    if (!stat.isFile()) continue;
    length += stat.size;
    allocated += stat.blocks * 512;
  }
  return { length, allocated };
}

describe.each(backends)('chunk ranges of a large file on $name', (backend) => {
  let api: TestApi;
  let dataSetId: string;

  beforeAll(async () => {
    api = await startApi(backend);
    const group = await api.request('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', { body: tutorial.productFieldGroup(api.tenantId) });
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: str(group.json, '$id') }] } });
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(schema.json, '$id')) });
    dataSetId = str(dataSet.json, '0').split('/').pop() as string;
  });
  afterAll(async () => api?.close());

  it('refuses with 416, naming the header, a chunk past the declared size, an absurd offset, or a total that changed', async () => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    const file = `${importBase}/batches/${batchId}/datasets/${dataSetId}/files/big.json`;
    const content = Buffer.from([JSON.stringify({ _id: 'K1', person: { birthYear: 1950 } }), JSON.stringify({ _id: 'K2', person: { birthYear: 1951 } })].join('\n'));
    const half = Math.floor(content.length / 2);
    const chunk = (range: string, bytes: Buffer) => api.request('PATCH', file, { raw: bytes.toString('latin1'), headers: { 'content-type': 'application/octet-stream', 'content-range': range } });
    expect((await api.request('POST', `${file}?action=INITIALIZE`)).status).toBe(201);

    const refusals = {
      'ten terabytes in (a sparse file of that size)': `bytes 10995116277000-10995116277009/10995116277760`,
      'past any safe integer': `bytes 0-9/99999999999999999999999`,
      'past the end of the file it declares': `bytes 0-${content.length + 9}/${content.length}`,
    };
    for (const [what, range] of Object.entries(refusals)) {
      const refused = await chunk(range, Buffer.alloc(10, 'x'));
      expect(refused.status, what).toBe(416);
      expect(refused.json, what).toMatchObject({ status: 416, title: 'Range not satisfiable', report: { errors: [{ in: 'header', path: 'content-range' }] } });
      expect(str(refused.json, 'type'), what).toMatch(/-1416-416$/);
    }
    // A range backwards, or not a range at all, is a malformed header (400), not an unsatisfiable one.
    expect((await chunk('bytes 9-0/10', Buffer.alloc(10))).status).toBe(400);
    expect((await chunk('items 0-9/10', Buffer.alloc(10))).status).toBe(400);

    expect((await chunk(`bytes 0-${half - 1}/${content.length}`, content.subarray(0, half))).status).toBe(200);
    const otherTotal = await chunk(`bytes ${half}-${content.length - 1}/${content.length + 100}`, content.subarray(half));
    expect(otherTotal.status, 'a total other than the first chunk declared').toBe(416);
    expect(str(otherTotal.json, 'detail')).toContain(`declared ${content.length} bytes long`);

    // Nothing refused reached the disk: the partial file is no longer than the file.
    const upload = new LakeLayout(api.dataDir).uploadDir(batchId);
    const disk = bytesOnDisk(upload);
    expect(disk.length).toBeLessThan(content.length + 4096);
    expect(disk.allocated).toBeLessThan(1024 * 1024);

    expect((await chunk(`bytes ${half}-${content.length - 1}/${content.length}`, content.subarray(half))).status).toBe(200);
    expect((await api.request('POST', `${file}?action=COMPLETE`)).status).toBe(201);
    expect((await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`)).status).toBe(200);
    expect((await lakeRows(api, dataSetId, '_id, person.birthYear AS year')).filter((r) => String(r._id).startsWith('K'))).toEqual([
      { _id: 'K1', year: 1950 },
      { _id: 'K2', year: 1951 },
    ]);
    expect(api.contractViolations).toEqual([]);
  });
});
