import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeLayout } from '../src/lake/lake-layout.js';
import { ImportedBatches } from '../src/services/import/imported-batches.js';
import { availableBackends } from './support/backends.js';
import { lakeRows } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const importBase = '/data/foundation/import';

/**
 * COMPLETE and ABORT of one batch are serialized by a conditional write of the stored batch, so they hold across
 * servers sharing one store: one request lands the batch, the others get its outcome or 409, none a 500.
 */
describe.each(backends)('concurrent actions on one batch on $name', (backend) => {
  let api: TestApi;
  let second: Awaited<ReturnType<TestApi['secondServer']>>;
  let dataSetId: string;
  // The clock only moves when a test moves it: a claim's age is what the sweep judges.
  let clock = Date.now();

  beforeAll(async () => {
    api = await startApi(backend, { now: () => clock });
    second = await api.secondServer();
    const group = await api.request('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', { body: tutorial.productFieldGroup(api.tenantId) });
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: str(group.json, '$id') }] } });
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(schema.json, '$id')) });
    dataSetId = str(dataSet.json, '0').split('/').pop() as string;
  });
  afterAll(async () => {
    await second?.close();
    await api?.close();
  });

  /** A loading batch holding `rows` records with ids `<prefix>0000`, ... in two files. */
  const loadedBatch = async (prefix: string, rows = 2000): Promise<string> => {
    const batchId = str((await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({ _id: `${prefix}${String(i).padStart(4, '0')}`, person: { birthYear: 1900 + (i % 100) } }));
    for (const [name, part] of [['a.json', lines.slice(0, rows / 2)], ['b.json', lines.slice(rows / 2)]] as const) {
      const put = await fetch(`${api.baseUrl}${importBase}/batches/${batchId}/datasets/${dataSetId}/files/${name}`, {
        method: 'PUT',
        headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
        body: part.join('\n'),
      });
      expect(put.status).toBe(200);
    }
    return batchId;
  };
  /** An action sent to the first server (checked against the API reference) or to the second. */
  const act = async (batchId: string, action: string, server: 'first' | 'second' = 'first'): Promise<{ status: number; body: unknown }> => {
    if (server === 'first') {
      const answer = await api.request('POST', `${importBase}/batches/${batchId}?action=${action}`);
      return { status: answer.status, body: answer.json };
    }
    const answer = await fetch(`${second.baseUrl}${importBase}/batches/${batchId}?action=${action}`, { method: 'POST', headers: api.gatewayHeaders() });
    const text = await answer.text();
    return { status: answer.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  const statusOf = async (batchId: string) => at((await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json, `${batchId}.status`);
  const landedIds = async (prefix: string) => (await lakeRows(api, dataSetId, '_id')).map((r) => String(r._id)).filter((id) => id.startsWith(prefix));
  const lakeFoldersOf = (batchId: string) => {
    const dataSetDir = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', dataSetId);
    return fs.existsSync(dataSetDir) ? fs.readdirSync(dataSetDir).filter((dir) => dir === batchId) : [];
  };
  const uploadFolder = (batchId: string) => new LakeLayout(api.dataDir).uploadDir(batchId);

  it('lands a batch once when five COMPLETEs arrive at once on two servers; the others get its outcome or 409', async () => {
    const batchId = await loadedBatch('C');
    const servers = ['first', 'second', 'first', 'second', 'first'] as const;
    const answers = await Promise.all(servers.map((server) => act(batchId, 'COMPLETE', server)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409), `answers ${statuses.join(', ')}`).toBe(true);
    expect(statuses).toContain(200);
    for (const conflict of answers.filter((a) => a.status === 409)) {
      expect(conflict.body).toMatchObject({ status: 409, report: { errors: [{ in: 'path', path: 'batchId' }] } });
      expect(str(conflict.body, 'type')).toMatch(/-1009-409$/);
    }
    expect(await statusOf(batchId)).toBe('success');
    const batch = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
    expect(at(batch.json, `${batchId}.metrics.outputRecordCount`)).toBe(2000);
    const ids = await landedIds('C');
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    expect(lakeFoldersOf(batchId)).toEqual([batchId]);
    expect(fs.existsSync(uploadFolder(batchId))).toBe(false);
    // Once it has its outcome, a COMPLETE on either server is answered the same.
    expect((await act(batchId, 'COMPLETE', 'second')).status).toBe(200);
    expect((await act(batchId, 'COMPLETE')).status).toBe(200);
    expect(api.contractViolations).toEqual([]);
  });

  it('ends an ABORT racing a COMPLETE as aborted or refuses it, never as failed', async () => {
    for (const [n, abortOn] of (['first', 'second', 'first'] as const).entries()) {
      const prefix = `R${n}`;
      const batchId = await loadedBatch(prefix, 400);
      const [complete, abort] = await Promise.all([act(batchId, 'COMPLETE'), act(batchId, 'ABORT', abortOn)]);
      const final = await statusOf(batchId);
      expect([complete.status, abort.status], `COMPLETE ${complete.status}, ABORT ${abort.status}`).not.toContain(500);
      expect(['success', 'aborted']).toContain(final);
      if (final === 'success') {
        expect(complete.status).toBe(200);
        // ABORT came while it was landing (409), or after it landed (400: a successful batch cannot be aborted).
        expect([409, 400]).toContain(abort.status);
        expect(await landedIds(prefix)).toHaveLength(400);
      } else {
        expect(abort.status).toBe(200);
        expect([409, 400]).toContain(complete.status);
        expect(await landedIds(prefix)).toEqual([]);
        expect(lakeFoldersOf(batchId)).toEqual([]);
      }
      expect(fs.existsSync(uploadFolder(batchId))).toBe(false);
    }
    expect(api.contractViolations).toEqual([]);
  });

  it('answers 409 to every action while another server holds the batch, and frees it once that server is gone', async () => {
    const batchId = await loadedBatch('P', 20);
    const stored = (await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json;
    const scope = { orgId: str(stored, `${batchId}.imsOrg`), sandboxId: str(stored, `${batchId}.sandboxId`) };
    // Another server's COMPLETE claimed the batch and has not taken its landing's lease yet (or stopped right there).
    const elsewhere = new ImportedBatches({ db: api.store.db, now: () => clock, engine: api.app.engine, layout: new LakeLayout(api.dataDir) });
    await elsewhere.claim(scope, batchId);
    expect(await statusOf(batchId)).toBe('processing');
    for (const action of ['COMPLETE', 'ABORT', 'FAIL', 'REVERT']) {
      const answer = await act(batchId, action);
      expect(answer.status, action).toBe(409);
      expect(str(answer.body, 'detail')).toContain('is being completed');
    }
    const late = await fetch(`${api.baseUrl}${importBase}/batches/${batchId}/datasets/${dataSetId}/files/late.json`, {
      method: 'PUT',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
      body: '{"_id":"late"}',
    });
    expect(late.status, 'a file added while the batch lands would be lost').toBe(400);
    expect(fs.readdirSync(path.join(uploadFolder(batchId), 'files'))).toHaveLength(2);

    // Within a lease's staleness the claim may still be landing: the sweep leaves it alone.
    clock += 30_000;
    expect((await api.app.abandonedBatches.sweep()).released).toEqual([]);
    expect(await statusOf(batchId)).toBe('processing');
    // A claim a minute old without a lease was made by a process that stopped: the batch is loading again.
    clock += 31_000;
    expect((await api.app.abandonedBatches.sweep()).released).toEqual([batchId]);
    expect(await statusOf(batchId)).toBe('loading');
    expect((await act(batchId, 'COMPLETE')).status).toBe(200);
    expect(await statusOf(batchId)).toBe('success');
    expect(await landedIds('P')).toHaveLength(20);
    expect(api.contractViolations).toEqual([]);
  });

  it('frees at once a batch whose landing process is known to have stopped', async () => {
    const batchId = await loadedBatch('G', 20);
    const stored = (await api.request('GET', `/data/foundation/catalog/batches/${batchId}`)).json;
    const scope = { orgId: str(stored, `${batchId}.imsOrg`), sandboxId: str(stored, `${batchId}.sandboxId`) };
    await new ImportedBatches({ db: api.store.db, now: () => clock, engine: api.app.engine, layout: new LakeLayout(api.dataDir) }).claim(scope, batchId);
    // The landing's lease names a process of this host that no longer runs.
    const lease = { owner: `${os.hostname()}:2147483646:gone`, heartbeatAt: clock };
    await api.store.db
      .insertInto('resources')
      .values({ kind: 'engine.runLease', id: `import-${batchId}`, org_id: scope.orgId, sandbox_id: scope.sandboxId, body: JSON.stringify(lease), secret: null, etag: '0', created_at: clock, updated_at: clock, unique_key: null })
      .execute();
    expect((await act(batchId, 'ABORT')).status).toBe(409);
    expect((await api.app.abandonedBatches.sweep()).released).toEqual([batchId]);
    expect((await act(batchId, 'COMPLETE')).status).toBe(200);
    expect(await statusOf(batchId)).toBe('success');
    expect(await landedIds('G')).toHaveLength(20);
  });
});
