import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { headerValue, IdParams } from '../../server/request-parts.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import { registerCollectionRoutes, requireEtag } from './collection-routes.js';
import { flowBase } from './flow-base.js';
import { newEtag, touchedAudit } from './flow-object.js';
import { flows } from './flows.js';
import { FlowsRepository } from './flows.repository.js';
import { flowActionSchema, FlowActionQuery } from './flowservice.route-schemas.js';

/**
 * Dataflows: `/flows` (list, look up, create, patch, delete: the collection routes over `flows.ts`, which checks a
 * flow and presents it with its inherited attributes and last run) and `POST /flows/{id}/action?op=enable|disable`.
 * A flow's runs are under `/runs` (`runs.routes.ts`).
 */
export function registerFlowRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  registerCollectionRoutes(app, flows, deps);

  app.post<{ Params: Static<typeof IdParams>; Querystring: Static<typeof FlowActionQuery> }>(`${flowBase}/flows/:id/action`, { schema: flowActionSchema }, async (request) => {
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
  });
}
