import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import { ResourcesRepository, type Scope } from '../../store/resources.repository.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import type { ServiceDeps } from '../service-deps.js';
import { Descriptor, DescriptorBody, DescriptorList, DescriptorReplaced } from './descriptor.schema.js';
import { buildDescriptor, descriptorKind, schemasNamedBy } from './descriptors.js';
import { Registry } from './registry.js';
import { RegistryRepository, storedXdmDocument } from './registry.repository.js';
import { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { descriptorRules, PageCandidates, registryFilters, registryPage } from './registry-listing.js';
import { matchesFilter, type PropertyFilter } from '../../server/listing/property-filter.js';

const base = '/data/foundation/schemaregistry';
const ContainerParams = Type.Object({ container: Type.Union([Type.Literal('global'), Type.Literal('tenant')], { description: 'Descriptors live in tenant; global has none' }) });
const tags = ['schemaregistry'];
const DescriptorListQuery = Type.Object({
  property: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Filters such as xdm:sourceSchema==<schema $id> or @type==xdm:descriptorIdentity; several must all hold' })),
  orderby: Type.Optional(Type.String({ description: 'xdm-v2 lists: fields to sort by, "-" before one for descending (default @id)' })),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, description: 'xdm-v2 lists: how many descriptors a page holds (a hint; 0 or none: the most a page holds, 300)' })),
  start: Type.Optional(Type.String({ description: 'xdm-v2 lists: the value of the first orderby field to start at (the _page.next of the page before)' })),
});

/** A descriptor as the `-link` Accept forms show it: its path. */
const descriptorLink = (d: JsonObject) => `/tenant/descriptors/${String(d['@id'])}`;

/** What a list grouped by `@type` shows of each descriptor, by the Accept header; an Accept it has no form for is refused. */
function groupedValue(accept: string): (d: JsonObject) => unknown {
  if (accept.includes('xdm-link')) return descriptorLink;
  if (accept.includes('vnd.adobe.xdm+json')) return (d) => d;
  if (accept.includes('xdm-id') || accept.includes('*/*') || accept.includes('application/json')) return (d) => d['@id'];
  throw new ApiError('descriptorAcceptInvalid', `Accept "${accept}" is not a descriptor list type; use application/vnd.adobe.xdm-id+json, xdm-link+json, xdm+json or xdm-v2+json.`, {
    problems: [{ in: 'header', path: 'accept', message: 'unsupported media type' }],
  });
}

