import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import { ConnectionSpecAnswer, FlowSpecAnswer } from './flow-answers.schema.js';
import { flowBase } from './flow-base.js';
import { flowListResponse, type FlowListQuery } from './flow-listing.js';
import { specSchemas } from './flowservice.route-schemas.js';
import { connectionSpecs, flowSpecs } from './specs/builtin-specs.js';

/** `/connectionSpecs` and `/flowSpecs`: the built-in specs, listed (filtered and paged as any flow list) and looked up. */
export function registerSpecRoutes(app: FastifyInstance): void {
  const builtIn = [
    { path: 'connectionSpecs', specs: connectionSpecs, schemas: specSchemas('connection spec', 'connection specs', ConnectionSpecAnswer) },
    { path: 'flowSpecs', specs: flowSpecs, schemas: specSchemas('flow spec', 'flow specs', FlowSpecAnswer) },
  ] as const;
  for (const { path, specs, schemas } of builtIn) {
    app.get<{ Querystring: FlowListQuery }>(`${flowBase}/${path}`, { schema: schemas.list }, async (request) => flowListResponse([...specs], request.query, `/${path}`));
    app.get<{ Params: Static<typeof IdParams> }>(`${flowBase}/${path}/:id`, { schema: schemas.get }, async (request) => {
      const spec = specs.find((s) => s.id === request.params.id);
      if (!spec) throw notFound(path, request.params.id);
      return { items: [spec] };
    });
  }
}
