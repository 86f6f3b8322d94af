import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../service-deps.js';
import { registerCollectionRoutes } from './collection-routes.js';
import { connections } from './connections.js';
import { sourceConnections } from './source-connections.js';
import { targetConnections } from './target-connections.js';

/**
 * Connections: base connections (`/connections`, credentials sealed at rest), source connections
 * (`/sourceConnections`) and target connections (`/targetConnections`), each a collection whose checks and
 * presentation are its module's. Testing a connection and exploring its source are `explore.routes.ts`.
 */
export function registerConnectionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  registerCollectionRoutes(app, connections, deps);
  registerCollectionRoutes(app, sourceConnections, deps);
  registerCollectionRoutes(app, targetConnections, deps);
}
