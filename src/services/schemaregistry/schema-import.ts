import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ApiError } from '../../server/errors/api-error.js';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository, type Scope } from '../../store/resources.repository.js';
import { UniqueViolation } from '../../store/unique-violation.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';
import { sameJson } from './audit-diff.js';
import { newAuditRequestId, type RegistryAuditLog } from './audit-log.js';
import { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { Registry, type RegistryView } from './registry.js';
import { titleHolder } from './title-holder.js';
import { registryTypes, tenantKinds, type RegistryType } from './registry-types.js';
import { buildTenantComponent } from './tenant-components.js';
import { mentionedIds } from './tenant-dependencies.js';
import { rewriteTenant, tenantPlaceholder } from './tenant-rewrite.js';

export interface ImportDeps {
  db: Kysely<Database>;
  now: () => number;
  audit: RegistryAuditLog;
}

/** One resource of the payload, moved into the caller's tenant. */
interface ImportItem {
  index: number;
  id: string;
  type: RegistryType;
  body: JsonObject;
}

const tenantIdPattern = /^https:\/\/ns\.adobe\.com\/([^/]+)\/(schemas|mixins|datatypes|classes)\/([A-Za-z0-9_-]{1,64})$/;
const typesBySegment: Record<string, RegistryType | undefined> = {
  schemas: registryTypes.schemas,
  mixins: registryTypes.mixins,
  datatypes: registryTypes.datatypes,
  classes: registryTypes.classes,
};

/** What an import recomputes; two resources that differ only here have the same content. */
const recomputed = new Set(['version', 'meta:registryMetadata', 'imsOrg', 'meta:sandboxId', 'meta:sandboxType', 'meta:containerId', 'meta:tenantNamespace']);

/**
 * Creates the resources of an export payload in the caller's sandbox, all or none: tenant ids (the placeholder,
 * or another org's tenant id) become the caller's, `$id`s keep their hex part so references between the
 * resources hold, and each resource is created after the ones it builds on. A resource whose `$id` the sandbox
 * already has is reused when its content is the same (an import can be repeated, and two schemas exported
 * with a shared field group import one after the other); with other content, or a title another resource
 * has, the import fails with XDM-3005-400.
 */
export async function importPayload(request: FastifyRequest, payload: Record<string, unknown>[], deps: ImportDeps): Promise<JsonObject[]> {
  const { ctx } = request;
  // A payload may not carry standard resources, which every sandbox has: the standard library answers that.
  const parsed = parsePayload(payload, ctx.tenantId, Registry.standardOnly());
  const audit = { requestId: newAuditRequestId() };
  return deps.db.transaction().execute(async (trx) => {
    const repo = new ResourcesRepository(trx);
    const index = new RegistryDocumentsRepository(trx);
    const items = await rekeyTaken(parsed, repo, index, ctx.scope);
    const order = creationOrder(items);
    const results = new Map<number, JsonObject>();
    for (const item of order) {
      // Read for each resource (the index rows are written in this transaction), so that it sees the ones this
      // import created before it: the resource if the sandbox has it, what its body names and what that builds on.
      const registry = await Registry.forBody(repo, ctx.scope, { ...item.body, $id: item.id }, { descriptors: true });
      const existing = registry.find(item.id);
      const doc = build(request, item, registry, deps.now());
      if (existing?.container === 'tenant') {
        if (!sameJson(contentOf(existing.doc), contentOf(doc))) {
          throw importFailed(item, '$id', `An object ${item.id} already exists with other content; remove or rename it, or change the $id in the payload`);
        }
        results.set(item.index, existing.doc);
        continue;
      }
      const clash = await titleHolder(repo, index, ctx.scope, item.type.kind, doc.title);
      if (clash) throw importFailed(item, 'title', `Title must be unique. An object ${clash} already exists with the same title "${String(doc.title)}"`);
      try {
        const now = deps.now();
        await repo.insert(ctx.scope, { kind: item.type.kind, id: item.id, body: doc, secret: null, etag: etagOf(doc), createdAt: now, updatedAt: now, uniqueKey: String(doc.title) });
      } catch (error) {
        if (error instanceof UniqueViolation) throw importFailed(item, 'title', `${item.id} or another resource titled "${String(doc.title)}" was created meanwhile; retry the import`);
        throw error;
      }
      await deps.audit.record(request, { action: 'create', after: doc }, { ...audit, within: trx });
      results.set(item.index, doc);
    }
    return items.map((item) => results.get(item.index) as JsonObject);
  });
}

function parsePayload(payload: Record<string, unknown>[], tenantId: string, registry: RegistryView): ImportItem[] {
  const problems = new ProblemList();
  const parsed: ImportItem[] = [];
  const sources = new Set<string>([tenantPlaceholder]);
  const seen = new Set<string>();
  payload.forEach((body, index) => {
    const id = problems.string(body, '$id', `/${index}/$id`, true);
    problems.string(body, 'title', `/${index}/title`, true);
    if (id === undefined) return;
    const match = tenantIdPattern.exec(id);
    const type = typesBySegment[match?.[2] ?? ''];
    if (registry.find(id)?.container === 'global') problems.add(`/${index}/$id`, `${id} is a standard XDM resource; every sandbox has it, so it cannot be imported`);
    else if (!match || !type) problems.add(`/${index}/$id`, 'must be a tenant resource id: https://ns.adobe.com/{TENANT_ID}/{schemas|mixins|datatypes|classes}/{id}');
    else if (seen.has(id)) problems.add(`/${index}/$id`, `${id} appears more than once in the payload`);
    else if (body['meta:resourceType'] !== undefined && body['meta:resourceType'] !== type.resourceType) {
      problems.add(`/${index}/meta:resourceType`, `is ${String(body['meta:resourceType'])} but the $id names ${type.resourceType}`);
    } else {
      seen.add(id);
      sources.add(match[1] as string);
      parsed.push({ index, id, type, body: body as JsonObject });
    }
  });
  for (const source of sources) {
    // A "tenant" that standard resources live under (xdm, experience, ...) would turn their references into tenant ones.
    const standard = [...mentionedIds(payload as JsonValue)].find((id) => id.startsWith(`https://ns.adobe.com/${source}/`) && registry.find(id)?.container === 'global');
    if (standard && source !== tenantId) problems.add('', `"${source}" is the namespace of standard resources such as ${standard}, not a tenant id`);
  }
  problems.throwIfAny('The import payload is not valid');
  const move = (value: JsonValue): JsonValue => [...sources].reduce((moved, source) => rewriteTenant(moved, source, tenantId), value);
  return parsed.map((item) => ({ ...item, id: move(item.id) as string, body: move(item.body) as JsonObject }));
}

/**
 * The store keeps resource ids unique across sandboxes, while an org's sandboxes share its tenant id: a resource
 * imported into a second sandbox of the same org would take the id it has in the first. Such a resource gets an
 * id derived from the original and this sandbox (the same on every import, so a repeated import finds it), and
 * the payload's references to it follow.
 */
async function rekeyTaken(items: ImportItem[], repo: ResourcesRepository, index: RegistryDocumentsRepository, scope: Scope): Promise<ImportItem[]> {
  const renamed = new Map<string, string>();
  const here = await index.kindsOf(scope, tenantKinds, items.map((item) => item.id));
  for (const item of items) {
    if (here.has(item.id) || !(await repo.idTaken(item.type.kind, item.id))) continue;
    const hex = item.id.slice(item.id.lastIndexOf('/') + 1);
    const derived = crypto.createHash('sha256').update(`${item.id}|${scope.sandboxId}`).digest('hex').slice(0, Math.max(hex.length, 32));
    renamed.set(item.id, `${item.id.slice(0, item.id.lastIndexOf('/') + 1)}${derived}`);
  }
  if (renamed.size === 0) return items;
  const rename = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') {
      const [base = '', ...fragment] = value.split('#');
      const target = renamed.get(base);
      return target === undefined ? value : [target, ...fragment].join('#');
    }
    if (Array.isArray(value)) return value.map(rename);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, rename(child as JsonValue)]));
    return value;
  };
  return items.map((item) => ({ ...item, id: renamed.get(item.id) ?? item.id, body: rename(item.body) as JsonObject }));
}

