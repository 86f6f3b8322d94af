import fs from 'node:fs';
import path from 'node:path';
import { DuckDbSession } from '../../src/lake/duckdb-session.js';
import { at, str, type TestApi } from './test-api.js';
import * as tutorial from './tutorial-requests.js';

export const localFilesSpec = 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c';
export const cloudStorageFlowSpec = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';
const flowservice = '/data/foundation/flowservice';

export interface FileFlow {
  flowId: string;
  dataSetId: string;
  schemaId: string;
  sourceId: string;
}

/**
 * A dataflow from local files into a dataset of the tutorial's Profile schema (with the product field group),
 * mapped as the corrected tutorial maps PayPal.Catalog_Products.
 */
export async function createFileFlow(
  api: TestApi,
  options: {
    root: string;
    path: string;
    format: 'delimited' | 'json' | 'parquet';
    delta?: boolean;
    options?: Record<string, unknown>;
    title: string;
    /** More legacy-dialect mappings, e.g. `{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }`. */
    extraMappings?: { destinationXdmPath: string; sourceAttribute: string }[];
    /** The flow's schedule; by default a `once` flow whose start time passed long ago. */
    scheduleParams?: Record<string, unknown>;
  },
): Promise<FileFlow> {
  const post = (url: string, body: unknown, field?: string) => postFor(api, url, body, field);
  const connection = await post(`${flowservice}/connections`, {
    name: `files ${options.title}`,
    auth: { specName: 'Local Directory', params: { rootPath: options.root } },
    connectionSpec: { id: localFilesSpec, version: '1.0' },
  });
  const sourceId = await post(`${flowservice}/sourceConnections`, {
    name: `source ${options.title}`,
    baseConnectionId: connection,
    data: { format: options.format },
    params: { path: options.path },
    connectionSpec: { id: localFilesSpec, version: '1.0' },
  });
  return createFlowFrom(api, sourceId, { ...options, flowSpecId: cloudStorageFlowSpec, deltaColumn: options.delta === false ? undefined : { name: 'updatedAt', dateFormat: 'yyyy-MM-dd HH:mm:ss', timezone: 'UTC' } });
}

/**
 * The target side of a tutorial-shaped flow from any source connection: the Profile schema with the product
 * field group, a dataset, a target connection, the corrected tutorial mapping and the flow itself.
 */
