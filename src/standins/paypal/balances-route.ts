import type { StandInRequest, StandInResponse } from '../standin-server.js';
import { invalidRequest } from './paypal-errors.js';
import { QueryReader } from './query-params.js';
import type { RouteContext } from './route-context.js';
import { lastRefreshed } from './transaction-search.js';
import { money } from './wire-format.js';

/**
 * `GET /v1/reporting/balances`: per currency, the latest balance set at or before `as_of_time` (default: now),
 * optionally only `currency_code`.
 */
export function listBalances(request: StandInRequest, ctx: RouteContext): StandInResponse {
  const q = new QueryReader(request.url.searchParams);
  const asOfParam = q.dateTime('as_of_time');
  const currency = q.string('currency_code', { minLength: 3, maxLength: 3, pattern: /^[A-Z]{3}$/ });
  if (!q.ok) return invalidRequest(ctx.debugId(), q.details);

  const now = ctx.now();
  const asOf = asOfParam ?? now;
  const balances = ctx.account.balanceHistory.at(asOf, currency).map((b) => ({
    currency: b.currency,
    primary: b.primary,
    total_balance: money(b.totalMinor, b.currency),
    available_balance: money(b.availableMinor, b.currency),
    withheld_balance: money(b.withheldMinor, b.currency),
  }));
  return {
    status: 200,
    body: {
      balances,
      account_id: ctx.account.accountId,
      as_of_time: ctx.reportingTime(asOf),
      last_refresh_time: ctx.reportingTime(Math.max(0, lastRefreshed(now, ctx.account.ledger.maxVisibilityLagMs))),
    },
  };
}
