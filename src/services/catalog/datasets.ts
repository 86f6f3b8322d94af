import type { Kysely, Transaction } from 'kysely';
import crypto from 'node:crypto';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { loadSchema } from '../schemaregistry/schema-access.js';
import { schemaDataBehavior } from '../schemaregistry/schema-behavior.js';
import type { BatchesRepository } from './batches.repository.js';
import { bumpVersion } from './preconditions.js';
import { isPqsTableName, pqsTableNameFrom, pqsTableNameMaxLength, pqsTableTag } from './pqs-table-name.js';
import { sameJson } from './same-json.js';
import { dataSetKind } from '../../store/data-set-index.js';
import type { Database } from '../../store/database.js';
import { DataSetsRepository, storedDataSet } from './datasets.repository.js';

export { dataSetKind };

/** The fields of a dataset other services rely on. */
export interface DataSetRecord {
  id: string;
  name: string;
  schemaRef: { id: string; contentType: string };
  /** The view its files are listed under (Data Access), when it has one. */
  viewId: string | undefined;
}

export async function findDataSet(repo: ResourcesRepository, scope: Scope, id: string): Promise<DataSetRecord | undefined> {
  const found = await repo.get(dataSetKind, scope, id);
  if (!found) return undefined;
  const { body } = storedDataSet(found);
  return { id: found.id, name: body.name, schemaRef: { id: String(body.schemaRef?.id), contentType: String(body.schemaRef?.contentType) }, viewId: body.viewId };
}

/** The ids of the datasets whose schema is `schemaId`, from the dataset index. */
export function dataSetsUsingSchema(db: Kysely<Database> | Transaction<Database>, scope: Scope, schemaId: string): Promise<string[]> {
  return new DataSetsRepository(db).usingSchema(scope, schemaId);
}

/** Catalog ids are 24 hex characters (Mongo-style), as AEP's are. */
export function newCatalogId(): string {
  return crypto.randomBytes(12).toString('hex');
}

/**
 * What Catalog keeps for itself on a dataset. A write may repeat these fields as a lookup answered them (a client
 * that GETs, edits and PUTs back) but not change them. The rest belongs to the client, including fields Catalog
 * does not interpret, which are kept as sent (Adobe's own collections send `"aspect": "production"`).
 */
export const catalogOwnedDataSetFields = [
  'id', 'imsOrg', 'sandboxId', 'version', 'created', 'updated', 'createdClient', 'createdUser', 'updatedUser', 'namespace', 'state',
  'schema', 'files', 'viewId', 'classification', 'basePath', 'persistence',
  'lastBatchId', 'lastBatchStatus', 'lastSuccessfulBatch', 'lastFailedBatch',
] as const;

interface BuildCall {
  ctx: RequestContext;
  repo: ResourcesRepository;
  batches: BatchesRepository;
  now: number;
}

/**
 * Validates a dataset request (create, PUT, PATCH, or a JSON Patch result) and returns the dataset to store.
 * `existing` is the dataset as it was answered (stored fields plus the last-batch fields), for an update.
 */
