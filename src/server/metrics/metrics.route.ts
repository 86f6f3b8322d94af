import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { GatewayError } from '../errors/gateway-error.js';
import { headerValue } from '../request-parts.js';
import type { AppMetrics } from './app-metrics.js';

export interface MetricsRouteDeps {
  metrics: AppMetrics;
  /** A bearer token scrapers must send; none means `/metrics` is open, like the health probes. */
  token?: string | undefined;
}

const MetricsText = Type.String({ description: 'Prometheus text exposition format (version 0.0.4)' });
const UnauthorizedAnswer = { description: 'The bearer token is missing or is not the configured one', content: { 'application/json': { schema: { $ref: 'GatewayError#' } } } };

/**
 * `GET /metrics` in Prometheus's text format. It sits outside the gateway, as scrapers send no org or API key.
 * Its labels name no org, flow or credential, so it is open by default; an operator whose port tenants can reach
 * sets a token (TRIBUTARY_METRICS_TOKEN) and the scraper sends it as `Authorization: Bearer <token>`.
 */
export function registerMetricsRoute(app: FastifyInstance, deps: MetricsRouteDeps): void {
  const expected = deps.token === undefined ? undefined : digest(deps.token);
  app.get(
    '/metrics',
    { schema: { hide: true, summary: 'Metrics for Prometheus: runs, records, source requests, API latency and the process', response: { 200: MetricsText, 401: UnauthorizedAnswer } } },
    async (request, reply) => {
      if (expected) {
        const authorization = headerValue(request.headers.authorization);
        if (!authorization) throw new GatewayError('tokenMissing');
        const sent = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
        // Compared as digests of equal length, so the time taken says nothing about how much of the token matched.
        if (sent === undefined || !crypto.timingSafeEqual(digest(sent), expected)) throw new GatewayError('tokenInvalid');
      }
      const { contentType, text } = await deps.metrics.exposition();
      return reply.type(contentType).send(text);
    },
  );
}

function digest(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}
