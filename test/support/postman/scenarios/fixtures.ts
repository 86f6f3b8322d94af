/**
 * Objects the per-API collections' requests act on, made through the API as a user would have made them before
 * filling in a request's variables. Each is made once per test server and kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFileFlow, type FileFlow } from '../../file-flow.js';
import { at, str, type TestApi } from '../../test-api.js';
import * as tutorial from '../../tutorial-requests.js';

const made = new WeakMap<TestApi, Map<string, Promise<unknown>>>();

/** `make()` once per server under `key`. */
export function once<T>(api: TestApi, key: string, make: () => Promise<T>): Promise<T> {
  let byKey = made.get(api);
  if (!byKey) {
    byKey = new Map();
    made.set(api, byKey);
  }
  let value = byKey.get(key) as Promise<T> | undefined;
  if (!value) {
    value = make();
    byKey.set(key, value);
  }
  return value;
}

let counter = 0;
/** A title no earlier request used (registry titles are unique per sandbox). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix} ${counter} ${Math.random().toString(36).slice(2, 8)}`;
}

export async function post(api: TestApi, url: string, body: unknown, field = 'id'): Promise<string> {
  const response = await api.request('POST', url, { body });
  if (response.status >= 300) throw new Error(`POST ${url} answered ${response.status}: ${response.text}`);
  return str(response.json, field);
}

/** A dataset id from Catalog's `["@/dataSets/<id>"]` answer. */
export async function newDataSet(api: TestApi, name: string): Promise<string> {
  const schemaId = await tenantSchema(api);
  return (await post(api, '/data/foundation/catalog/dataSets', { ...tutorial.dataSet(schemaId), name: unique(name) }, '0')).split('/').pop() as string;
}

/** The tutorial's Profile schema with its product field group. */
export function tenantSchema(api: TestApi): Promise<string> {
  return once(api, 'schema', async () => {
    // The dataflow fixtures make the same field group; its title is unique in the sandbox.
    const existing = await api.request('GET', '/data/foundation/schemaregistry/tenant/fieldgroups?property=title==PayPal product details', { headers: { accept: 'application/vnd.adobe.xed-id+json' } });
    const group = (at(existing.json, 'results.0.$id') as string | undefined) ?? (await post(api, '/data/foundation/schemaregistry/tenant/fieldgroups', tutorial.productFieldGroup(api.tenantId), '$id'));
    return post(api, '/data/foundation/schemaregistry/tenant/schemas', { ...tutorial.targetSchema, title: unique('plain schema'), allOf: [...tutorial.targetSchema.allOf, { $ref: group }] }, '$id');
  });
}

export function dataSet(api: TestApi): Promise<string> {
  return once(api, 'dataSet', () => newDataSet(api, 'plain dataset'));
}

/** A batch that landed two records through Batch Ingestion. */
export async function landedBatch(api: TestApi): Promise<{ batchId: string; dataSetId: string }> {
  const dataSetId = await dataSet(api);
  const batchId = await post(api, '/data/foundation/import/batches', { datasetId: dataSetId, inputFormat: { format: 'json' } });
  const upload = await fetch(`${api.baseUrl}/data/foundation/import/batches/${batchId}/datasets/${dataSetId}/files/part.json`, {
    method: 'PUT',
    headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
    body: `${JSON.stringify({ _id: 'P1', person: { name: { firstName: 'Ada' } } })}\n${JSON.stringify({ _id: 'P2' })}`,
  });
  if (upload.status !== 200) throw new Error(`upload answered ${upload.status}`);
  await api.request('POST', `/data/foundation/import/batches/${batchId}?action=COMPLETE`);
  return { batchId, dataSetId };
}

/** A Local Files dataflow of a folder with one CSV file, and the ids of everything it is made of. */
export function fileFlow(api: TestApi): Promise<FileFlow & { root: string; connectionId: string }> {
  return once(api, 'fileFlow', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-plain-'));
    fs.writeFileSync(path.join(root, 'products.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00\n');
    const flow = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: unique('plain flow') });
    const source = await api.request('GET', `/data/foundation/flowservice/sourceConnections/${flow.sourceId}`);
    return { ...flow, root, connectionId: str(source.json, 'items.0.baseConnectionId') };
  });
}

/** The current etag of a Flow Service object, for `if-match`. */
export async function etagOf(api: TestApi, url: string): Promise<string> {
  return str((await api.request('GET', url)).json, 'items.0.etag');
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}

export { at, str };
