import type { RequestContext } from '../../server/gateway/request-context.js';

/** Audit fields every Flow Service object carries on the wire. */
export interface FlowAudit {
  id: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
  createdClient: string;
  updatedClient: string;
  sandboxId: string;
  sandboxName: string;
  imsOrgId: string;
}

export function newAudit(ctx: RequestContext, id: string, now: number): FlowAudit {
  return {
    id,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.userId,
    updatedBy: ctx.userId,
    createdClient: ctx.clientId,
    updatedClient: ctx.clientId,
    sandboxId: ctx.sandbox.id,
    sandboxName: ctx.sandbox.name,
    imsOrgId: ctx.orgId,
  };
}

export function touchedAudit(audit: FlowAudit, ctx: RequestContext, now: number): FlowAudit {
  return { ...audit, updatedAt: now, updatedBy: ctx.userId, updatedClient: ctx.clientId };
}

export { newEtag } from '../../store/cosmos-etag.js';
