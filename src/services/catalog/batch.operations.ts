import { Type } from 'typebox';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { applyPatch, parsePatch } from '../../server/json-patch/apply-json-patch.js';
import { valueText } from '../../server/listing/value-text.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { UniqueViolation } from '../../store/unique-violation.js';
import { deleteBatch } from './batch-deletion.js';
import { editedBatch, newBatch, relatedIds, replacement } from './batch-documents.js';
import { BatchRequest, PatchBody, relatedObjectTypes } from './batch-request.schema.js';
import { batchKind } from './batches.js';
import { BatchListQuery, catalogFilter, ownEntry, type CatalogListRules } from './catalog-listing.js';
import { storedBatch, type StoredBatch } from './batches.repository.js';
import { listBatches } from './batches-listing.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { BatchesById, ETagHeader, jsonAnswer, LocationHeader, ReferenceList, UniqueValues } from './catalog-answers.schema.js';
import { listErrors, patchErrors, refsTo, wholeObject, type CatalogCall, type CatalogOperation } from './catalog-operation.js';
import { newCatalogId } from './datasets.js';
import { LookupParams, LookupQuery, lookupAnswer, lookupIds } from './object-lookup.js';
import { checkPreconditions } from './preconditions.js';

/** `dataSet={id}`, `batch={id}`, ... match the batch's related objects; the availability ranges read `availableDates`. */
export const batchListRules: CatalogListRules = {
  valuesOf: Object.fromEntries(relatedObjectTypes.map((type) => [type, (item: Record<string, unknown>) => relatedIds(item, type)])),
  ranges: {
    startAfter: { of: (item) => availableDate(item, 'startDate'), after: true },
    startBefore: { of: (item) => availableDate(item, 'startDate'), after: false },
    endAfter: { of: (item) => availableDate(item, 'endDate'), after: true },
    endBefore: { of: (item) => availableDate(item, 'endDate'), after: false },
  },
};

function availableDate(item: Record<string, unknown>, field: 'startDate' | 'endDate'): unknown {
  return isRecord(item.availableDates) ? item.availableDates[field] : undefined;
}

// A client's batch id becomes a folder name in the lake, so it is held to the characters AEP's ids use.
const NewBatchParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$', description: 'Letters, digits, "-" and "_"' }) });
const BatchLookupQuery = Type.Object({ ...LookupQuery.properties, aggregate: Type.Optional(QueryBoolean({ description: 'Batches here keep their status, metrics and errors at the root already.' })) });
const FieldParams = Type.Object({ field: Type.String({ pattern: '^[A-Za-z_][\\w]*$' }) });

async function foundBatch(call: CatalogCall, id: string): Promise<StoredBatch> {
  const stored = await call.batches.get(call.ctx.scope, id);
  if (!stored) throw notFound('batches', id);
  return stored;
}

/**
 * The distinct values `reader` finds in the batches that `matches`, read 500 batches at a time: the values are kept,
 * the batches are not, so a sandbox of a million batches is not held at once.
 */
async function distinctValues(call: CatalogCall, matches: (item: Record<string, unknown>) => boolean, reader: (item: Record<string, unknown>) => unknown[]): Promise<string[]> {
  const values = new Set<string>();
  for await (const stretch of call.repo.inStretches(batchKind, call.ctx.scope)) {
    for (const batch of stretch.map(storedBatch)) {
      const item = { ...batch.body, id: batch.id };
      if (!matches(item)) continue;
      for (const value of reader(item)) if (value !== undefined && value !== null && typeof value !== 'object') values.add(valueText(value));
    }
  }
  return [...values].sort();
}

async function createBatch(call: CatalogCall, id: string): Promise<{ status: number; body: string[]; location: string }> {
  if (await call.batches.get(call.ctx.scope, id)) throw new ApiError('conflict', `A batch ${id} already exists in this sandbox.`, { problems: [{ in: 'path', path: 'id', message: 'already exists' }] });
  const batch = await newBatch(call.body as Record<string, unknown>, id, call);
  try {
    await call.repo.insert(call.ctx.scope, { kind: batchKind, id, body: batch, secret: null, etag: String(call.now), createdAt: call.now, updatedAt: call.now });
  } catch (error) {
    if (error instanceof UniqueViolation) throw new ApiError('conflict', `The batch id ${id} is taken; choose another.`, { problems: [{ in: 'path', path: 'id', message: 'is taken' }] });
    throw error;
  }
  return { status: 201, body: refsTo('batches', id), location: `/data/foundation/catalog/batches/${id}` };
}

/** Stores `edit(current)` as the batch's new state, if the client's preconditions hold and nobody wrote in between. */
async function updateBatch(call: CatalogCall, edit: (current: Record<string, unknown>) => Record<string, unknown>): Promise<{ status: number; body: string[] }> {
  const stored = await foundBatch(call, String(call.params.id));
  checkPreconditions(call.headers, `batch ${stored.id}`, stored.body);
  const next = await editedBatch(stored.body, wholeObject(edit(stored.body), 'batch'), call);
  if (!(await call.repo.update(call.ctx.scope, { ...stored, body: next, etag: String(call.now), updatedAt: call.now }, stored.etag))) {
    throw new ApiError('conflict', `batch ${stored.id} was changed by another request; retry.`);
  }
  return { status: 200, body: refsTo('batches', stored.id) };
}

