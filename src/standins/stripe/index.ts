import { startStandInServer, type FaultPlan, type FaultResponses, type StandInClock, type StandInStats } from '../standin-server.js';
import { createStripeHandler } from './api-handler.js';
import { StripeAccount } from './stripe-account.js';
import { rateLimitedBody, serverErrorBody } from './stripe-errors.js';

/**
 * A stateful Stripe API stand-in on loopback: the read endpoints a connector uses (lists, retrieves, events)
 * over an account the test controls. See README.md in this folder for the rules it enforces.
 */

export { StripeAccount, type ChangeOptions, type StripeObject } from './stripe-account.js';
export { generateStripeAccount, type GenerateOptions } from './account-generator.js';
export { DEFAULT_API_VERSION, EVENT_RETENTION_SECONDS } from './account-state.js';
export { maskApiKey } from './stripe-errors.js';

export const DEFAULT_STRIPE_KEY = 'sk_test_51StandInTributaryKey000000000000';

export interface StripeStandInOptions {
  /** An account made beforehand (e.g. by `generateStripeAccount`); its clock is the stand-in's clock. */
  account?: StripeAccount;
  /** For a new empty account (ignored when `account` is given). */
  clock?: StandInClock;
  seed?: number;
  apiVersion?: string;
  /** Secret keys that authenticate (default: `DEFAULT_STRIPE_KEY`). */
  apiKeys?: readonly string[];
  faults?: FaultPlan | null;
  /** Ignore `created[gte]`/`created[lt]`/… on lists, as some Stripe-compatible servers do. */
  ignoreTimeFilters?: boolean;
  /** Loopback port (default 0: a free one). */
  port?: number;
}

export interface StripeStandIn {
  url: string;
  account: StripeAccount;
  clock: StandInClock;
  /** The keys that authenticate; add or delete to roll a key mid-test. */
  apiKeys: Set<string>;
  stats: StandInStats;
  setFaults(plan: FaultPlan | null): void;
  close(): Promise<void>;
}

/** Stripe's keys do not expire, so `expired-token` faults have nothing to expire and pass through. */
export function stripeFaultResponses(account: StripeAccount): FaultResponses {
  let faults = 0;
  const headers = (): Record<string, string> => ({ 'Request-Id': `req_${account.state.ids.token('fault_request', ++faults, 14)}`, 'Stripe-Version': account.apiVersion });
  return {
    rateLimited: (retryAfterSeconds) => ({ status: 429, headers: { ...headers(), 'Retry-After': String(retryAfterSeconds) }, body: rateLimitedBody() }),
    serverError: () => ({ status: 500, headers: headers(), body: serverErrorBody() }),
  };
}

export async function startStripeStandIn(options: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const account = options.account ?? new StripeAccount({ clock: options.clock, seed: options.seed, apiVersion: options.apiVersion });
  const apiKeys = new Set(options.apiKeys ?? [DEFAULT_STRIPE_KEY]);
  const handler = createStripeHandler({ state: account.state, apiKeys, ...(options.ignoreTimeFilters ? { ignoreTimeFilters: true } : {}) });
  const server = await startStandInServer(handler, stripeFaultResponses(account), options.faults ?? null, options.port);
  return { url: server.url, account, clock: account.clock, apiKeys, stats: server.stats, setFaults: server.setFaults, close: server.close };
}
