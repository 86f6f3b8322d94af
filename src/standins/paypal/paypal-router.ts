import type { StandInRequest, StandInResponse } from '../standin-server.js';
import { listBalances } from './balances-route.js';
import { getDispute, listDisputes } from './disputes-routes.js';
import type { OAuthTokens } from './oauth-tokens.js';
import { authenticationFailure, methodNotSupported, resourceNotFound } from './paypal-errors.js';
import { getProduct, listProducts } from './products-routes.js';
import type { RouteContext } from './route-context.js';
import { searchTransactions } from './transaction-search.js';

/**
 * Dispatches a request to its route. The token endpoint takes client credentials; every other route first
 * checks the bearer token (authentication before validation, as PayPal answers 401 for a bad token even when
 * the query is also wrong).
 */

type Route = (request: StandInRequest, ctx: RouteContext, pathParam: string) => StandInResponse;

const ROUTES: readonly { pattern: RegExp; method: string; handle: Route }[] = [
  { pattern: /^\/v1\/catalogs\/products$/, method: 'GET', handle: (r, c) => listProducts(r, c) },
  { pattern: /^\/v1\/catalogs\/products\/([^/]+)$/, method: 'GET', handle: (_r, c, id) => getProduct(id, c) },
  { pattern: /^\/v1\/reporting\/transactions$/, method: 'GET', handle: (r, c) => searchTransactions(r, c) },
  { pattern: /^\/v1\/reporting\/balances$/, method: 'GET', handle: (r, c) => listBalances(r, c) },
  { pattern: /^\/v1\/customer\/disputes$/, method: 'GET', handle: (r, c) => listDisputes(r, c) },
  { pattern: /^\/v1\/customer\/disputes\/([^/]+)$/, method: 'GET', handle: (_r, c, id) => getDispute(id, c) },
];

export function routeRequest(request: StandInRequest, ctx: RouteContext, tokens: OAuthTokens): StandInResponse {
  const path = request.url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/v1/oauth2/token') {
    return request.method === 'POST' ? tokens.handleTokenRequest(request) : methodNotSupported(ctx.debugId());
  }
  const candidates = ROUTES.map((route) => ({ route, match: route.pattern.exec(path) })).filter((c) => c.match !== null);
  if (candidates.length === 0) return resourceNotFound(ctx.debugId());
  if (!tokens.authenticate(request)) return authenticationFailure(ctx.debugId());
  const hit = candidates.find((c) => c.route.method === request.method);
  if (!hit?.match) return methodNotSupported(ctx.debugId());
  return hit.route.handle(request, ctx, decodePathParam(hit.match[1] ?? ''));
}

/** A malformed escape (`%E0%A4%A`) names no resource rather than failing the stand-in. */
function decodePathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