export async function createFlowFrom(
  api: Pick<TestApi, 'request' | 'tenantId'>,
  sourceId: string,
  options: {
    title: string;
    flowSpecId: string;
    deltaColumn?: Record<string, unknown> | undefined;
    options?: Record<string, unknown>;
    extraMappings?: { destinationXdmPath: string; sourceAttribute: string }[];
    /** Source columns for `_id` and the product fields, instead of the tutorial's Product_* columns. */
    columns?: { id: string; name: string; description: string; type: string };
    scheduleParams?: Record<string, unknown>;
  },
): Promise<FileFlow> {
  const post = (url: string, body: unknown, field?: string) => postFor(api, url, body, field);
  const groups = await api.request('GET', `/data/foundation/schemaregistry/tenant/fieldgroups?property=title==PayPal product details`, { headers: { accept: 'application/vnd.adobe.xed-id+json' } });
  const groupId = (at(groups.json, 'results.0.$id') as string | undefined) ?? (await post('/data/foundation/schemaregistry/tenant/fieldgroups', tutorial.productFieldGroup(api.tenantId), '$id'));
  const schemaId = await post('/data/foundation/schemaregistry/tenant/schemas', { ...tutorial.targetSchema, title: `schema ${options.title}`, allOf: [...tutorial.targetSchema.allOf, { $ref: groupId }] }, '$id');
  const dataSetId = (await post('/data/foundation/catalog/dataSets', { ...tutorial.dataSet(schemaId), name: `dataset ${options.title}` }, '0')).split('/').pop() as string;
  const target = await post(`${flowservice}/targetConnections`, tutorial.targetConnection(schemaId, dataSetId, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'));
  const mappingBody = tutorial.mappingSet(schemaId, `_${api.tenantId}.`);
  const columns = options.columns;
  const renamed = columns ? mappingBody.mappings.map((m, i) => ({ ...m, sourceAttribute: [columns.id, columns.name, columns.description, columns.type][i] as string })) : mappingBody.mappings;
  const mapping = await post('/data/foundation/conversion/mappingSets', { ...mappingBody, mappings: [...renamed, ...(options.extraMappings ?? [])] });
  const flowId = await post(`${flowservice}/flows`, {
    name: `flow ${options.title}`,
    flowSpec: { id: options.flowSpecId, version: '1.0' },
    sourceConnectionIds: [sourceId],
    targetConnectionIds: [target],
    transformations: [
      ...(options.deltaColumn ? [{ name: 'Copy', params: { deltaColumn: options.deltaColumn } }] : []),
      { name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } },
    ],
    scheduleParams: options.scheduleParams ?? { startTime: 1567411548, frequency: 'once' },
    ...(options.options ? { options: options.options } : {}),
  });
  return { flowId, dataSetId, schemaId, sourceId };
}

/** POSTs a body and returns one field of the answer (the new object's id by default); any failure throws. */
export async function postFor(api: Pick<TestApi, 'request'>, url: string, body: unknown, field = 'id'): Promise<string> {
  const response = await api.request('POST', url, { body });
  if (response.status >= 300) throw new Error(`POST ${url} answered ${response.status}: ${response.text}`);
  return str(response.json, field);
}

/** Starts a run on demand and waits until the engine has finished it; returns the run record. */
export async function runNow(api: TestApi, flowId: string, params?: Record<string, unknown>): Promise<unknown> {
  const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId, ...(params ? { params } : {}) } });
  if (started.status !== 201) throw new Error(`POST /runs answered ${started.status}: ${started.text}`);
  await api.app.engine.idle();
  const run = await api.request('GET', `${flowservice}/runs/${str(started.json, 'id')}`);
  return at(run.json, 'items.0');
}

/** The newest version of each record of a dataset, as the query service's `<table>_latest` shows it. */
export async function latestRows(api: TestApi, dataSetId: string, select: string): Promise<Record<string, unknown>[]> {
  const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${dataSetId}`);
  const table = str(dataSet.json, `${dataSetId}.tags.adobe/pqs/table.0`);
  const response = await api.request('POST', '/data/foundation/query/queries', { body: { dbName: 'prod:all', sql: `SELECT ${select} FROM ${table}_latest ORDER BY _id` } });
  if (response.status !== 202) throw new Error(`the query answered ${response.status}: ${response.text}`);
  return at(response.json, 'rows') as Record<string, unknown>[];
}

/** The rows of a dataset's successful batches, read from the lake files with DuckDB. */
export async function lakeRows(api: TestApi, dataSetId: string, select = '*', orderBy = '_id'): Promise<Record<string, unknown>[]> {
  // Catalog pages at 20 by default; a dataset in these tests has far fewer than 100 batches.
  const batches = await api.request('GET', `/data/foundation/catalog/batches?status=success&limit=100&orderBy=desc:created`);
  const ids = Object.entries(batches.json as Record<string, { relatedObjects: { type: string; id: string }[] }>)
    .filter(([, b]) => b.relatedObjects.some((o) => o.type === 'dataSet' && o.id === dataSetId))
    .map(([id]) => id);
  const files = ids.flatMap((batchId) => {
    const dir = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', dataSetId, batchId, 'data');
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  });
  if (files.length === 0) return [];
  const duck = await DuckDbSession.open({ tempDirectory: path.join(api.dataDir, 'tmp') });
  try {
    return await duck.rows(`SELECT ${select} FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}], union_by_name = true) ORDER BY ${orderBy}`);
  } finally {
    duck.close();
  }
}
