import type { RouteOptions } from 'fastify';
import { errorAnswers, gatewayAnswers, mergeAnswers } from './error-answers.js';

/**
 * Documents, on each route behind the gateway, the answers every such route can give besides its own: the
 * gateway's (no token, wrong key or org), an unknown sandbox, a request its schemas refuse, and a body past the
 * JSON body limit.
 */
export function addGatewayAnswers(route: RouteOptions): void {
  const schema = (route.schema ??= {});
  if (schema.hide) return;
  const response = (schema.response ??= {}) as Record<string, unknown>;
  const validated = schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined || schema.headers !== undefined;
  mergeAnswers(response, errorAnswers(...(validated ? (['validation', 'sandboxNotFound'] as const) : (['sandboxNotFound'] as const))));
  if (schema.body !== undefined) mergeAnswers(response, errorAnswers('requestTooLarge'));
  mergeAnswers(response, gatewayAnswers());
}
