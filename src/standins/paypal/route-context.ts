import type { StandInRequest } from '../standin-server.js';
import type { PayPalAccount } from './paypal-account.js';

/** What a route handler gets besides the request. */
export interface RouteContext {
  account: PayPalAccount;
  /** The stand-in's own origin, so HATEOAS links lead back to it. */
  baseUrl: string;
  now(): number;
  debugId(): string;
  /** Transaction search refuses result sets above this (PayPal: 10,000). */
  maxResultSetSize: number;
  /** How the reporting API writes a time: PayPal's `+0000`, or the spec's pattern (`Z`). */
  reportingTime(ms: number): string;
  /** PayPal sends `transaction_details: []` for no matches; the spec (minItems 1) only allows leaving it out. */
  omitEmptyTransactionDetails: boolean;
  /** Transaction search checks `start_date`/`end_date` but lists every transaction whatever they say. */
  ignoreTimeFilters?: boolean;
}

export interface Link {
  href: string;
  rel: string;
  method: 'GET' | 'PATCH' | 'POST';
}

/** A link to `path` with the given query (values percent-encoded: page tokens contain `+`, `/` and `=`). */
export function link(ctx: RouteContext, path: string, rel: string, query?: URLSearchParams, method: Link['method'] = 'GET'): Link {
  const search = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
  return { href: `${ctx.baseUrl}${path}${search}`, rel, method };
}

/** The request's own URL on the stand-in's origin. */
export function selfLink(ctx: RouteContext, request: StandInRequest): Link {
  return { href: `${ctx.baseUrl}${request.url.pathname}${request.url.search}`, rel: 'self', method: 'GET' };
}

/** The request's query with some parameters replaced. */
export function withParams(request: StandInRequest, changes: Record<string, string | undefined>): URLSearchParams {
  const query = new URLSearchParams(request.url.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) query.delete(name);
    else query.set(name, value);
  }
  return query;
}
