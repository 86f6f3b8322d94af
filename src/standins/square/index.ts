import { StandInClock, startStandInServer, type FaultPlan, type RunningStandIn, type StandInRequest } from '../standin-server.js';
import { SquareAccount } from './account.js';
import { generateInto } from './generator.js';
import { createSquareHandler } from './router.js';
import { squareFaultResponses } from './square-errors.js';
import { SquareTokens, type SquareCredentialOptions } from './tokens.js';

/**
 * A stateful stand-in for Square's API (Square-Version 2025-08-20 spec): locations, payments, refunds,
 * customers, orders and catalog reads with Square's paging, windows, validation and error bodies, OAuth
 * refresh with rotating refresh tokens, and the shared fault injection.
 */
export { SquareAccount } from './account.js';
export type { SquareAccountOptions, PaymentInput, PaymentPatch, RefundInput, OrderInput, OrderPatch, CatalogItemInput } from './account.js';
export { generateInto, type SquareGenerateOptions, type GenerateSummary } from './generator.js';
export type { SquarePayment } from './payments.js';
export type { SquareRefund } from './refunds.js';
export type { SquareCustomer, CustomerFields } from './customers.js';
export type { SquareOrder, LineInput } from './orders.js';
export type { SquareCatalogObject, CatalogType } from './catalog.js';
export type { SquareLocation } from './locations.js';
export type { SquareCredentialOptions, IssuedToken, SquareTokens } from './tokens.js';
export { SERVED_OPERATIONS } from './router.js';

export interface SquareStandInOptions {
  /** A prepared account (its clock becomes the stand-in's clock); default: a fresh one. */
  account?: SquareAccount;
  clock?: StandInClock;
  seed?: number;
  credentials?: SquareCredentialOptions;
  faults?: FaultPlan | null;
  /**
   * Ignore the `updated_at` windows (the list's `updated_at_begin_time`/`updated_at_end_time`, the searches'
   * `updated_at` filters, catalog search's `begin_time`), as a careless Square-compatible server might.
   */
  ignoreTimeFilters?: boolean;
  /** Loopback port (default 0: a free one). */
  port?: number;
}

export interface SquareStandIn extends RunningStandIn {
  account: SquareAccount;
  clock: StandInClock;
  tokens: SquareTokens;
  /** A live access token to start with. */
  accessToken: string;
  /** Expires every access token issued so far (what the `expired-token` fault does). */
  expireTokens(): void;
}

export async function startSquareStandIn(options: SquareStandInOptions = {}): Promise<SquareStandIn> {
  if (options.account && options.clock && options.account.clock !== options.clock) {
    throw new Error('startSquareStandIn: pass the clock to the account, not a second one to the stand-in');
  }
  const account = options.account ?? new SquareAccount({ ...(options.clock ? { clock: options.clock } : {}), ...(options.seed === undefined ? {} : { seed: options.seed }) });
  const tokens = new SquareTokens(account.clock, account.merchantId, account.seed, options.credentials);
  const expireTokens = () => tokens.expireAll();
  const handler = createSquareHandler({ account }, tokens);
  const server = await startStandInServer(options.ignoreTimeFilters ? (request) => handler(withoutTimeFilters(request)) : handler, squareFaultResponses(expireTokens), options.faults ?? null, options.port);
  return { ...server, account, clock: account.clock, tokens, accessToken: tokens.initialAccessToken, expireTokens };
}

/** The request as if it had asked for no `updated_at` window (what the handler then sees). */
function withoutTimeFilters(request: StandInRequest): StandInRequest {
  const url = new URL(request.url);
  url.searchParams.delete('updated_at_begin_time');
  url.searchParams.delete('updated_at_end_time');
  if (!request.headers['content-type']?.includes('json') || request.body === '') return { ...request, url };
  const body = JSON.parse(request.body) as { begin_time?: unknown; query?: { filter?: { updated_at?: unknown; date_time_filter?: { updated_at?: unknown } } } };
  delete body.begin_time;
  delete body.query?.filter?.updated_at;
  delete body.query?.filter?.date_time_filter?.updated_at;
  return { ...request, url, body: JSON.stringify(body) };
}

/**
 * A generated account: `count` sales (each an order and its payment) over [from, to) across `locations`
 * locations, count/10 customers, 5% of payments refunded, and a small catalog. The locations open at `from`;
 * the clock (given or new) is left at `to`.
 */
export function generateSquareAccount(
  count: number,
  seed: number,
  options: { from?: number; to?: number; locations?: number; clock?: StandInClock; catalogItems?: number } = {},
): SquareAccount {
  const to = options.to ?? Date.UTC(2025, 6, 1);
  const from = options.from ?? to - 180 * 24 * 3600 * 1000;
  const clock = options.clock ?? new StandInClock(from);
  clock.set(from);
  const account = new SquareAccount({ seed, clock, locations: options.locations ?? 3 });
  generateInto(account, { from, to, payments: count, orders: count, customers: Math.ceil(count / 10), catalogItems: options.catalogItems ?? Math.min(60, count) });
  clock.set(to);
  return account;
}