const created = jsonAnswer('The batch created; its path is in Location', ReferenceList, { location: LocationHeader });
const written = jsonAnswer('The batch written', ReferenceList);
/** A batch update: the batch must exist, be at the client's version, stay a valid batch, and not change meanwhile. */
const updateErrors = ['notFound', 'etagMismatch', 'validation', 'conflict'] as const;

export function batchOperations(deps: { layout: LakeLayout }): CatalogOperation[] {
  return [
    {
      method: 'GET',
      path: '/batches',
      summary: 'List batches (filters: dataSet, status, createdAfter, ...)',
      schema: { querystring: BatchListQuery },
      response: { 200: jsonAnswer('One page of batches', BatchesById), ...errorAnswers(...listErrors) },
      run: async (call) => ({ status: 200, body: await listBatches(call.batches, call.ctx.scope, call.query, batchListRules) }),
    },
    {
      method: 'POST',
      path: '/batches',
      summary: 'Create a batch',
      schema: { body: BatchRequest },
      response: { 201: created, ...errorAnswers('validation', 'conflict') },
      run: (call) => createBatch(call, newCatalogId()),
    },
    {
      method: 'GET',
      path: '/batches/uniques/:field',
      summary: 'List the distinct values of a batch field',
      schema: { params: FieldParams, querystring: BatchListQuery },
      response: { 200: jsonAnswer('The distinct values of the field among the matching batches (objects and arrays of objects are left out)', UniqueValues), ...errorAnswers(...listErrors) },
      run: async (call) => {
        const field = String(call.params.field);
        const reader = ownEntry(batchListRules.valuesOf, field) ?? ((item: Record<string, unknown>) => (!Object.hasOwn(item, field) ? [] : Array.isArray(item[field]) ? (item[field] as unknown[]) : [item[field]]));
        const values = await distinctValues(call, catalogFilter(call.query, batchListRules), reader);
        const { limit, start } = call.query;
        const first = typeof start === 'number' ? start : 0;
        return { status: 200, body: values.slice(first, first + (typeof limit === 'number' ? limit : 20)) };
      },
    },
    {
      method: 'GET',
      path: '/batches/:id',
      summary: 'Look up a batch (or several: ids separated by commas)',
      schema: { params: LookupParams, querystring: BatchLookupQuery },
      response: { 200: jsonAnswer('The batches found (ids that name none are left out)', BatchesById, { etag: ETagHeader }), ...errorAnswers('notFound') },
      run: async (call) => {
        const ids = lookupIds(String(call.params.id));
        const batches = await call.batches.getMany(call.ctx.scope, ids);
        const found = ids.flatMap((id) => {
          const batch = batches.get(id);
          return batch ? [{ ...batch.body, id }] : [];
        });
        return lookupAnswer('batches', String(call.params.id), found, call.query.properties as string | undefined);
      },
    },
    {
      method: 'POST',
      path: '/batches/:id',
      summary: 'Create a batch with the given id',
      schema: { params: NewBatchParams, body: BatchRequest },
      response: { 201: created, ...errorAnswers('validation', 'conflict') },
      run: (call) => createBatch(call, String(call.params.id)),
    },
    {
      method: 'PUT',
      path: '/batches/:id',
      summary: 'Replace a batch (If-Match / If-None-Match: its version)',
      schema: { params: LookupParams, body: BatchRequest },
      response: { 200: written, ...errorAnswers(...updateErrors) },
      run: (call) => updateBatch(call, (current) => replacement(current, call.body as Record<string, unknown>)),
    },
    {
      method: 'PATCH',
      path: '/batches/:id',
      summary: 'Update batch fields, or apply a JSON Patch (If-Match / If-None-Match: its version)',
      schema: { params: LookupParams, body: PatchBody },
      response: { 200: written, ...errorAnswers(...updateErrors, ...patchErrors) },
      run: (call) => {
        const body = call.body;
        return updateBatch(call, (current) => (Array.isArray(body) ? applyPatch(current, parsePatch(body)) : { ...current, ...(body as Record<string, unknown>) }));
      },
    },
    {
      method: 'DELETE',
      path: '/batches/:id',
      summary: 'Delete a batch: its data leaves the dataset, its record stays with status "deleted"',
      schema: { params: LookupParams },
      response: { 200: jsonAnswer('The batch deleted', ReferenceList), ...errorAnswers('notFound', 'conflict') },
      run: async (call) => {
        const stored = await foundBatch(call, String(call.params.id));
        await deleteBatch(stored, { ...call, layout: deps.layout });
        return { status: 200, body: refsTo('batches', stored.id) };
      },
    },
  ];
}
