import type { FastifyRequest } from 'fastify';
import type { Credentials } from '../../services/ims/credentials.js';
import type { AccessTokens } from '../../services/ims/access-tokens.js';
import type { SandboxesRepository } from '../../services/sandbox/sandboxes.repository.js';
import { ApiError } from '../errors/api-error.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { RequestContext } from './request-context.js';
import { headerValue } from '../request-parts.js';

export interface GatewayDeps {
  tokens: AccessTokens;
  credentials: Credentials;
  sandboxes: SandboxesRepository;
}

/** What Adobe I/O's gateway checks before a request reaches a service: token, API key, org, then sandbox. */
export async function authenticate(request: FastifyRequest, deps: GatewayDeps): Promise<RequestContext> {
  const authorization = header(request, 'authorization');
  if (!authorization) throw new GatewayError('tokenMissing');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const claims = match?.[1] ? await deps.tokens.verify(match[1]) : undefined;
  if (!claims) throw new GatewayError('tokenInvalid');

  const apiKey = header(request, 'x-api-key');
  if (!apiKey) throw new GatewayError('apiKeyMissing');
  if (apiKey !== claims.clientId) throw new GatewayError('apiKeyInvalid');

  const orgId = header(request, 'x-gw-ims-org-id');
  if (!orgId) throw new GatewayError('orgMissing');
  if (orgId !== claims.orgId) throw new GatewayError('orgMismatch');
  const org = await deps.credentials.findOrg(orgId);
  if (!org || !(await deps.credentials.clientBelongsTo(claims.clientId, orgId))) throw new GatewayError('tokenInvalid');

  const sandboxId = header(request, 'x-sandbox-id');
  const sandboxName = header(request, 'x-sandbox-name') ?? 'prod';
  const sandbox = sandboxId
    ? await deps.sandboxes.findById(orgId, sandboxId)
    : await deps.sandboxes.findByName(orgId, sandboxName.toLowerCase());
  if (!sandbox) {
    throw new ApiError('sandboxNotFound', `Sandbox "${sandboxId ?? sandboxName}" does not exist in IMS org ${orgId}.`, {
      problems: [{ in: 'header', path: sandboxId ? 'x-sandbox-id' : 'x-sandbox-name', message: 'no such sandbox' }],
    });
  }
  return {
    orgId,
    tenantId: org.tenantId,
    clientId: claims.clientId,
    userId: `${claims.clientId}@AdobeID`,
    sandbox: { id: sandbox.id, name: sandbox.name, type: sandbox.type },
    scope: { orgId, sandboxId: sandbox.id },
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  return headerValue(request.headers[name]);
}
