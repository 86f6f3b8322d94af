import type { Scope } from '../../store/resources.repository.js';

/** Who is calling and where: set by the gateway on every /data/foundation request. */
export interface RequestContext {
  orgId: string;
  tenantId: string;
  clientId: string;
  /** AEP's user id for audit fields; a client-credentials caller acts as its technical account. */
  userId: string;
  sandbox: { id: string; name: string; type: string };
  scope: Scope;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}
