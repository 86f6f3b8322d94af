import type { Scenario } from '../plain-collection.js';
import * as tutorial from '../../tutorial-requests.js';
import { dataSet, json, landedBatch, newDataSet, post, tenantSchema, unique } from './fixtures.js';
import type { TestApi } from '../../test-api.js';

const catalog = '/data/foundation/catalog';

/** A batch made through Catalog itself (not by an upload), which Catalog's own writes may change. */
async function catalogBatch(api: TestApi): Promise<string> {
  const dataSetId = await dataSet(api);
  return (await post(api, `${catalog}/batches`, { status: 'loading', relatedObjects: [{ type: 'dataSet', id: dataSetId }], inputFormat: { format: 'json' } }, '0')).split('/').pop() as string;
}

async function batchBody(api: TestApi, extra: Record<string, unknown> = {}): Promise<string> {
  // Catalog's batchRequest requires a status; a batch made here starts loading, as Batch Ingestion's do.
  return json({ status: 'loading', relatedObjects: [{ type: 'dataSet', id: await dataSet(api) }], inputFormat: { format: 'json' }, tags: { team: ['payments'] }, ...extra });
}

/** Adobe's "Catalog Service API" collection, request by request. */
export const catalogScenarios: Record<string, Scenario> = {
  'GET /catalog/batches': {},
  'POST /catalog/batches': { vars: async (api) => ({ batch: await batchBody(api) }) },
  'GET /catalog/batches/uniques/:FIELD': { vars: async () => ({ FIELD: 'status' }) },
  'GET /catalog/batches/:BATCH_ID': { vars: async (api) => ({ BATCH_ID: (await landedBatch(api)).batchId }) },
  'PUT /catalog/batches/:BATCH_ID': { vars: async (api) => ({ BATCH_ID: await catalogBatch(api), batch: await batchBody(api, { tags: { team: ['replaced'] } }) }) },
  'POST /catalog/batches/:BATCH_ID': { vars: async (api) => ({ BATCH_ID: unique('batch').replaceAll(' ', '-'), batch: await batchBody(api) }) },
  'PATCH /catalog/batches/:BATCH_ID': { vars: async (api) => ({ BATCH_ID: await catalogBatch(api), batch: json({ tags: { team: ['patched'] } }) }) },
  'DELETE /catalog/batches/:BATCH_ID': { vars: async (api) => ({ BATCH_ID: (await landedBatch(api)).batchId }) },
  'GET /catalog/dataSets': {},
  'POST /catalog/dataSets': { vars: async (api) => ({ dataSet: json({ ...tutorial.dataSet(await tenantSchema(api)), name: unique('created dataset') }) }) },
  'GET /catalog/dataSets/:DATASET_ID': { vars: async (api) => ({ DATASET_ID: await dataSet(api) }) },
  'PUT /catalog/dataSets/:DATASET_ID': {
    vars: async (api) => ({ DATASET_ID: await newDataSet(api, 'replaced'), dataSet: json({ ...tutorial.dataSet(await tenantSchema(api)), name: unique('replaced dataset'), description: 'replaced' }) }),
  },
  "PATCH /catalog/dataSets/:DATASET_ID": { vars: async (api) => ({ DATASET_ID: await dataSet(api), dataSet: json({ description: 'patched through the collection' }) }) },
  'DELETE /catalog/dataSets/:DATASET_ID': { vars: async (api) => ({ DATASET_ID: await newDataSet(api, 'deleted') }) },
  'GET /catalog/dataSets/:id/credentials': { vars: async (api) => ({ id: await dataSet(api) }) },
  'GET /catalog/': {
    status: 401,
    reason: 'The collection sends this request with no Authorization, x-api-key or x-gw-ims-org-id header: the gateway refuses it, as it refuses any request without a token.',
  },
  'POST /catalog/': {
    status: 401,
    reason: 'The collection sends this request with no Authorization, x-api-key or x-gw-ims-org-id header: the gateway refuses it, as it refuses any request without a token.',
    vars: async (api) => ({ resources: json([{ id: 'one', resource: `/dataSets/${await dataSet(api)}`, method: 'GET' }]) }),
  },
  // A tag key as datasets carry it (the spec's example answers `adobe/pqs/databases`), escaped for the path.
  'GET /catalog/tags/:tagNamespace': { vars: async (api) => (await dataSet(api), { tagNamespace: encodeURIComponent('adobe/pqs/table') }) },
};
