import { Type } from 'typebox';
import { dataSetOfBatch } from '../../engine/batch-document.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { applyPatch, parsePatch } from '../../server/json-patch/apply-json-patch.js';
import type { StoredDataSet } from './datasets.repository.js';
import { deleteDataSetBatches } from './batch-deletion.js';
import { PatchBody } from './batch-request.schema.js';
import { CatalogListQuery } from './catalog-listing.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { DataSetAccess, DataSetsById, ETagHeader, jsonAnswer, ReferenceList } from './catalog-answers.schema.js';
import { listErrors, patchErrors, refsTo, wholeObject, type CatalogAnswer, type CatalogCall, type CatalogOperation } from './catalog-operation.js';
import { listDataSets } from './datasets-listing.js';
import { answeredDataSets } from './dataset-answers.js';
import { buildDataSet, catalogOwnedDataSetFields, dataSetKind } from './datasets.js';
import { deepMerge, withIntermediates } from './deep-merge.js';
import { LookupParams, LookupQuery, lookupAnswer, lookupIds } from './object-lookup.js';
import { checkPreconditions } from './preconditions.js';

/**
 * A dataset request (`dataSetRequest`). Only documented here: `buildDataSet` checks the fields as a whole and
 * names every one at fault, so nothing is required or constrained at this level.
 */
export const DataSetRequest = Type.Object(
  {
    name: Type.Optional(Type.Unknown({ description: 'A non-empty string; required' })),
    description: Type.Optional(Type.Unknown({ description: 'A string' })),
    schemaRef: Type.Optional(
      Type.Unknown({
        description: 'Required, unless the former `schema` names the schema: {"id": "<the schema $id>", "contentType": "application/vnd.adobe.xed+json;version=1"} (contentType optional)',
      }),
    ),
    schema: Type.Optional(Type.Unknown({ description: 'The former way to name the schema, "@/xdms/{path}"' })),
    tags: Type.Optional(Type.Unknown({ description: 'An object of string arrays, e.g. {"unifiedProfile": ["enabled:true"]}' })),
    enableErrorDiagnostics: Type.Optional(Type.Unknown({ description: 'A boolean' })),
    fileDescription: Type.Optional(Type.Unknown({ description: 'An object' })),
    dataSourceId: Type.Optional(Type.Unknown({ description: 'An integer' })),
    extensions: Type.Optional(Type.Unknown({ description: 'An object; `adobe_lakeHouse.rowExpiration` is refused: rows are kept until their batch or dataset is deleted' })),
  },
  {
    additionalProperties: true,
    description: "Fields Catalog does not interpret are kept as sent; Catalog's own fields (id, version, created, ...) may be repeated as answered, not changed",
    examples: [{ name: 'Payments', schemaRef: { id: 'https://ns.adobe.com/{TENANT_ID}/schemas/{SCHEMA_ID}', contentType: 'application/vnd.adobe.xed+json;version=1' } }],
  },
);

/** What a dataset update can fail with, besides the request's shape. */
const updateErrors = ['notFound', 'etagMismatch', 'validation', 'inUse', 'conflict'] as const;
const written = jsonAnswer('The dataset written', ReferenceList);

const CredentialsQuery = Type.Object({ batchId: Type.Optional(Type.String({ minLength: 1, description: 'The batch to write, for `stagePath`' })) });

/** `POST /dataSets`: the new dataset's reference, 201, and its path in Location (clients read the id from it). */
export async function createDataSet(call: CatalogCall, options: { requestDataSource: boolean }): Promise<CatalogAnswer> {
  const dataSet = await buildDataSet(call.body as Record<string, unknown>, call);
  // AEP creates a data source for the dataset on request; Tributary has none to create, so it numbers one.
  if (options.requestDataSource && dataSet.dataSourceId === undefined) dataSet.dataSourceId = (Math.floor(call.now / 1000) % 100000) + 10000;
  const id = String(dataSet.id);
  await call.repo.insert(call.ctx.scope, { kind: dataSetKind, id, body: dataSet, secret: null, etag: String(dataSet.version), createdAt: call.now, updatedAt: call.now });
  return { status: 201, body: refsTo('dataSets', id), location: `/data/foundation/catalog/dataSets/${id}` };
}

