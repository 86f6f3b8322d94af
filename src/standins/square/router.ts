import type { StandInRequest, StandInResponse } from '../standin-server.js';
import { SquareApiError, errorResponse } from './square-errors.js';
import type { SquareTokens } from './tokens.js';
import { getCatalogObject, listCatalog, searchCatalog } from './routes/catalog-routes.js';
import { getCustomer, listCustomers, searchCustomers } from './routes/customers-routes.js';
import { getLocation, listLocations } from './routes/locations-routes.js';
import { obtainToken } from './routes/oauth-routes.js';
import { getOrder, searchOrders } from './routes/orders-routes.js';
import { getPayment, listPayments } from './routes/payments-routes.js';
import { getRefund, listRefunds } from './routes/refunds-routes.js';
import type { RouteContext, RouteHandler } from './routes/route-context.js';

/** The endpoints served, as `METHOD /path` with `{param}` segments (the spec's own spelling). */
const ROUTES: readonly (readonly [string, string, RouteHandler])[] = [
  ['GET', '/v2/locations', listLocations],
  ['GET', '/v2/locations/{location_id}', getLocation],
  ['GET', '/v2/payments', listPayments],
  ['GET', '/v2/payments/{payment_id}', getPayment],
  ['GET', '/v2/refunds', listRefunds],
  ['GET', '/v2/refunds/{refund_id}', getRefund],
  ['GET', '/v2/customers', listCustomers],
  ['POST', '/v2/customers/search', searchCustomers],
  ['GET', '/v2/customers/{customer_id}', getCustomer],
  ['POST', '/v2/orders/search', searchOrders],
  ['GET', '/v2/orders/{order_id}', getOrder],
  ['GET', '/v2/catalog/list', listCatalog],
  ['POST', '/v2/catalog/search', searchCatalog],
  ['GET', '/v2/catalog/object/{object_id}', getCatalogObject],
];

export const SERVED_OPERATIONS: readonly string[] = [...ROUTES.map(([method, path]) => `${method} ${path}`), 'POST /oauth2/token'];

const compiled = ROUTES.map(([method, template, handler]) => ({
  method,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
  handler,
}));

export function createSquareHandler(context: RouteContext, tokens: SquareTokens): (request: StandInRequest) => StandInResponse {
  return (request) => {
    try {
      const path = request.url.pathname.replace(/\/+$/, '') || '/';
      if (request.method === 'POST' && path === '/oauth2/token') return obtainToken(request, tokens);
      for (const route of compiled) {
        if (route.method !== request.method) continue;
        const match = route.pattern.exec(path);
        if (!match) continue;
        // Square checks the token before it looks at the request.
        tokens.authenticate(request.headers);
        return route.handler(request, context, match.slice(1).map((segment) => decodeURIComponent(segment)));
      }
      return errorResponse(404, { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `API endpoint for URL path \`${path}\` and HTTP method \`${request.method}\` is not found.` });
    } catch (error) {
      if (error instanceof SquareApiError) return error.toResponse();
      throw error;
    }
  };
}
