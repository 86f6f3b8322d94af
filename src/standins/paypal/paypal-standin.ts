import { startStandInServer, type FaultPlan, type RunningStandIn, type StandInClock, type StandInResponse } from '../standin-server.js';
import { OAuthTokens } from './oauth-tokens.js';
import { PayPalAccount } from './paypal-account.js';
import { DebugIds, internalServerError, rateLimitReached } from './paypal-errors.js';
import { routeRequest } from './paypal-router.js';
import type { RouteContext } from './route-context.js';
import { isoSeconds, reportingTime } from './wire-format.js';

/**
 * A stateful PayPal REST stand-in on loopback: OAuth client credentials, catalog products, transaction
 * search, balances and disputes, with PayPal's paging, limits, error bodies and time rules.
 */

export interface PayPalStandInOptions {
  clientId?: string;
  clientSecret?: string;
  /** Used for the account too unless `account` is given (which brings its own clock). */
  clock?: StandInClock;
  /** A prepared account (e.g. `generatePayPalAccount(...)`); an empty one otherwise. */
  account?: PayPalAccount;
  faults?: FaultPlan | null;
  /** Seeds tokens, debug ids and, for a new account, its ids. */
  seed?: number;
  /** `expires_in` of issued tokens (PayPal: 32400). */
  tokenLifetimeSeconds?: number;
  /** Matches above which transaction search answers RESULTSET_TOO_LARGE (PayPal: 10000). */
  maxResultSetSize?: number;
  /** For a new account: the longest reporting lag (PayPal: up to 3 hours). */
  maxVisibilityLagMs?: number;
  /**
   * Answer exactly as the published spec allows instead of as PayPal does: reporting times as `...Z` rather
   * than `+0000`, and no `transaction_details` key rather than an empty array. For running clients behind a
   * spec-validating proxy (`prism proxy --errors`).
   */
  specConformantWire?: boolean;
  /** Transaction search ignores `start_date`/`end_date` (still requiring them), as a careless compatible server might. */
  ignoreTimeFilters?: boolean;
  /** Loopback port (default 0: a free one). */
  port?: number;
}

export interface PayPalStandIn extends RunningStandIn {
  account: PayPalAccount;
  clock: StandInClock;
  credentials: { clientId: string; clientSecret: string };
  /** Invalidates every issued access token (the next API call answers 401 until a new token is fetched). */
  expireTokens(): void;
  /** Distinct access tokens minted so far. */
  tokensIssued(): number;
}

export const DEFAULT_CLIENT_ID = 'AaStandInClientId-PayPal';
export const DEFAULT_CLIENT_SECRET = 'EStandInClientSecret-PayPal';

export async function startPayPalStandIn(options: PayPalStandInOptions = {}): Promise<PayPalStandIn> {
  const seed = options.seed ?? 1;
  if (options.account && options.clock && options.account.clock !== options.clock) {
    throw new Error('startPayPalStandIn: the account has its own clock; pass either account or clock, or the same clock');
  }
  const account =
    options.account ??
    new PayPalAccount({
      seed,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.maxVisibilityLagMs !== undefined ? { maxVisibilityLagMs: options.maxVisibilityLagMs } : {}),
    });
  const clock = account.clock;
  const credentials = { clientId: options.clientId ?? DEFAULT_CLIENT_ID, clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET };
  const tokens = new OAuthTokens({ ...credentials, lifetimeSeconds: options.tokenLifetimeSeconds ?? 32400, clock, seed });
  const debugIds = new DebugIds(seed);

  const ctx: RouteContext = {
    account,
    baseUrl: '',
    now: () => clock.now(),
    debugId: () => debugIds.next(),
    maxResultSetSize: options.maxResultSetSize ?? 10_000,
    reportingTime: options.specConformantWire ? isoSeconds : reportingTime,
    omitEmptyTransactionDetails: options.specConformantWire ?? false,
    ...(options.ignoreTimeFilters ? { ignoreTimeFilters: true } : {}),
  };
  const withDebugHeader = (response: StandInResponse): StandInResponse => {
    const body = response.body as { debug_id?: unknown } | undefined;
    const debugId = typeof body?.debug_id === 'string' ? body.debug_id : debugIds.next();
    return { ...response, headers: { ...response.headers, 'paypal-debug-id': debugId } };
  };

  const server = await startStandInServer(
    (request) => withDebugHeader(routeRequest(request, ctx, tokens)),
    {
      rateLimited: (retryAfterSeconds) => withDebugHeader(rateLimitReached(debugIds.next(), retryAfterSeconds)),
      serverError: () => withDebugHeader(internalServerError(debugIds.next())),
      expireTokens: () => tokens.expireAll(),
    },
    options.faults ?? null,
    options.port,
  );
  ctx.baseUrl = server.url;

  return {
    ...server,
    account,
    clock,
    credentials,
    expireTokens: () => tokens.expireAll(),
    tokensIssued: () => tokens.issuedCount,
  };
}