/** Each resource after the payload's resources it names; a payload whose resources name each other in a circle is refused. */
function creationOrder(items: ImportItem[]): ImportItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const order: ImportItem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: ImportItem, trail: string[]) => {
    const current = state.get(item.id);
    if (current === 'done') return;
    if (current === 'visiting') {
      throw new ApiError('validation', `The payload's resources refer to each other in a circle: ${[...trail, item.id].join(' -> ')}`, {
        problems: [{ in: 'body', path: `/${item.index}/$id`, message: 'is part of a circular reference' }],
      });
    }
    state.set(item.id, 'visiting');
    for (const id of mentionedIds(item.body)) {
      const dependency = byId.get(id);
      if (dependency && dependency !== item) visit(dependency, [...trail, item.id]);
    }
    state.set(item.id, 'done');
    order.push(item);
  };
  for (const item of items) visit(item, []);
  return order;
}

/** The resource as this sandbox would store it; its problems are named by their place in the payload. */
function build(request: FastifyRequest, item: ImportItem, registry: RegistryView, now: number): JsonObject {
  try {
    // As for an update, the stored $id is kept; a stub without a version makes it version 1.0 with fresh metadata.
    return buildTenantComponent({ type: item.type, body: item.body, ctx: request.ctx, registry, now, existing: { $id: item.id } });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new ApiError(error.key, `Resource ${item.index} (${item.id}): ${error.message}`, {
      problems: error.problems.map((p) => ({ ...p, path: `/${item.index}${p.path}` })),
      report: error.report,
    });
  }
}

function importFailed(item: ImportItem, field: string, reason: string): ApiError {
  return new ApiError('importFailed', `Failed to import resources. Error: ${reason}.`, {
    problems: [{ in: 'body', path: `/${item.index}/${field}`, message: reason }],
    report: { id: item.id },
  });
}

function contentOf(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) if (!recomputed.has(key)) out[key] = value as JsonValue;
  return out;
}

function etagOf(doc: JsonObject): string {
  const metadata = doc['meta:registryMetadata'];
  return isRecord(metadata) && typeof metadata.eTag === 'string' ? metadata.eTag : '';
}
