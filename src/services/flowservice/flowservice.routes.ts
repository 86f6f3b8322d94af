import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import { connections } from './connections.js';
import { flowBase, registerFlowCollection, requireEtag } from './flow-collection.routes.js';
import { headerValue, IdParams } from '../../server/request-parts.js';
import { flowListResponse, type FlowListQuery } from './flow-listing.js';
import { newEtag, touchedAudit } from './flow-object.js';
import { flows } from './flows.js';
import { FlowsRepository } from './flows.repository.js';
import { sourceConnections } from './source-connections.js';
import { connectionSpecs, flowSpecs } from './specs/builtin-specs.js';
import { targetConnections } from './target-connections.js';
import { registerRunRoutes } from './runs.routes.js';
import { ConnectionSpecAnswer, FlowSpecAnswer } from './flow-answers.schema.js';
import { flowActionSchema, FlowActionQuery, specSchemas } from './flowservice.route-schemas.js';

export function registerFlowServiceRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const builtIn = [
    { path: 'connectionSpecs', specs: connectionSpecs, schemas: specSchemas('connection spec', 'connection specs', ConnectionSpecAnswer) },
    { path: 'flowSpecs', specs: flowSpecs, schemas: specSchemas('flow spec', 'flow specs', FlowSpecAnswer) },
  ] as const;
  for (const { path, specs, schemas } of builtIn) {
    app.get<{ Querystring: FlowListQuery }>(`${flowBase}/${path}`, { schema: schemas.list }, async (request) =>
      flowListResponse([...specs], request.query, `/${path}`),
    );
    app.get<{ Params: Static<typeof IdParams> }>(`${flowBase}/${path}/:id`, { schema: schemas.get }, async (request) => {
      const spec = specs.find((s) => s.id === request.params.id);
      if (!spec) throw notFound(path, request.params.id);
      return { items: [spec] };
    });
  }

  registerFlowCollection(app, connections, deps);
  registerFlowCollection(app, sourceConnections, deps);
  registerFlowCollection(app, targetConnections, deps);
  registerFlowCollection(app, flows, deps);
  registerRunRoutes(app, deps);

  app.post<{ Params: Static<typeof IdParams>; Querystring: Static<typeof FlowActionQuery> }>(
    `${flowBase}/flows/:id/action`,
    { schema: flowActionSchema },
    async (request) => {
      const { op } = request.query;
      if (op !== 'enable' && op !== 'disable') {
        throw new ApiError('validation', `op "${op}" is not a flow action; use enable or disable.`, {
          problems: [{ in: 'query', path: 'op', message: 'must be enable or disable' }],
        });
      }
      const repo = new ResourcesRepository(deps.db);
      const stored = await new FlowsRepository(deps.db).get(request.ctx.scope, request.params.id);
      if (!stored) throw notFound('flows', request.params.id);
      const ifMatch = headerValue(request.headers['if-match']) ?? request.query['if-match'];
      if (ifMatch) requireEtag(stored.etag, ifMatch);
      const now = deps.now();
      const etag = newEtag();
      const previous = stored.body;
      const body = { ...previous, ...touchedAudit(previous, request.ctx, now), state: op === 'enable' ? 'enabled' : 'disabled', etag };
      if (!(await repo.update(request.ctx.scope, { ...stored, body, etag, updatedAt: now }, stored.etag))) {
        throw new ApiError('etagMismatch', 'The flow changed while the action ran; retry.');
      }
      return { id: stored.id, etag };
    },
  );
}
