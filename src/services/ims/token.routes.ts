import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Credentials } from './credentials.js';
import type { AccessTokens } from './access-tokens.js';

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  // Seconds, as IMS v3 counts them (the older JWT exchange counted milliseconds): clients schedule their refresh from it.
  expires_in: Type.Integer({ minimum: 0, description: 'Seconds until the access token expires, as Adobe IMS v3 reports it.' }),
});

const ImsError = Type.Object({ error: Type.String(), error_description: Type.String() });

/** Adobe IMS's OAuth server-to-server token endpoint (client-credentials grant). */
export function registerTokenRoutes(app: FastifyInstance, deps: { credentials: Credentials; tokens: AccessTokens }): void {
  app.post(
    '/ims/token/v3',
    {
      schema: {
        tags: ['ims'],
        summary: 'Exchange client credentials for an access token',
        security: [],
        consumes: ['application/x-www-form-urlencoded'],
        response: { 200: TokenResponse, 400: ImsError, 401: ImsError },
      },
    },
    async (request, reply) => {
      // IMS accepts the fields in the form body or the query string.
      const form = formFields(request.query, request.body);
      if (form.grant_type !== 'client_credentials') {
        return reply.status(400).send({ error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
      }
      if (!form.client_id || !form.client_secret) {
        return reply.status(400).send({ error: 'invalid_request', error_description: 'client_id and client_secret are required' });
      }
      const token = await deps.credentials.exchange(form.client_id, form.client_secret);
      if (!token) return reply.status(401).send({ error: 'invalid_client', error_description: 'invalid client_id or client_secret' });
      return { access_token: token, token_type: 'bearer' as const, expires_in: deps.tokens.lifetimeSeconds };
    },
  );
}

function formFields(...sources: unknown[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const source of sources) {
    if (source === null || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}
