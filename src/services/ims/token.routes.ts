import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AccessTokens } from './access-tokens.js';
import type { FailureDelay } from './failure-delay.js';
import type { TokenExchange } from './token-exchange.js';

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  // Seconds, as IMS v3 counts them (the older JWT exchange counted milliseconds): clients schedule their refresh from it.
  expires_in: Type.Integer({ minimum: 0, description: 'Seconds until the access token expires, as Adobe IMS v3 reports it.' }),
});

const ImsError = Type.Object({ error: Type.String(), error_description: Type.String() });
const RetryLater = Type.Object(
  { error: Type.String(), error_description: Type.String() },
  { description: 'OAuth\'s error shape, as IMS answers; the `Retry-After` header says how many seconds to wait.' },
);

/** Adobe IMS's OAuth server-to-server token endpoint (client-credentials grant). */
export function registerTokenRoutes(app: FastifyInstance, deps: { exchange: TokenExchange; tokens: AccessTokens; failureDelay: FailureDelay }): void {
  app.post(
    '/ims/token/v3',
    {
      schema: {
        tags: ['ims'],
        summary: 'Exchange client credentials for an access token',
        security: [],
        consumes: ['application/x-www-form-urlencoded'],
        description:
          'Failed attempts are limited per client id and per remote address (429 with `Retry-After`), and their answers (401, 429) are held back for a moment (`TRIBUTARY_TOKEN_FAILURE_DELAY_MS`, 1 s by default); when secret hashing is saturated server-wide the answer is 503 with `Retry-After`.',
        response: { 200: TokenResponse, 400: ImsError, 401: ImsError, 429: RetryLater, 503: RetryLater },
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
      const outcome = await deps.exchange.exchange({ clientId: form.client_id, clientSecret: form.client_secret, address: request.ip });
      const failed = outcome.kind === 'unknownClient' || outcome.kind === 'wrongSecret' || outcome.kind === 'limited';
      if (failed && !(await deps.failureDelay.hold())) reply.header('connection', 'close');
      switch (outcome.kind) {
        case 'issued':
          return { access_token: outcome.accessToken, token_type: 'bearer' as const, expires_in: deps.tokens.lifetimeSeconds };
        case 'unknownClient':
          return reply.status(401).send({ error: 'invalid_client', error_description: 'invalid client_id parameter' });
        case 'wrongSecret':
          return reply.status(401).send({ error: 'invalid_client', error_description: 'invalid client_id or client_secret' });
        case 'limited':
          return reply
            .status(429)
            .header('retry-after', String(outcome.retryAfterSeconds))
            .send({ error: 'too_many_requests', error_description: `too many failed attempts for this client or from this address; retry after ${outcome.retryAfterSeconds} s` });
        case 'busy':
          return reply
            .status(503)
            .header('retry-after', String(outcome.retryAfterSeconds))
            .send({ error: 'temporarily_unavailable', error_description: `the server is checking too many secrets at once; retry after ${outcome.retryAfterSeconds} s` });
      }
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
