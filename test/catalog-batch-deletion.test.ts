import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { catalog, ingestRecords, profileDataSet, queriedIds } from './support/catalog-fixture.js';
import { createFileFlow, runNow } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const batches = `${catalog}/batches`;
const backends = await availableBackends();

describe.each(backends)('deleting Catalog batches on $name', (backend) => {
  let api: TestApi;
  let root: string;
  const lakeFolder = (dataSetId: string, batchId?: string) => path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', dataSetId, ...(batchId ? [batchId] : []));

  beforeAll(async () => {
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-deletion-'));
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("takes a batch's rows out of the dataset's tables and Data Access, and keeps its record as deleted", async () => {
    const { dataSetId } = await profileDataSet(api, 'Orders');
    const first = await ingestRecords(api, dataSetId, [{ _id: 'A1' }, { _id: 'A2' }]);
    const second = await ingestRecords(api, dataSetId, [{ _id: 'B1' }]);
    expect(await queriedIds(api, dataSetId)).toEqual(['A1', 'A2', 'B1']);
    expect(fs.existsSync(lakeFolder(dataSetId, first))).toBe(true);

    const deleted = await api.request('DELETE', `${batches}/${first}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual([`@/batches/${first}`]);
    expect(await queriedIds(api, dataSetId)).toEqual(['B1']);
    expect(await queriedIds(api, dataSetId, '_latest')).toEqual(['B1']);
    expect(fs.existsSync(lakeFolder(dataSetId, first)), 'the files are removed once the deletion is committed').toBe(false);
    const files = await api.request('GET', `/data/foundation/export/batches/${first}/files`);
    expect(at(files.json, 'data')).toEqual([]);

    const record = at((await api.request('GET', `${batches}/${first}`)).json, first) as Record<string, unknown>;
    expect(record).toMatchObject({ status: 'deleted', version: '1.0.1', metrics: { outputRecordCount: 2 }, relatedObjects: [{ type: 'dataSet', id: dataSetId }] });
    expect(Object.keys((await api.request('GET', `${batches}?dataSet=${dataSetId}&status=deleted`)).json as object)).toEqual([first]);
    expect((await api.request('DELETE', `${batches}/${first}`)).status, 'deleting again changes nothing').toBe(200);
    expect(at((await api.request('GET', `${batches}/${first}`)).json, `${first}.version`)).toBe('1.0.1');
    expect(at((await api.request('GET', `${catalog}/dataSets/${dataSetId}`)).json, `${dataSetId}.lastSuccessfulBatch`)).toBe(second);
  });

  it("deletes a dataflow run's batch without rewriting the flow's history", async () => {
    fs.writeFileSync(path.join(root, 'products.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,,PHYSICAL,2024-01-02 10:00:00\nP2,Book,,DIGITAL,2024-01-03 10:00:00\n');
    const flow = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: 'deletion' });
    const run = (await runNow(api, flow.flowId)) as Record<string, unknown>;
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    expect(await queriedIds(api, flow.dataSetId)).toEqual(['P1', 'P2']);

    expect((await api.request('DELETE', `${batches}/${batchId}`)).status).toBe(200);
    expect(await queriedIds(api, flow.dataSetId)).toEqual([]);
    const record = at((await api.request('GET', `${batches}/${batchId}`)).json, batchId);
    expect(record).toMatchObject({ status: 'deleted', tags: { acp_flowId: [flow.flowId], acp_producer: ['tributary:flow'] } });
    const runs = await api.request('GET', `/data/foundation/flowservice/runs?property=flowId==${flow.flowId}`);
    expect(JSON.stringify(at(runs.json, 'items.0.activities')), "the run still names the batch it landed").toContain(batchId);
    const undelete = await api.request('PATCH', `${batches}/${batchId}`, { body: { status: 'success' } });
    expect(undelete.status, "a produced batch's status is ingestion's, so a deleted one stays deleted").toBe(400);
  });

  it('deletes the batches and the lake folder of a deleted dataset', async () => {
    const { dataSetId } = await profileDataSet(api, 'Doomed');
    const landed = await ingestRecords(api, dataSetId, [{ _id: 'D1' }]);
    expect(fs.existsSync(lakeFolder(dataSetId))).toBe(true);
    expect((await api.request('DELETE', `${catalog}/dataSets/${dataSetId}`)).status).toBe(200);
    expect((await api.request('GET', `${catalog}/dataSets/${dataSetId}`)).status).toBe(404);
    expect(at((await api.request('GET', `${batches}/${landed}`)).json, `${landed}.status`)).toBe('deleted');
    expect(fs.existsSync(lakeFolder(dataSetId))).toBe(false);
    expect(at((await api.request('GET', `${catalog}/lastBatches`)).json, dataSetId), 'a deleted dataset has no last batches').toBeUndefined();
  });

  it('refuses to delete a batch that is still loading, and the dataset it belongs to, until it is aborted', async () => {
    const { dataSetId } = await profileDataSet(api, 'Loading');
    const loading = str((await api.request('POST', '/data/foundation/import/batches', { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } })).json, 'id');
    const refused = await api.request('DELETE', `${batches}/${loading}`);
    expect(refused.status).toBe(409);
    expect(str(refused.json, 'detail')).toContain('action=ABORT');
    expect((await api.request('DELETE', `${catalog}/dataSets/${dataSetId}`)).status).toBe(409);
    expect((await api.request('GET', `${catalog}/dataSets/${dataSetId}`)).status).toBe(200);
    expect((await api.request('POST', `/data/foundation/import/batches/${loading}?action=ABORT`)).status).toBe(200);
    expect((await api.request('DELETE', `${batches}/${loading}`)).status).toBe(200);
    expect(at((await api.request('GET', `${batches}/${loading}`)).json, `${loading}.status`)).toBe('deleted');
  });

  it("answers 404 for a batch that is not there, or is another sandbox's", async () => {
    expect((await api.request('DELETE', `${batches}/ffffffffffffffffffffffff`)).status).toBe(404);
    const { dataSetId } = await profileDataSet(api, 'Sandboxed');
    const landed = await ingestRecords(api, dataSetId, [{ _id: 'S1' }]);
    await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'dev-deletion', title: 'Deletion', type: 'development' } });
    expect((await api.request('DELETE', `${batches}/${landed}`, { sandbox: 'dev-deletion' })).status).toBe(404);
    expect(at((await api.request('GET', `${batches}/${landed}`)).json, `${landed}.status`)).toBe('success');
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
