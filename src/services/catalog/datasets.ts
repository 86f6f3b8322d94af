import crypto from 'node:crypto';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { loadSchema } from '../schemaregistry/schema-access.js';

export const dataSetKind = 'catalog.dataSet';

/** The fields of a dataset other services rely on. */
export interface DataSetRecord {
  id: string;
  name: string;
  schemaRef: { id: string; contentType: string };
}

export async function findDataSet(repo: ResourcesRepository, scope: Scope, id: string): Promise<DataSetRecord | undefined> {
  const stored = await repo.get(dataSetKind, scope, id);
  if (!stored || !isRecord(stored.body)) return undefined;
  const body = stored.body;
  const schemaRef = isRecord(body.schemaRef) ? body.schemaRef : {};
  return { id: stored.id, name: String(body.name), schemaRef: { id: String(schemaRef.id), contentType: String(schemaRef.contentType) } };
}

export async function dataSetsUsingSchema(repo: ResourcesRepository, scope: Scope, schemaId: string): Promise<string[]> {
  const all = await repo.list(dataSetKind, scope);
  return all.filter((s) => isRecord(s.body) && isRecord(s.body.schemaRef) && s.body.schemaRef.id === schemaId).map((s) => s.id);
}

/** Catalog ids are 24 hex characters (Mongo-style), as AEP's are. */
export function newCatalogId(): string {
  return crypto.randomBytes(12).toString('hex');
}

const editable = ['name', 'description', 'tags', 'enableErrorDiagnostics', 'fileDescription', 'schemaRef'] as const;

/** Validates a dataset request (create, PUT, or a PATCH result) and returns the stored dataset object. */
export async function buildDataSet(
  body: Record<string, unknown>,
  ctx: RequestContext,
  repo: ResourcesRepository,
  now: number,
  existing?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const problems = new ProblemList();
  const name = problems.string(body, 'name', '/name', true);
  const description = problems.string(body, 'description', '/description', false);
  const schemaRef = problems.object(body, 'schemaRef', '/schemaRef', true);
  const schemaId = schemaRef ? problems.string(schemaRef, 'id', '/schemaRef/id', true) : undefined;
  const contentType = schemaRef ? problems.string(schemaRef, 'contentType', '/schemaRef/contentType', false) : undefined;
  const schema = schemaId ? await loadSchema(repo, ctx.scope, schemaId) : undefined;
  if (schemaId && !schema) problems.add('/schemaRef/id', `no schema ${schemaId} in sandbox ${ctx.sandbox.name}`);
  const existingSchema = existing && isRecord(existing.schemaRef) ? existing.schemaRef.id : undefined;
  if (existing && schema && existingSchema !== schema.id && typeof existing.lastBatchId === 'string') {
    problems.add('/schemaRef/id', 'cannot change once the dataset has batches');
  }
  const tags = body.tags ?? {};
  if (!isRecord(tags) || Object.values(tags).some((v) => !Array.isArray(v) || v.some((t) => typeof t !== 'string'))) {
    problems.add('/tags', 'must be an object of string arrays, e.g. {"unifiedProfile": ["enabled:true"]}');
  }
  if (body.enableErrorDiagnostics !== undefined && typeof body.enableErrorDiagnostics !== 'boolean') problems.add('/enableErrorDiagnostics', 'must be a boolean');
  for (const key of Object.keys(body)) {
    if (existing && !editable.includes(key as (typeof editable)[number]) && JSON.stringify(body[key]) !== JSON.stringify(existing[key])) {
      problems.add(`/${key}`, 'is set by the catalog and cannot be changed');
    }
  }
  problems.throwIfAny('The dataset is not valid');
  const id = existing ? String(existing.id) : newCatalogId();
  const tableName = (name ?? 'dataset').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';
  const userTags = tags as Record<string, string[]>;
  return {
    ...(existing ?? {}),
    id,
    name,
    description: description ?? '',
    imsOrg: ctx.orgId,
    sandboxId: ctx.sandbox.id,
    tags: { 'adobe/pqs/table': [existing ? pqsTable(existing) ?? tableName : tableName], ...userTags },
    version: bumpVersion(existing?.version),
    created: existing?.created ?? now,
    updated: now,
    createdClient: existing?.createdClient ?? ctx.clientId,
    createdUser: existing?.createdUser ?? ctx.userId,
    updatedUser: ctx.userId,
    namespace: 'ACP',
    state: 'DRAFT',
    schemaRef: { id: schema?.id, contentType: contentType ?? `application/vnd.adobe.xed+json;version=${schema?.version.split('.')[0] ?? '1'}` },
    schema: `@/xdms/${(schema?.id ?? '').replace(/^https:\/\/ns\.adobe\.com\//, '')}`,
    files: `@/dataSetFiles?dataSetId=${id}`,
    viewId: existing?.viewId ?? newCatalogId(),
    fileDescription: isRecord(body.fileDescription) ? body.fileDescription : { persisted: true, containerFormat: 'parquet', format: 'parquet' },
    enableErrorDiagnostics: body.enableErrorDiagnostics === true,
  };
}

function pqsTable(existing: Record<string, unknown>): string | undefined {
  const tags = existing.tags;
  const value = isRecord(tags) && Array.isArray(tags['adobe/pqs/table']) ? tags['adobe/pqs/table'][0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function bumpVersion(version: unknown): string {
  if (typeof version !== 'string') return '1.0.0';
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return `${parts[0] ?? 1}.${parts[1] ?? 0}.${(parts[2] ?? 0) + 1}`;
}
