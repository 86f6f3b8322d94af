import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../service-deps.js';
import { registerConnectionRoutes } from './connections.routes.js';
import { registerFlowRoutes } from './flows.routes.js';
import { registerRunRoutes } from './runs.routes.js';
import { registerSpecRoutes } from './specs.routes.js';

/** The Flow Service (`/data/foundation/flowservice`): specs, connections, flows and runs, each in its routes file. */
export function registerFlowServiceRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  registerSpecRoutes(app);
  registerConnectionRoutes(app, deps);
  registerFlowRoutes(app, deps);
  registerRunRoutes(app, deps);
}