export async function buildDataSet(body: Record<string, unknown>, call: BuildCall, existing?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { ctx, repo, now } = call;
  const problems = new ProblemList();
  const name = problems.string(body, 'name', '/name', true);
  const description = problems.string(body, 'description', '/description', false);
  const schemaRef = problems.object(body, 'schemaRef', '/schemaRef', false) ?? legacySchemaRef(body.schema);
  if (!schemaRef) problems.add('/schemaRef', 'is required: {"id": "<the schema $id>", "contentType": "application/vnd.adobe.xed+json;version=1"}');
  const schemaId = schemaRef ? problems.string(schemaRef, 'id', '/schemaRef/id', true) : undefined;
  const contentType = schemaRef ? problems.string(schemaRef, 'contentType', '/schemaRef/contentType', false) : undefined;
  const schema = schemaId ? await loadSchema(repo, ctx.scope, schemaId) : undefined;
  if (schemaId && !schema) problems.add('/schemaRef/id', `no schema ${schemaId} in sandbox ${ctx.sandbox.name}`);
  const existingSchema = existing && isRecord(existing.schemaRef) ? existing.schemaRef.id : undefined;
  if (existing && schema && existingSchema !== schema.id && (await call.batches.holdsData(ctx.scope, String(existing.id)))) {
    problems.add('/schemaRef/id', 'cannot change once the dataset has batches');
  }
  const tags = body.tags ?? {};
  if (!isRecord(tags) || Object.values(tags).some((v) => !Array.isArray(v) || v.some((t) => typeof t !== 'string'))) {
    problems.add('/tags', 'must be an object of string arrays, e.g. {"unifiedProfile": ["enabled:true"]}');
  } else if (pqsTableTag in tags) {
    const names = tags[pqsTableTag];
    if (!Array.isArray(names) || names.length !== 1 || !isPqsTableName(names[0])) {
      problems.add(`/tags/${pqsTableTag.replace(/\//g, '~1')}`, `must be one table name of lower-case letters, digits and underscores (at most ${pqsTableNameMaxLength}), e.g. ["stripe_charges"]`);
    }
  }
  if (body.enableErrorDiagnostics !== undefined && typeof body.enableErrorDiagnostics !== 'boolean') problems.add('/enableErrorDiagnostics', 'must be a boolean');
  if (body.fileDescription !== undefined && !isRecord(body.fileDescription)) problems.add('/fileDescription', 'must be an object');
  if (body.dataSourceId !== undefined && !Number.isInteger(body.dataSourceId)) problems.add('/dataSourceId', 'must be an integer');
  checkExtensions(body.extensions, problems);
  const dataBehavior = schema ? await schemaDataBehavior(repo, ctx.scope, schema.id) : undefined;
  const classification = { ...(dataBehavior ? { dataBehavior } : {}), managedBy: 'CUSTOMER' };
  const schemaLink = `@/xdms/${(schema?.id ?? '').replace(/^https:\/\/ns\.adobe\.com\//, '')}`;
  // Derived fields may be sent as they were answered, or as they will be (after a schema change).
  const derived: Record<string, unknown> = { classification, schema: schemaLink };
  for (const field of catalogOwnedDataSetFields) {
    if (!(field in body) || sameJson(body[field], existing?.[field]) || (field in derived && sameJson(body[field], derived[field]))) continue;
    if (field === 'schema' && !isRecord(body.schemaRef)) continue;
    problems.add(`/${field}`, field === 'classification' ? `is derived from the schema's class (${JSON.stringify(classification)}) and cannot be set` : 'is set by Catalog and cannot be changed');
  }
  problems.throwIfAny('The dataset is not valid');
  const id = existing ? String(existing.id) : newCatalogId();
  const tableName = pqsTableNameFrom(name);
  const clientFields = Object.fromEntries(Object.entries(body).filter(([key]) => !(catalogOwnedDataSetFields as readonly string[]).includes(key)));
  return {
    ...clientFields,
    id,
    name,
    description: description ?? '',
    imsOrg: ctx.orgId,
    sandboxId: ctx.sandbox.id,
    tags: { [pqsTableTag]: [(existing && pqsTable(existing)) ?? tableName], ...(tags as Record<string, string[]>) },
    version: bumpVersion(existing?.version),
    created: existing?.created ?? now,
    updated: now,
    createdClient: existing?.createdClient ?? ctx.clientId,
    createdUser: existing?.createdUser ?? ctx.userId,
    updatedUser: ctx.userId,
    namespace: 'ACP',
    state: typeof existing?.state === 'string' ? existing.state : 'DRAFT',
    classification,
    schemaRef: { id: schema?.id, contentType: contentType ?? `application/vnd.adobe.xed+json;version=${schema?.version.split('.')[0] ?? '1'}` },
    schema: schemaLink,
    files: `@/dataSetFiles?dataSetId=${id}`,
    viewId: existing?.viewId ?? newCatalogId(),
    fileDescription: isRecord(body.fileDescription) ? body.fileDescription : { persisted: true, containerFormat: 'parquet', format: 'parquet' },
    enableErrorDiagnostics: body.enableErrorDiagnostics === true,
  };
}

/** The old way to name a dataset's schema, `"schema": "@/xdms/context/person"`; Catalog derives `schemaRef` from it. */
function legacySchemaRef(schema: unknown): Record<string, unknown> | undefined {
  return typeof schema === 'string' && schema.startsWith('@/xdms/') ? { id: `https://ns.adobe.com/${schema.slice('@/xdms/'.length)}` } : undefined;
}

/**
 * `extensions` is the client's, except row expiration: Tributary keeps rows until their batch or dataset is
 * deleted, and storing a TTL that nothing enforces would tell the client its data expires when it does not.
 */
function checkExtensions(extensions: unknown, problems: ProblemList): void {
  if (extensions === undefined) return;
  if (!isRecord(extensions)) {
    problems.add('/extensions', 'must be an object');
    return;
  }
  const lakeHouse = extensions.adobe_lakeHouse;
  if (isRecord(lakeHouse) && lakeHouse.rowExpiration !== undefined) {
    problems.add('/extensions/adobe_lakeHouse/rowExpiration', 'row expiration (TTL) is not supported: Tributary keeps rows until their batch or dataset is deleted');
  }
}

function pqsTable(existing: Record<string, unknown>): string | undefined {
  const tags = existing.tags;
  const value = isRecord(tags) && Array.isArray(tags[pqsTableTag]) ? tags[pqsTableTag][0] : undefined;
  return typeof value === 'string' ? value : undefined;
}