async function storedDataSet(call: CatalogCall, id: string): Promise<{ stored: StoredDataSet; answered: Record<string, unknown> }> {
  const stored = await call.dataSets.get(call.ctx.scope, id);
  if (!stored) throw notFound('dataSets', id);
  const [answered] = await answeredDataSets(call.repo, call.batches, call.ctx.scope, [stored]);
  return { stored, answered: answered ?? { ...stored.body, id } };
}

/** Validates and stores `edit(answered)`, if the preconditions hold and nobody wrote in between. */
async function updateDataSet(call: CatalogCall, id: string, edit: (answered: Record<string, unknown>) => Record<string, unknown>): Promise<CatalogAnswer> {
  const { stored, answered } = await storedDataSet(call, id);
  checkPreconditions(call.headers, `dataset ${id}`, answered);
  const next = await buildDataSet(wholeObject(edit(answered), 'dataset'), call, answered);
  const schemaOf = (d: Record<string, unknown>) => (isRecord(d.schemaRef) ? d.schemaRef.id : undefined);
  if (schemaOf(next) !== schemaOf(answered)) {
    // Flows check that their mapping writes the dataset's schema; changing it under them would break that.
    const targets = await call.targetsOf(id);
    if (targets.length > 0) {
      throw new ApiError('inUse', `dataset ${id} is the target of connection(s) ${targets.join(', ')}; its schema cannot change while they use it.`, {
        problems: [{ in: 'body', path: '/schemaRef/id', message: 'cannot change while target connections use the dataset' }],
      });
    }
  }
  if (!(await call.repo.update(call.ctx.scope, { ...stored, body: next, etag: String(next.version), updatedAt: call.now }, stored.etag))) {
    throw new ApiError('conflict', `dataset ${id} was changed by another request; retry.`);
  }
  return { status: 200, body: refsTo('dataSets', id) };
}

/** PUT replaces the client's fields; Catalog's stay, and so does the schema when the body leaves it out. */
function replacementOf(answered: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const owned = Object.fromEntries(catalogOwnedDataSetFields.filter((f) => f in answered).map((f) => [f, answered[f]]));
  return { ...owned, ...(body.schemaRef === undefined && body.schema === undefined ? { schemaRef: answered.schemaRef } : {}), ...body };
}

