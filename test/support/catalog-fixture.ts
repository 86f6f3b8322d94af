import { at, str, type TestApi } from './test-api.js';
import * as tutorial from './tutorial-requests.js';

export const catalog = '/data/foundation/catalog';
const importBase = '/data/foundation/import';

/** A Profile schema (the tutorial's, with its product field group) and a dataset of it. */
export async function profileDataSet(api: TestApi, name: string): Promise<{ schemaId: string; dataSetId: string }> {
  const groups = await api.request('GET', `/data/foundation/schemaregistry/tenant/fieldgroups?property=title==PayPal product details`, { headers: { accept: 'application/vnd.adobe.xed-id+json' } });
  const groupId = (at(groups.json, 'results.0.$id') as string | undefined) ?? str((await api.request('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', { body: tutorial.productFieldGroup(api.tenantId) })).json, '$id');
  const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: { ...tutorial.targetSchema, title: `schema ${name}`, allOf: [...tutorial.targetSchema.allOf, { $ref: groupId }] } });
  const schemaId = str(schema.json, '$id');
  return { schemaId, dataSetId: await createDataSet(api, schemaId, name) };
}

/** An ExperienceEvent (time-series) schema and a dataset of it. */
export async function eventDataSet(api: TestApi, name: string): Promise<{ schemaId: string; dataSetId: string }> {
  const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', {
    body: { title: `events ${name}`, type: 'object', allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/experienceevent' }], 'meta:class': 'https://ns.adobe.com/xdm/context/experienceevent' },
  });
  const schemaId = str(schema.json, '$id');
  return { schemaId, dataSetId: await createDataSet(api, schemaId, name) };
}

async function createDataSet(api: TestApi, schemaId: string, name: string): Promise<string> {
  const created = await api.request('POST', `${catalog}/dataSets`, { body: { ...tutorial.dataSet(schemaId), name } });
  if (created.status !== 201) throw new Error(`POST /dataSets answered ${created.status}: ${created.text}`);
  return str(created.json, '0').split('/').pop() as string;
}

/** Lands Profile records in a dataset through Batch Ingestion (create, upload JSON lines, COMPLETE); returns the batch id. */
export async function ingestRecords(api: TestApi, dataSetId: string, records: Record<string, unknown>[]): Promise<string> {
  const created = await api.request('POST', `${importBase}/batches`, { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } });
  const batchId = str(created.json, 'id');
  const upload = await fetch(`${api.baseUrl}${importBase}/batches/${batchId}/datasets/${dataSetId}/files/part.json`, {
    method: 'PUT',
    headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
    body: records.map((r) => JSON.stringify(r)).join('\n'),
  });
  if (upload.status !== 200) throw new Error(`the upload answered ${upload.status}`);
  const completed = await api.request('POST', `${importBase}/batches/${batchId}?action=COMPLETE`);
  if (completed.status !== 200) throw new Error(`COMPLETE answered ${completed.status}: ${completed.text}`);
  return batchId;
}

/** The `_id`s the query service sees in a dataset's table (all versions), sorted. */
export async function queriedIds(api: TestApi, dataSetId: string, suffix = ''): Promise<string[]> {
  const dataSet = await api.request('GET', `${catalog}/dataSets/${dataSetId}`);
  const table = str(dataSet.json, `${dataSetId}.tags.adobe/pqs/table.0`);
  const response = await api.request('POST', '/data/foundation/query/queries', { body: { dbName: 'prod:all', sql: `SELECT _id FROM ${table}${suffix} ORDER BY _id` } });
  if (response.status !== 202) {
    // A dataset without any successful batch has no files, so its table is left out of the session.
    if (JSON.stringify(response.json).includes(`table \\"${table}${suffix}\\" has no successful batch yet`)) return [];
    throw new Error(`the query answered ${response.status}: ${response.text}`);
  }
  return (at(response.json, 'rows') as { _id: string }[]).map((r) => r._id);
}
