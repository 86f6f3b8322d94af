import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { applyPatch, parsePatch } from '../../server/json-patch/apply-json-patch.js';
import { headerValue, IdParams } from '../../server/request-parts.js';
import { RunsRepository } from '../../engine/runs.repository.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import type { FlowCollection, FlowEnv, StoredFlowObject } from './flow-collection.js';
import { flowCollectionSchemas, IfMatchQuery } from './flow-collection.route-schemas.js';
import { FlowListing, type FlowListQuery } from './flow-listing.js';
import { ConnectionsRepository } from './connections.repository.js';
import { FlowsRepository } from './flows.repository.js';
import { newAudit, newEtag, touchedAudit } from './flow-object.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';
import { flowBase } from './flow-base.js';

/**
 * The routes every Flow Service object collection has (connections, source and target connections, flows): list,
 * look up, create, patch with If-Match, delete unless in use. What differs between them is the collection's own
 * (`FlowCollection`): its checks, its presentation, what it derives and who uses it. Each resource's routes file
 * (`flows.routes.ts`, `connections.routes.ts`) registers its collections through this and adds its own routes.
 */
export function registerCollectionRoutes<S extends StoredFlowObject>(app: FastifyInstance, collection: FlowCollection<S>, deps: ServiceDeps): void {
  const path = `${flowBase}/${collection.path}`;
  const schemas = flowCollectionSchemas(collection);
  const env = (request: FastifyRequest): FlowEnv => ({
    ctx: request.ctx,
    repo: new ResourcesRepository(deps.db),
    runs: new RunsRepository(deps.db),
    flows: new FlowsRepository(deps.db),
    connections: new ConnectionsRepository(deps.db),
    secretBox: deps.secretBox,
    now: deps.now(),
    fileRoots: deps.fileRoots,
    origin: `${request.protocol}://${request.host}`,
  });
  const present = (stored: S, e: FlowEnv) => (collection.present ? collection.present(stored, e) : Promise.resolve({ ...stored.body, version: stored.etag }));
  const load = async (e: FlowEnv, id: string): Promise<S> => {
    const stored = await collection.get(id, e);
    if (!stored) throw notFound(collection.resourceName, id);
    return stored;
  };

  app.get<{ Querystring: FlowListQuery }>(path, { schema: schemas.list }, async (request) => {
    const e = env(request);
    const listing = FlowListing.of(request.query);
    const listed = await collection.list(listing, e, `/${collection.path}`);
    if ('count' in listed) return listed;
    const paging = collection.paging;
    if ('page' in listed) {
      const items = paging ? await paging.presentAll(listed.page, e) : await Promise.all(listed.page.map((s) => present(s, e)));
      return { items, _links: listed.links };
    }
    // What the index could not express is filtered, sorted and paged here, over what its filters left, a stretch
    // at a time, holding only the page and one more.
    const fields = listing.fields();
    if (paging && !paging.derivedFields.some((field) => fields.has(field))) {
      const selector = listing.selector((s: S) => paging.storedView(s));
      for await (const stretch of listed.narrowed) selector.offer(stretch);
      const selected = selector.result(`/${collection.path}`);
      return 'count' in selected ? selected : { items: await paging.presentAll(selected.rows, e), _links: selected.links };
    }
    // A filter or order on a derived field (a flow's last run) reads it for each stretch's objects.
    const selector = listing.selector((item: Record<string, unknown>) => item);
    for await (const stretch of listed.narrowed) selector.offer(paging ? await paging.presentAll(stretch, e) : await Promise.all(stretch.map((s) => present(s, e))));
    const selected = selector.result(`/${collection.path}`);
    return 'count' in selected ? selected : { items: selected.rows, _links: selected.links };
  });

  app.get<{ Params: Static<typeof IdParams> }>(`${path}/:id`, { schema: schemas.get }, async (request) => {
    const e = env(request);
    return { items: [await present(await load(e, request.params.id), e)] };
  });

  app.post<{ Body: Record<string, unknown> }>(
    path,
    // The handler checks the body field by field: before it, a body need only be a JSON object, as always.
    { schema: schemas.create, validatorCompiler: handlerValidatedBody('object') },
    async (request, reply) => {
      const e = env(request);
      collection.rejectOnCreate?.(request.body);
      const prepared = await collection.prepare(request.body, e);
      const id = crypto.randomUUID();
      const etag = newEtag();
      const body = { ...newAudit(e.ctx, id, e.now), ...prepared.fields, etag };
      await e.repo.insert(e.ctx.scope, { kind: collection.kind, id, body, secret: prepared.secret, etag, createdAt: e.now, updatedAt: e.now });
      void reply.header('location', `${path}/${id}`);
      return reply.status(201).send({ id, etag });
    },
  );

  app.patch<{ Params: Static<typeof IdParams>; Querystring: Static<typeof IfMatchQuery>; Body: unknown }>(
    `${path}/:id`,
    // parsePatch reads the body, with its own error codes: it is not validated before.
    { schema: schemas.update, validatorCompiler: handlerValidatedBody('nothing') },
    async (request) => {
      const e = env(request);
      // Adobe's Postman samples send if-match as a query parameter; the docs send the header.
      const ifMatch = headerValue(request.headers['if-match']) ?? request.query['if-match'];
      if (!ifMatch) {
        throw new ApiError('ifMatchMissing', 'The If-Match header is required to update a resource; send the etag from the last GET.', {
          problems: [{ in: 'header', path: 'if-match', message: 'is required' }],
        });
      }
      const stored = await load(e, request.params.id);
      requireEtag(stored.etag, ifMatch);
      const ops = parsePatch(request.body, ['add', 'replace', 'remove']);
      if (ops.length === 0) throw new ApiError('emptyBody', 'The patch has no operations; nothing was changed.');
      ops.forEach((op, index) => {
        const field = op.path.split('/')[1] ?? '';
        if (!collection.patchable.includes(field)) {
          throw new ApiError('readOnlyField', `"${op.path}" cannot be changed; patchable fields are ${collection.patchable.join(', ')}.`, {
            problems: [{ in: 'body', path: `/${index}/path`, message: `"${field}" is not patchable` }],
          });
        }
      });
      const edited = applyPatch(collection.editable(stored, e), ops);
      const prepared = await collection.prepare(edited, e, stored);
      const previous = stored.body;
      const etag = newEtag();
      const extra = collection.onUpdate?.(prepared.fields, ops, e) ?? {};
      const body: Record<string, unknown> = { ...touchedAudit(previous, e.ctx, e.now), ...prepared.fields, ...extra, etag };
      for (const key of collection.patchable) if (!(key in prepared.fields)) delete body[key];
      const updated = await e.repo.update(e.ctx.scope, { ...stored, body, secret: prepared.secret, etag, updatedAt: e.now }, stored.etag);
      if (!updated) throw staleEtag();
      return { id: stored.id, etag };
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(`${path}/:id`, { schema: schemas.remove }, async (request, reply) => {
    const e = env(request);
    await load(e, request.params.id);
    const users = await collection.usedBy(request.params.id, e);
    if (users.length > 0) {
      throw new ApiError('inUse', `The ${collection.resourceName} resource ${request.params.id} is still used by ${users.join(', ')}; delete or change those first.`, {
        report: { id: request.params.id, usedBy: users },
      });
    }
    await e.repo.delete(collection.kind, e.ctx.scope, request.params.id);
    await collection.onDelete?.(request.params.id, e);
    return reply.status(204).send();
  });
}

export function requireEtag(current: string, ifMatch: string): void {
  // Accept the etag with or without its quotes: curl users often lose them in shell quoting.
  const strip = (value: string) => value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (strip(current) !== strip(ifMatch)) throw staleEtag();
}

function staleEtag(): ApiError {
  return new ApiError('etagMismatch', 'The If-Match etag does not match the current version of the resource; GET it again and retry.', {
    problems: [{ in: 'header', path: 'if-match', message: 'is stale' }],
  });
}
