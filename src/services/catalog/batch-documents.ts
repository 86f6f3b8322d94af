import { ApiError, type FieldProblem } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import { BatchRequest } from './batch-request.schema.js';
import { findDataSet } from './datasets.js';
import { bumpVersion } from './preconditions.js';
import { sameJson } from './same-json.js';
import { schemaProblems } from './schema-check.js';

/** Fields Catalog keeps for itself on every batch; a write may repeat them but not change them. */
const catalogFields = ['id', 'imsOrg', 'sandboxId', 'created', 'createdClient', 'createdUser', 'updated', 'updatedUser', 'version'] as const;

/**
 * What Tributary's ingestion writes on the batches it produces (dataflow runs and Batch Ingestion): the lake
 * files, the query tables and the runs' history all follow these fields, so a Catalog write may not change them.
 */
const ingestionFields = ['status', 'relatedObjects', 'inputFormat', 'metrics', 'recordCount', 'failedRecordCount', 'size', 'errors', 'started', 'completed', 'externalId'] as const;

/** Tags the producer sets (`acp_producer`, `acp_flowId`, ...), as AEP's own producers do. */
const systemTag = /^acp_/;

/** `flow` for a batch a dataflow run landed, `import` for one Batch Ingestion completes; undefined for a client's own. */
function producerOf(batch: Record<string, unknown>): 'flow' | 'import' | undefined {
  const producer = isRecord(batch.tags) && Array.isArray(batch.tags.acp_producer) ? batch.tags.acp_producer[0] : undefined;
  if (producer === 'tributary:flow') return 'flow';
  if (producer === 'tributary:import') return 'import';
  return undefined;
}

/** The ids of the objects of one type a batch relates to, for filters such as `GET /batches?dataSet={id}`. */
export function relatedIds(batch: Record<string, unknown>, type: string): string[] {
  const related = Array.isArray(batch.relatedObjects) ? batch.relatedObjects : [];
  return related.flatMap((o) => (isRecord(o) && o.type === type && typeof o.id === 'string' ? [o.id] : []));
}

/** A new batch from a client's `batchRequest`, stored as Catalog answers it. */
export async function newBatch(body: Record<string, unknown>, id: string, call: { ctx: RequestContext; repo: ResourcesRepository; now: number }): Promise<Record<string, unknown>> {
  const problems = [...readOnlyProblems(body, undefined), ...reservedProducerProblems(body), ...loadingProblems(body)];
  problems.push(...(await relatedDataSetProblems(body, undefined, call)));
  if (problems.length > 0) throw invalidBatch(problems);
  const { ctx, now } = call;
  return {
    ...body,
    id,
    imsOrg: ctx.orgId,
    sandboxId: ctx.sandbox.id,
    version: '1.0.0',
    created: now,
    updated: now,
    createdClient: ctx.clientId,
    createdUser: ctx.userId,
    updatedUser: ctx.userId,
  };
}

/**
 * The batch after a PUT or PATCH: `edited` is the whole batch as the write would leave it. Catalog's own fields
 * must be unchanged, and so must what ingestion wrote on a batch Tributary produced; the rest must be a valid
 * `batchRequest`.
 */
export async function editedBatch(current: Record<string, unknown>, edited: Record<string, unknown>, call: { ctx: RequestContext; repo: ResourcesRepository; now: number }): Promise<Record<string, unknown>> {
  const producer = producerOf(current);
  // A write that leaves out the producer's tags keeps them; only a different value is a change.
  const candidate = producer ? { ...edited, tags: { ...systemTagsOf(current), ...(isRecord(edited.tags) ? edited.tags : {}) } } : edited;
  const problems = readOnlyProblems(candidate, current);
  if (producer) {
    const who = producer === 'flow' ? 'the dataflow run that landed it' : 'Batch Ingestion';
    for (const field of ingestionFields) {
      if (!sameJson(candidate[field], current[field])) problems.push({ in: 'body', path: `/${field}`, message: `is set by ${who} and cannot be changed; DELETE the batch to remove its data` });
    }
    if (!sameJson(systemTagsOf(candidate), systemTagsOf(current))) {
      problems.push({ in: 'body', path: '/tags', message: `the acp_* tags are set by ${who} and cannot be changed` });
    }
  } else {
    problems.push(...reservedProducerProblems(candidate), ...loadingProblems(candidate));
  }
  problems.push(...schemaProblems(BatchRequest, candidate, 'body'));
  problems.push(...(await relatedDataSetProblems(candidate, current, call)));
  if (problems.length > 0) throw invalidBatch(problems);
  return { ...candidate, version: bumpVersion(current.version), updated: call.now, updatedUser: call.ctx.userId };
}