export function dataSetOperations(deps: { layout: LakeLayout }): CatalogOperation[] {
  return [
    {
      method: 'GET',
      path: '/dataSets',
      summary: 'List datasets',
      schema: { querystring: CatalogListQuery },
      response: { 200: jsonAnswer('One page of datasets', DataSetsById), ...errorAnswers(...listErrors) },
      run: async (call) => {
        return { status: 200, body: await listDataSets({ repo: call.repo, dataSets: call.dataSets, batches: call.batches }, call.ctx.scope, call.query) };
      },
    },
    {
      method: 'GET',
      path: '/dataSets/:id',
      summary: 'Look up a dataset (or several: ids separated by commas)',
      schema: { params: LookupParams, querystring: LookupQuery },
      response: { 200: jsonAnswer('The datasets found (ids that name none are left out)', DataSetsById, { etag: ETagHeader }), ...errorAnswers('notFound') },
      run: async (call) => {
        const ids = lookupIds(String(call.params.id));
        const byId = await call.dataSets.getMany(call.ctx.scope, ids);
        const stored = ids.flatMap((id) => byId.get(id) ?? []);
        const found = await answeredDataSets(call.repo, call.batches, call.ctx.scope, stored);
        return lookupAnswer('dataSets', String(call.params.id), found, call.query.properties as string | undefined);
      },
    },
    {
      method: 'PUT',
      path: '/dataSets/:id',
      summary: 'Replace a dataset (If-Match / If-None-Match: its version)',
      schema: { params: LookupParams, body: DataSetRequest },
      response: { 200: written, ...errorAnswers(...updateErrors) },
      run: (call) => updateDataSet(call, String(call.params.id), (answered) => replacementOf(answered, call.body as Record<string, unknown>)),
    },
    {
      method: 'PATCH',
      path: '/dataSets/:id',
      summary: 'Update dataset fields, or apply a JSON Patch (If-Match / If-None-Match: its version)',
      schema: { params: LookupParams, body: PatchBody },
      response: { 200: written, ...errorAnswers(...updateErrors, ...patchErrors) },
      run: (call) => {
        const body = call.body;
        return updateDataSet(call, String(call.params.id), (answered) => (Array.isArray(body) ? applyPatch(answered, parsePatch(body)) : { ...answered, ...(body as Record<string, unknown>) }));
      },
    },
    {
      method: 'PATCH',
      path: '/v2/dataSets/:id',
      summary: 'Update nested dataset fields, creating missing intermediate objects (If-Match / If-None-Match optional)',
      schema: { params: LookupParams, body: PatchBody },
      response: { 200: written, ...errorAnswers(...updateErrors, ...patchErrors) },
      run: (call) => {
        const body = call.body;
        return updateDataSet(call, String(call.params.id), (answered) => {
          if (!Array.isArray(body)) return deepMerge(answered, body as Record<string, unknown>);
          const operations = parsePatch(body);
          return applyPatch(withIntermediates(answered, operations), operations);
        });
      },
    },
    {
      method: 'DELETE',
      path: '/dataSets/:id',
      summary: 'Delete a dataset and its data (its batches are marked deleted)',
      schema: { params: LookupParams },
      response: { 200: jsonAnswer('The dataset deleted', ReferenceList), ...errorAnswers('notFound', 'inUse', 'conflict') },
      run: async (call) => {
        const id = String(call.params.id);
        if (!(await call.repo.get(dataSetKind, call.ctx.scope, id))) throw notFound('dataSets', id);
        const targets = await call.targetsOf(id);
        if (targets.length > 0) throw new ApiError('inUse', `dataset ${id} is the target of connection(s) ${targets.join(', ')}; delete those first.`);
        await deleteDataSetBatches(id, { ...call, layout: deps.layout });
        await call.repo.delete(dataSetKind, call.ctx.scope, id);
        return { status: 200, body: refsTo('dataSets', id) };
      },
    },
    {
      method: 'GET',
      path: '/dataSets/:id/credentials',
      summary: 'Find where to read and write a dataset (Tributary issues no storage credentials)',
      schema: { params: LookupParams, querystring: CredentialsQuery },
      response: { 200: jsonAnswer("Where to read the dataset's data and, with batchId, where to upload that batch's files", DataSetAccess), ...errorAnswers('notFound', 'validation') },
      run: async (call) => {
        const id = String(call.params.id);
        if (!(await call.repo.get(dataSetKind, call.ctx.scope, id))) throw notFound('dataSets', id);
        const batchId = call.query.batchId as string | undefined;
        if (batchId !== undefined) {
          const batch = await call.batches.get(call.ctx.scope, batchId);
          if (!batch || dataSetOfBatch(batch.body) !== id) {
            throw new ApiError('validation', `batch ${batchId} is not a batch of dataset ${id}`, { problems: [{ in: 'query', path: 'batchId', message: 'not a batch of this dataset' }] });
          }
        }
        // AEP hands out a key to the dataset's storage container. Tributary's lake has no such key: data is read
        // and written through the API with the caller's own gateway headers, so the answer names those places and
        // carries no `credentials`. A made-up key would fail later, far from its cause.
        const api = `${call.headers.origin}/data/foundation`;
        return {
          status: 200,
          body: {
            dataSetId: id,
            path: `${api}/catalog/batches?dataSet=${id}&status=success`,
            ...(batchId !== undefined ? { stagePath: `${api}/import/batches/${batchId}/datasets/${id}/files` } : {}),
          },
        };
      },
    },
  ];
}
