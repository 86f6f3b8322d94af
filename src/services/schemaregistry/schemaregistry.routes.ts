import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { applyPatch, parsePatch } from '../../server/json-patch/apply-json-patch.js';
import { ResourcesRepository, type Scope } from '../../store/resources.repository.js';
import { resolveFull } from '../../xdm/resolve-full.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { breakingChanges } from '../../xdm/breaking-changes.js';
import { dataSetsUsingSchema } from '../catalog/datasets.js';
import { mappingSetsUsingSchema } from '../conversion/mapping-sets.js';
import { descriptorKind } from './descriptors.js';
import type { ServiceDeps } from '../service-deps.js';
import { listFormat, lookupFormat, mediaTypeOf, type XedFormat } from './accept-header.js';
import { registerDescriptorRoutes } from './descriptors.routes.js';
import { RegistryAuditLog } from './audit-log.js';
import { registerRegistryRpcRoutes } from './registry-rpc.routes.js';
import { Registry, type RegistryView, type UnionOwner, type UnionsView, type UpdateView } from './registry.js';
import { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { RegistryListQuery, registryListResponse, titleOrder } from './registry-listing.js';
import { shape, summaryOf } from './registry-presentation.js';
import { fieldOrderList, titleList } from './tenant-lists.js';
import { registryStats } from './registry-stats.js';
import { RegistryRepository, type StoredXdmDocument } from './registry.repository.js';
import { titleHolder } from './title-holder.js';
import { classOfUnion } from './unions.js';
import { findStandard, standardComponents } from '../../xdm/standard/standard-library.js';
import { registryTypes, schemaKind, type RegistryType } from './registry-types.js';
import { RegistryStats } from './registry-stats.schema.js';
import { buildTenantComponent } from './tenant-components.js';
import { lookupAnswer, TenantXdmResource, XdmResourceBody, XdmResourceList, XdmResourcePatch } from './xdm-resource.schema.js';

export const registryBase = '/data/foundation/schemaregistry';
const Container = Type.Union([Type.Literal('global'), Type.Literal('tenant')], { description: 'global: the standard XDM library; tenant: the sandbox\'s own resources' });
const ResourceTypeSegment = Type.String({ description: 'schemas, classes, fieldgroups (or mixins), datatypes, behaviors or unions' });
const ResourceId = Type.String({ description: 'meta:altId or URL-encoded $id' });
const ListParams = Type.Object({ container: Container, type: ResourceTypeSegment });
const LookupParams = Type.Object({ container: Container, type: ResourceTypeSegment, id: ResourceId });
const TenantParams = Type.Object({ type: ResourceTypeSegment, id: ResourceId });
const TypeParams = Type.Object({ type: ResourceTypeSegment });
const tags = ['schemaregistry'];
/** What creating or changing a tenant resource can be refused for. */
const writeErrors = ['validation', 'unknownReference', 'incompatibleComponent', 'notModifiable'] as const;
/** And, for a resource that exists, what an update adds. */
const updateErrors = ['routeNotFound', 'notFound', 'conflict', 'breakingChange'] as const;

export function registerSchemaRegistryRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const repo = new ResourcesRepository(deps.db);
  const documentIndex = new RegistryDocumentsRepository(deps.db);
  const documents = new RegistryRepository(repo);
  const ownerOf = (request: FastifyRequest): UnionOwner => ({ orgId: request.ctx.orgId, sandboxId: request.ctx.sandbox.id, sandboxType: request.ctx.sandbox.type });
  const audit = new RegistryAuditLog(deps.db, deps.now);

  app.get(`${registryBase}/stats`, { schema: { tags, summary: "Count the sandbox's own resources and list the latest changes", response: { 200: RegistryStats } } }, async (request) => {
    return registryStats(repo, request.ctx, documentIndex);
  });

  registerDescriptorRoutes(app, deps);
  registerRegistryRpcRoutes(app, deps, audit);

  app.get<{ Params: Static<typeof ListParams>; Querystring: RegistryListQuery }>(
    `${registryBase}/:container/:type`,
    {
      schema: {
        tags,
        summary: 'List the resources of one type in a container',
        params: ListParams,
        querystring: RegistryListQuery,
        response: { 200: XdmResourceList, ...errorAnswers('acceptInvalid', 'badOrderBy', 'badFilter', 'operatorNotImplemented', 'routeNotFound') },
      },
    },
    async (request) => {
      const type = typeOf(request.params.type);
      const format = listFormat(request.headers.accept);
      const selfPath = `${registryBase}/${request.params.container}/${request.params.type}`;
      const presenter = (registry: RegistryView) => (doc: JsonObject): JsonObject => (format.id ? summaryOf(doc) : shape(doc, format, registry));
      // The standard library needs nothing of the sandbox; there are no global unions.
      if (request.params.container === 'global') {
        const docs = type.resourceType === 'unions' ? [] : standardComponents(type.resourceType);
        return registryListResponse(docs, request.query, presenter(Registry.standardOnly()), selfPath);
      }
      if (type.resourceType === 'unions') {
        const registry = await Registry.ofUnions(repo, request.ctx.scope);
        return registryListResponse(registry.unions(ownerOf(request)), request.query, presenter(registry), selfPath);
      }
      const order = titleOrder(request.query);
      // By title (the default): the page is read through the index, then only its documents.
      if (order) return titleList({ resources: repo, index: documentIndex }, request.ctx.scope, type.kind, { query: request.query, order, format, selfPath });
      // Ordered by another field of the bodies: the kind is read a stretch at a time, keeping what the page needs.
      return fieldOrderList({ resources: repo, index: documentIndex }, request.ctx.scope, type.kind, { query: request.query, format, selfPath });
    },
  );

  app.get<{ Params: Static<typeof LookupParams> }>(
    `${registryBase}/:container/:type/:id`,
    {
      schema: {
        tags,
        summary: 'Look up a resource',
        params: LookupParams,
        response: { 200: lookupAnswer(), ...errorAnswers('acceptMissingVersion', 'notFound', 'routeNotFound', 'notAcceptable') },
      },
    },
    async (request, reply) => {
      const type = typeOf(request.params.type);
      const format = lookupFormat(request.headers.accept);
      const { found, registry } = await lookUp(request, type, format);
      if (!found) throw notFound(request.params.type, request.params.id);
      const major = Number.parseInt(String(found.version ?? '1'), 10);
      if (format.version !== undefined && format.version !== major) {
        throw new ApiError('notFound', `Requested resource ${request.params.id} with version ${format.version} is not found; its version is ${String(found.version)}.`, {
          report: { id: request.params.id },
        });
      }
      void reply.header('content-type', mediaTypeOf(format));
      return format.id ? summaryOf(found) : shape(found, format, registry);
    },
  );

  /** The sandbox's own resource of a type, by `$id` or `meta:altId`, found through the index. */
  async function tenantEntry(scope: Scope, type: RegistryType, idOrAltId: string): Promise<StoredXdmDocument | undefined> {
    const hit = await documentIndex.find(scope, [type.kind], idOrAltId);
    const document = hit ? await documents.get(hit.kind, scope, hit.id) : undefined;
    return document?.body['meta:resourceType'] === type.resourceType ? document : undefined;
  }

  /** Titles are unique per type in a sandbox (`titleHolder`). */
  async function ensureUniqueTitle(request: FastifyRequest, type: RegistryType, doc: JsonObject): Promise<void> {
    const clash = await titleHolder(repo, documentIndex, request.ctx.scope, type.kind, doc.title, doc.$id);
    if (clash) {
      throw new ApiError('conflict', `A ${type.resourceType} resource titled "${String(doc.title)}" already exists (${clash}); titles are unique in a sandbox.`, {
        problems: [{ in: 'body', path: '/title', message: 'is already used' }],
      });
    }
  }

  /**
   * One resource and a view to present it with. A union is derived from the sandbox's Profile schemas (found by
   * their index rows); any other resource is found through the index, with the components it builds on.
   */
  async function lookUp(request: FastifyRequest<{ Params: Static<typeof LookupParams> }>, type: RegistryType, format: XedFormat): Promise<{ found: JsonObject | undefined; registry: RegistryView }> {
    const { container, id } = request.params;
    const union = container === 'tenant' && (type.resourceType === 'unions' || (type.resourceType === 'schemas' && classOfUnion(id) !== undefined));
    const scope = request.ctx.scope;
    if (union) {
      const registry = await Registry.ofUnions(repo, scope);
      return { found: lookedUp(registry, type, request.params, ownerOf(request)), registry };
    }
    if (container === 'global') {
      const standard = findStandard(id);
      const found = standard && standard['meta:resourceType'] === type.resourceType ? standard : undefined;
      return { found, registry: Registry.standardOnly() };
    }
    const found = await tenantEntry(scope, type, id);
    return { found: found?.body, registry: await Registry.around(repo, documentIndex, scope, found ? [found] : [], { resolve: format.full, descriptors: format.desc }) };
  }

  app.post<{ Params: Static<typeof TypeParams>; Body: Record<string, unknown> }>(
    `${registryBase}/tenant/:type`,
    {
      schema: {
        tags,
        summary: 'Create a class, field group, data type or schema in the sandbox',
        params: TypeParams,
        body: XdmResourceBody,
        response: { 201: TenantXdmResource, ...errorAnswers(...writeErrors, 'routeNotFound', 'conflict') },
      },
    },
    async (request, reply) => {
      const type = writableType(request.params.type);
      // What the body names and what that builds on, not the sandbox's every component.
      const registry = await Registry.forBody(repo, request.ctx.scope, request.body);
      const now = deps.now();
      const doc = buildTenantComponent({ type, body: request.body, ctx: request.ctx, registry, now });
      await ensureUniqueTitle(request, type, doc);
      await repo.insert(request.ctx.scope, { kind: type.kind, id: String(doc.$id), body: doc, secret: null, etag: etagOf(doc), createdAt: now, updatedAt: now, uniqueKey: String(doc.title) });
      await audit.record(request, { action: 'create', after: doc });
      return reply.status(201).send(doc);
    },
  );

  const update = async (request: FastifyRequest<{ Params: Static<typeof TenantParams> }>, edit: (doc: JsonObject) => Record<string, unknown>) => {
    const type = writableType(request.params.type);
    const entry = await tenantEntry(request.ctx.scope, type, request.params.id);
    if (!entry) throw notFound(request.params.type, request.params.id);
    const body = edit(entry.body);
    // The component, the schemas built on it and what the new body names: all an update can change or break.
    const registry = await Registry.forUpdate(repo, request.ctx.scope, entry, body);
    const now = deps.now();
    const doc = buildTenantComponent({ type, body, ctx: request.ctx, registry, now, existing: entry.body });
    await ensureUniqueTitle(request, type, doc);
    keepImmutableTags(entry.body, doc);
    await refuseBreakingChanges(deps.db, request, registry, doc);
    const saved = await repo.update(request.ctx.scope, { ...entry, body: doc, etag: etagOf(doc), updatedAt: now, uniqueKey: String(doc.title) }, entry.etag);
    if (!saved) throw new ApiError('conflict', `${request.params.id} was changed by another request; retry.`);
    await audit.record(request, { action: 'update', before: entry.body, after: doc });
    return doc;
  };

  app.put<{ Params: Static<typeof TenantParams>; Body: Record<string, unknown> }>(
    `${registryBase}/tenant/:type/:id`,
    {
      schema: {
        tags,
        summary: 'Replace a tenant resource',
        params: TenantParams,
        body: XdmResourceBody,
        response: { 200: TenantXdmResource, ...errorAnswers(...writeErrors, ...updateErrors) },
      },
    },
    async (request) => update(request, () => request.body),
  );

  app.patch<{ Params: Static<typeof TenantParams>; Body: unknown }>(
    `${registryBase}/tenant/:type/:id`,
    {
      schema: {
        tags,
        summary: 'Change a tenant resource with a JSON Patch',
        params: TenantParams,
        body: XdmResourcePatch,
        response: { 200: TenantXdmResource, ...errorAnswers(...writeErrors, ...updateErrors, 'emptyBody', 'patchOpUnsupported', 'patchPathMissing', 'patchFailed') },
      },
    },
    async (request) => {
      const ops = parsePatch(request.body);
      if (ops.length === 0) throw new ApiError('emptyBody', 'The patch has no operations.');
      return update(request, (doc) => {
        const patched = applyPatch(doc, ops);
        if (!isRecord(patched)) throw new ApiError('patchFailed', 'The patch must leave an object.');
        return patched;
      });
    },
  );

  app.delete<{ Params: Static<typeof TenantParams> }>(
    `${registryBase}/tenant/:type/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a tenant resource and the descriptors of its fields',
        params: TenantParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorAnswers('routeNotFound', 'notFound', 'notModifiable', 'inUse') },
      },
    },
    async (request, reply) => {
      const type = writableType(request.params.type);
      const { scope } = request.ctx;
      const entry = await tenantEntry(scope, type, request.params.id);
      if (!entry) throw notFound(request.params.type, request.params.id);
      const id = entry.id;
      // Who names it, from the registry's reference rows: components that build on it, descriptors that point at it.
      const referencing = await documentIndex.referencing(scope, id);
      const users = [
        ...referencing.filter((r) => r.kind !== descriptorKind).map((r) => r.id),
        ...(await dataSetsUsingSchema(deps.db, scope, id)).map((d) => `dataset ${d}`),
        ...(await mappingSetsUsingSchema(deps.db, scope, id)).map((m) => `mapping set ${m}`),
        ...referencing.filter((r) => r.kind === descriptorKind).map((r) => `descriptor ${r.id}`),
      ];
      if (users.length > 0) {
        throw new ApiError('inUse', `${id} is still used by ${users.join(', ')}; remove those references first.`, { report: { id, usedBy: users } });
      }
      // Descriptors describe fields of this schema only; they go with it.
      for (const descriptorId of await documentIndex.descriptorIds(scope, descriptorKind, [id])) await repo.delete(descriptorKind, scope, descriptorId);
      await repo.delete(type.kind, scope, id);
      await audit.record(request, { action: 'delete', before: entry.body });
      return reply.status(204).send();
    },
  );
}

/** Once data or mappings rely on a schema, its fields may be added to but not removed or retyped. */
async function refuseBreakingChanges(db: ServiceDeps['db'], request: FastifyRequest, registry: UpdateView, doc: JsonObject): Promise<void> {
  for (const schema of registry.tenantOf(schemaKind)) {
    const current = schema.body;
    const affected = schema.id === doc.$id || registry.dependsOn(current, String(doc.$id));
    if (!affected) continue;
    const users = [...(await dataSetsUsingSchema(db, request.ctx.scope, schema.id)), ...(await mappingSetsUsingSchema(db, request.ctx.scope, schema.id))];
    if (users.length === 0) continue;
    const next = schema.id === doc.$id ? doc : current;
    const problems = breakingChanges(resolveFull(current, registry.lookup), resolveFull(next, registry.lookupWith(doc)));
    if (problems.length > 0) {
      throw new ApiError('breakingChange', `Schema ${schema.id} is used by ${users.join(', ')}; this change would break it: ${problems.join('; ')}. Only additive changes are allowed.`, {
        report: { schema: schema.id, usedBy: users, changes: problems },
      });
    }
  }
}

function keepImmutableTags(before: JsonObject, after: JsonObject): void {
  const tags = Array.isArray(before['meta:immutableTags']) ? before['meta:immutableTags'] : [];
  const kept = Array.isArray(after['meta:immutableTags']) ? after['meta:immutableTags'] : [];
  const dropped = tags.filter((tag) => !kept.includes(tag));
  if (dropped.length > 0) throw new ApiError('notModifiable', `meta:immutableTags ${JSON.stringify(dropped)} cannot be removed once set.`);
}

/** One resource of a container; a union is found through `/unions` and, as AEP documents, through `/schemas`. */
function lookedUp(registry: UnionsView, type: RegistryType, params: { container: 'global' | 'tenant'; id: string }, owner: UnionOwner): JsonObject | undefined {
  if (type.resourceType === 'unions' || type.resourceType === 'schemas') {
    const union = params.container === 'tenant' ? registry.findUnion(params.id, owner) : undefined;
    if (union || type.resourceType === 'unions') return union;
  }
  const entry = registry.find(params.id, type.resourceType);
  return entry && entry.container === params.container ? entry.doc : undefined;
}

function typeOf(segment: string): RegistryType {
  const type = registryTypes[segment];
  if (!type) throw new ApiError('routeNotFound', `"${segment}" is not a registry resource type; use schemas, classes, fieldgroups, mixins, datatypes, behaviors or unions.`);
  return type;
}

function writableType(segment: string): RegistryType {
  const type = typeOf(segment);
  if (!type.tenantWritable) {
    throw new ApiError('notModifiable', type.resourceType === 'unions' ? 'Unions are read-only: add the "union" tag to a schema\'s meta:immutableTags to make it a member.' : `${segment} are part of the global container and cannot be changed.`);
  }
  return type;
}

function etagOf(doc: JsonObject): string {
  const metadata = doc['meta:registryMetadata'];
  return isRecord(metadata) && typeof metadata.eTag === 'string' ? metadata.eTag : '';
}