/** A PUT replaces what the client wrote; Catalog's fields, and ingestion's on a produced batch, stay. */
export function replacement(current: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const kept = [...catalogFields, ...(producerOf(current) ? ingestionFields : [])];
  return { ...Object.fromEntries(kept.filter((f) => f in current).map((f) => [f, current[f]])), ...body };
}

function systemTagsOf(batch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(isRecord(batch.tags) ? batch.tags : {}).filter(([name]) => systemTag.test(name)));
}

/** A `loading` batch of a dataset takes files through Batch Ingestion, which reads them in the batch's format. */
function loadingProblems(batch: Record<string, unknown>): FieldProblem[] {
  const format = isRecord(batch.inputFormat) ? batch.inputFormat.format : undefined;
  return batch.status === 'loading' && relatedIds(batch, 'dataSet').length > 0 && format === undefined
    ? [{ in: 'body', path: '/inputFormat/format', message: 'is required for a loading batch of a dataset: Batch Ingestion reads its files in this format (json, parquet or csv)' }]
    : [];
}

function readOnlyProblems(candidate: Record<string, unknown>, current: Record<string, unknown> | undefined): FieldProblem[] {
  return catalogFields
    .filter((field) => field in candidate && (current === undefined || !sameJson(candidate[field], current[field])))
    .map((field) => ({ in: 'body', path: `/${field}`, message: 'is set by Catalog and cannot be written' }));
}

/** A client's batch may not pretend Tributary produced it: that would lock its fields against the client itself. */
function reservedProducerProblems(batch: Record<string, unknown>): FieldProblem[] {
  const producers = isRecord(batch.tags) && Array.isArray(batch.tags.acp_producer) ? batch.tags.acp_producer : [];
  return producers.some((p) => typeof p === 'string' && p.startsWith('tributary:'))
    ? [{ in: 'body', path: '/tags/acp_producer', message: 'values starting with "tributary:" are reserved for batches Tributary produces' }]
    : [];
}

/** A batch may only name datasets of its own sandbox (the lake keeps a batch's files under its dataset). */
async function relatedDataSetProblems(candidate: Record<string, unknown>, current: Record<string, unknown> | undefined, call: { ctx: RequestContext; repo: ResourcesRepository }): Promise<FieldProblem[]> {
  if (current && sameJson(candidate.relatedObjects, current.relatedObjects)) return [];
  const related = Array.isArray(candidate.relatedObjects) ? candidate.relatedObjects : [];
  const problems: FieldProblem[] = [];
  const dataSets = related.flatMap((o, index) => (isRecord(o) && o.type === 'dataSet' && typeof o.id === 'string' ? [{ id: o.id, index }] : []));
  if (dataSets.length > 1) problems.push({ in: 'body', path: '/relatedObjects', message: 'a batch belongs to one dataset; name only one object of type dataSet' });
  for (const { id, index } of dataSets) {
    if (!(await findDataSet(call.repo, call.ctx.scope, id))) problems.push({ in: 'body', path: `/relatedObjects/${index}/id`, message: `no dataset ${id} in sandbox ${call.ctx.sandbox.name}` });
  }
  return problems;
}

function invalidBatch(problems: FieldProblem[]): ApiError {
  return new ApiError('validation', `The batch is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
}
