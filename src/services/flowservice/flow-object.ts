import crypto from 'node:crypto';
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

/** AEP's etags are Cosmos DB etags: a quoted, GUID-like string that changes on every write. */
export function newEtag(): string {
  const hex = crypto.randomBytes(10).toString('hex');
  return `"${hex.slice(0, 8)}-0000-0200-0000-${hex.slice(8, 20)}"`;
}