/** Descriptors: identity, relationship and display metadata about schema fields. Accept types use `xdm`. */
export function registerDescriptorRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const repo = new ResourcesRepository(deps.db);
  const documents = new RegistryRepository(repo);
  const documentIndex = new RegistryDocumentsRepository(deps.db);
  const body = (request: FastifyRequest) => request.body as Record<string, unknown>;
  const descriptorsOf = async (scope: Scope, schemaIds: readonly string[]) => (await documents.getMany(descriptorKind, scope, await documentIndex.descriptorIds(scope, descriptorKind, schemaIds))).map((d) => d.body);
  /** A page of the sandbox's descriptors: a schema's by their index rows, or all of them read 500 at a time. */
  const descriptorPage = async (scope: Scope, query: Static<typeof DescriptorListQuery>, bySchema: PropertyFilter | undefined) => {
    const candidates = new PageCandidates(query, descriptorRules);
    if (bySchema) candidates.offer(await descriptorsOf(scope, bySchema.values));
    else for await (const stretch of repo.inStretches(descriptorKind, scope)) candidates.offer(stretch.map((stored) => storedXdmDocument(stored).body));
    return candidates.page();
  };

  app.get<{ Params: Static<typeof ContainerParams>; Querystring: Static<typeof DescriptorListQuery> }>(`${base}/:container/descriptors`, { schema: { tags, summary: 'List descriptors', params: ContainerParams, querystring: DescriptorListQuery, response: { 200: DescriptorList, ...errorAnswers('descriptorAcceptInvalid', 'badFilter', 'operatorNotImplemented', 'badOrderBy') } } }, async (request) => {
    const filters = registryFilters(request.query);
    // A schema's descriptors (the usual filter) are found by their index rows.
    const bySchema = filters.find((filter) => filter.path === 'xdm:sourceSchema' && filter.operator === '==');
    const scope = request.ctx.scope;
    const tenant = request.params.container === 'tenant';
    // Adobe's own Postman collection lists descriptors with `xed-id`, the type every other registry list takes:
    // the `xed` spellings are read as their `xdm` twins.
    const accept = (request.headers.accept ?? 'application/vnd.adobe.xdm-id+json').toLowerCase().replaceAll('vnd.adobe.xed', 'vnd.adobe.xdm');
    if (accept.includes('xdm-v2')) {
      const present = accept.includes('-id') ? (d: JsonObject) => d['@id'] : accept.includes('-link') ? descriptorLink : (d: JsonObject) => d;
      const { page, next } = tenant ? await descriptorPage(scope, request.query, bySchema) : { page: [], next: null };
      return registryPage(page, next, request.query, present, `${base}/${request.params.container}/descriptors`, descriptorRules);
    }
    // Grouped by @type, the list has no pages: it answers with every descriptor that passes the filters.
    const value = groupedValue(accept);
    const candidates = !tenant ? [] : bySchema ? await descriptorsOf(scope, bySchema.values) : (await documents.list(descriptorKind, scope)).map((d) => d.body);
    const out: Record<string, unknown[]> = {};
    for (const d of candidates) if (filters.every((filter) => matchesFilter(d, filter))) (out[String(d['@type'])] ??= []).push(value(d));
    return out;
  });

  app.get<{ Params: Static<typeof IdParams> }>(`${base}/tenant/descriptors/:id`, { schema: { tags, summary: 'Look up a descriptor', params: IdParams, response: { 200: Descriptor, ...errorAnswers('notFound') } } }, async (request) => {
    const stored = await documents.get(descriptorKind, request.ctx.scope, request.params.id);
    if (!stored) throw notFound('descriptors', request.params.id);
    return stored.body;
  });

  app.post(`${base}/tenant/descriptors`, { schema: { tags, summary: 'Create a descriptor', body: DescriptorBody, response: { 201: Descriptor, ...errorAnswers('validation', 'unknownReference') } } }, async (request, reply) => {
    const registry = await Registry.ofSchemas(repo, request.ctx.scope, schemasNamedBy(body(request)), { descriptors: true });
    const descriptor = buildDescriptor(body(request), request.ctx, registry);
    const now = deps.now();
    await repo.insert(request.ctx.scope, { kind: descriptorKind, id: String(descriptor['@id']), body: descriptor, secret: null, etag: String(now), createdAt: now, updatedAt: now });
    return reply.status(201).send(descriptor);
  });

  app.put<{ Params: Static<typeof IdParams> }>(`${base}/tenant/descriptors/:id`, { schema: { tags, summary: 'Replace a descriptor', params: IdParams, body: DescriptorBody, response: { 201: DescriptorReplaced, ...errorAnswers('validation', 'unknownReference', 'notFound', 'conflict') } } }, async (request, reply) => {
    const stored = await repo.get(descriptorKind, request.ctx.scope, request.params.id);
    if (!stored) throw notFound('descriptors', request.params.id);
    const registry = await Registry.ofSchemas(repo, request.ctx.scope, schemasNamedBy(body(request)), { descriptors: true });
    const descriptor = buildDescriptor(body(request), request.ctx, registry, stored.id);
    const now = deps.now();
    if (!(await repo.update(request.ctx.scope, { ...stored, body: descriptor, etag: String(now), updatedAt: now }, stored.etag))) {
      throw new ApiError('conflict', `descriptor ${stored.id} was changed by another request; retry.`);
    }
    return reply.status(201).send({ '@id': stored.id });
  });

  app.delete<{ Params: Static<typeof IdParams> }>(`${base}/tenant/descriptors/:id`, { schema: { tags, summary: 'Delete a descriptor', params: IdParams, response: { 204: { type: 'null', description: 'Deleted' }, ...errorAnswers('notFound') } } }, async (request, reply) => {
    if (!(await repo.delete(descriptorKind, request.ctx.scope, request.params.id))) throw notFound('descriptors', request.params.id);
    return reply.status(204).send();
  });
}
