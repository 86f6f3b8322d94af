import type { Scenario } from '../plain-collection.js';
import type { TestApi } from '../../test-api.js';
import { dataSet, json, once, post, str, tenantSchema } from './fixtures.js';

const flowservice = '/data/foundation/flowservice';
const importBase = '/data/foundation/import';

/** An HTTP API (streaming) connection into the fixtures' dataset: its inlet id, as the docs show it. */
function inlet(api: TestApi): Promise<string> {
  return once(api, 'inlet', async () => {
    const id = await post(api, `${flowservice}/connections`, { name: 'collection inlet', connectionSpec: { id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', version: '1.0' }, auth: { specName: 'Streaming Connection', params: { dataType: 'xdm' } } });
    return str((await api.request('GET', `${flowservice}/connections/${id}`)).json, 'items.0.auth.params.inletId');
  });
}

async function message(api: TestApi, id: string): Promise<Record<string, unknown>> {
  const schemaRef = { id: await tenantSchema(api), contentType: 'application/vnd.adobe.xed-full+json;version=1' };
  return { header: { schemaRef, imsOrgId: api.credentials.ims_org, datasetId: await dataSet(api) }, body: { xdmMeta: { schemaRef }, xdmEntity: { _id: id, person: { name: { firstName: 'Grace' } } } } };
}

/** A new batch of the fixtures' dataset, in JSON. */
async function newBatch(api: TestApi): Promise<{ batchId: string; datasetId: string }> {
  const datasetId = await dataSet(api);
  return { batchId: await post(api, `${importBase}/batches`, { datasetId, inputFormat: { format: 'json' } }), datasetId };
}

/** A batch whose large file `big.json` was initialized (and, with `chunk`, received its only chunk). */
function largeFile(api: TestApi, chunk: boolean): Promise<{ batchId: string; datasetId: string }> {
  return once(api, `large ${chunk}`, async () => {
    const batch = await newBatch(api);
    const file = `${importBase}/batches/${batch.batchId}/datasets/${batch.datasetId}/files/big.json`;
    await api.request('POST', `${file}?action=INITIALIZE`);
    if (chunk) {
      const body = JSON.stringify({ _id: 'L1' });
      await fetch(`${api.baseUrl}${file}`, { method: 'PATCH', headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream', 'content-range': `bytes 0-${body.length - 1}/${body.length}` }, body });
    }
    return batch;
  });
}

/** A batch holding one uploaded file, ready to complete or preview. */
function uploaded(api: TestApi): Promise<{ batchId: string; datasetId: string }> {
  return once(api, 'uploaded', async () => {
    const batch = await newBatch(api);
    await fetch(`${api.baseUrl}${importBase}/batches/${batch.batchId}/datasets/${batch.datasetId}/files/rows.json`, {
      method: 'PUT',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
      body: JSON.stringify({ _id: 'U1', person: { name: { firstName: 'Ada' } } }),
    });
    return batch;
  });
}

const chunk = JSON.stringify({ _id: 'L2' });

/** Adobe's "Data Ingestion API" collection, request by request. */
export const ingestionScenarios: Record<string, Scenario> = {
  'POST /import/collection/:CONNECTION_ID': { vars: async (api) => ({ CONNECTION_ID: await inlet(api), body: json(await message(api, 'S1')) }) },
  'POST /import/collection/batch/:CONNECTION_ID': {
    vars: async (api) => ({ CONNECTION_ID: await inlet(api), body: json({ messages: [await message(api, 'S2'), await message(api, 'S3')] }) }),
    status: 207,
    reason: 'The docs (ingestion/tutorials/streaming-multiple-messages.md) answer several messages with 207 Multi-Status, one result per message; streaming is not in the five OpenAPI files.',
  },
  'POST /import/batches': { vars: async (api) => ({ body: json({ datasetId: await dataSet(api), inputFormat: { format: 'json' } }) }) },
  // The collection sends the small file as an empty form: an empty file is what arrives.
  'PUT /import/batches/:batchId/datasets/:datasetId/files/:filePath': { vars: async (api) => ({ ...(await newBatch(api)), filePath: 'from the collection.json' }) },
  'POST /import/batches/:batchId/datasets/:datasetId/files/:filePath': {
    vars: async (api) => ({ ...(await newBatch(api)), filePath: 'big.json', action: 'INITIALIZE' }),
    status: 201,
    reason: 'The docs (ingestion/batch-ingestion/api-overview.md, "Initialize large file") answer INITIALIZE with 201 Created; the OpenAPI file says 200.',
  },
  'PATCH /import/batches/:batchId/datasets/:datasetId/files/:filePath': {
    vars: async (api) => ({ ...(await largeFile(api, false)), filePath: 'big.json', file: chunk, 'Content-Range': `bytes 0-${chunk.length - 1}/${chunk.length}` }),
  },
  'HEAD /import/batches/:batchId/datasets/:datasetId/files/:filePath': { vars: async (api) => ({ ...(await largeFile(api, true)), filePath: 'big.json' }) },
  'GET /import/batches/:batchId/datasets/:datasetId/preview': { vars: async (api) => ({ ...(await uploaded(api)), format: 'json' }) },
  'POST /import/batches/:batchId': { vars: async (api) => ({ batchId: (await uploaded(api)).batchId, action: 'COMPLETE' }) },
};
