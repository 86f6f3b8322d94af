import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { applyPatch, parsePatch } from '../../server/json-patch/apply-json-patch.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import { targetConnectionsForDataSet } from '../flowservice/target-connections.js';
import { batchKind } from './batches.js';
import { CatalogListQuery, catalogListResponse, project } from './catalog-listing.js';
import { buildDataSet, dataSetKind } from './datasets.js';

const base = '/data/foundation/catalog';
const ObjectQuery = Type.Object({
  properties: Type.Optional(Type.String()),
  // A batch here has no sub-batches: its root-level status, metrics and errors already are the aggregate.
  aggregate: Type.Optional(QueryBoolean({ description: 'Batches: answer the aggregated status, metrics and errors at the root level.' })),
});
const CreateQuery = Type.Object({ requestDataSource: Type.Optional(QueryBoolean()) });
const tags = ['catalog'];

export function registerCatalogRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const repo = new ResourcesRepository(deps.db);

  for (const [path, kind] of [['dataSets', dataSetKind], ['batches', batchKind]] as const) {
    app.get<{ Querystring: CatalogListQuery }>(`${base}/${path}`, { schema: { tags, querystring: CatalogListQuery } }, async (request) => {
      const stored = await repo.list(kind, request.ctx.scope);
      return catalogListResponse(stored.map((s) => s.body as Record<string, unknown>), request.query);
    });
    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ObjectQuery> }>(
      `${base}/${path}/:id`,
      { schema: { tags, params: IdParams, querystring: ObjectQuery } },
      async (request) => {
        const stored = await repo.get(kind, request.ctx.scope, request.params.id);
        if (!stored) throw notFound(path, request.params.id);
        return { [stored.id]: project(stored.body as Record<string, unknown>, request.query.properties) };
      },
    );
  }

  app.post<{ Body: Record<string, unknown>; Querystring: Static<typeof CreateQuery> }>(
    `${base}/dataSets`,
    { schema: { tags, querystring: CreateQuery, body: Type.Object({}, { additionalProperties: true }) } },
    async (request, reply) => {
      const now = deps.now();
      const dataSet = await buildDataSet(request.body, request.ctx, repo, now);
      if (request.query.requestDataSource) dataSet.dataSourceId = Math.floor(now / 1000) % 100000 + 10000;
      const id = String(dataSet.id);
      await repo.insert(request.ctx.scope, { kind: dataSetKind, id, body: dataSet, secret: null, etag: String(dataSet.version), createdAt: now, updatedAt: now });
      void reply.header('location', `${base}/dataSets/${id}`);
      return reply.status(201).send([`@/dataSets/${id}`]);
    },
  );

  const update = async (scopeCtx: Parameters<typeof buildDataSet>[1], id: string, edit: (current: Record<string, unknown>) => Record<string, unknown>, ifMatch: string | undefined) => {
    const stored = await repo.get(dataSetKind, scopeCtx.scope, id);
    if (!stored) throw notFound('dataSets', id);
    const current = stored.body as Record<string, unknown>;
    if (ifMatch !== undefined && ifMatch.replace(/"/g, '') !== String(current.version)) {
      throw new ApiError('etagMismatch', `if-match ${ifMatch} does not match the dataset's version ${String(current.version)}.`);
    }
    const now = deps.now();
    const next = await buildDataSet(edit(current), scopeCtx, repo, now, current);
    const schemaOf = (d: Record<string, unknown>) => (isRecord(d.schemaRef) ? d.schemaRef.id : undefined);
    if (schemaOf(next) !== schemaOf(current)) {
      // Flows check that their mapping writes the dataset's schema; changing it under them would break that.
      const targets = await targetConnectionsForDataSet(repo, scopeCtx.scope, id);
      if (targets.length > 0) {
        throw new ApiError('inUse', `dataset ${id} is the target of connection(s) ${targets.join(', ')}; its schema cannot change while they use it.`, {
          problems: [{ in: 'body', path: '/schemaRef/id', message: 'cannot change while target connections use the dataset' }],
        });
      }
    }
    if (!(await repo.update(scopeCtx.scope, { ...stored, body: next, etag: String(next.version), updatedAt: now }, stored.etag))) {
      throw new ApiError('conflict', `dataset ${id} was changed by another request; retry.`);
    }
    return [`@/dataSets/${id}`];
  };
  const ifMatchOf = (headers: Record<string, unknown>) => (typeof headers['if-match'] === 'string' ? headers['if-match'] : undefined);

  app.put<{ Params: Static<typeof IdParams>; Body: Record<string, unknown> }>(
    `${base}/dataSets/:id`,
    { schema: { tags, params: IdParams, body: Type.Object({}, { additionalProperties: true }) } },
    async (request) => update(request.ctx, request.params.id, (current) => ({ ...keep(current), ...request.body }), ifMatchOf(request.headers)),
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: unknown }>(`${base}/dataSets/:id`, { schema: { tags, params: IdParams } }, async (request) => {
    // Catalog PATCH takes a partial object; with application/json-patch+json it is a JSON Patch.
    const body = request.body;
    const edit = Array.isArray(body)
      ? (current: Record<string, unknown>) => applyPatch(current, parsePatch(body))
      : (current: Record<string, unknown>) => {
          if (!isRecord(body)) throw new ApiError('validation', 'A dataset PATCH body is a partial dataset object or a JSON Patch array.');
          return { ...current, ...body };
        };
    return update(request.ctx, request.params.id, edit, ifMatchOf(request.headers));
  });

  app.delete<{ Params: Static<typeof IdParams> }>(`${base}/dataSets/:id`, { schema: { tags, params: IdParams } }, async (request) => {
    const stored = await repo.get(dataSetKind, request.ctx.scope, request.params.id);
    if (!stored) throw notFound('dataSets', request.params.id);
    const targets = await targetConnectionsForDataSet(repo, request.ctx.scope, request.params.id);
    if (targets.length > 0) {
      throw new ApiError('inUse', `dataset ${request.params.id} is the target of connection(s) ${targets.join(', ')}; delete those first.`);
    }
    await repo.delete(dataSetKind, request.ctx.scope, request.params.id);
    return [`@/dataSets/${request.params.id}`];
  });
}

/** PUT replaces what the client owns and keeps what the catalog owns. */
function keep(current: Record<string, unknown>): Record<string, unknown> {
  const { name: _n, description: _d, tags: _t, enableErrorDiagnostics: _e, fileDescription: _f, ...owned } = current;
  return owned;
}
