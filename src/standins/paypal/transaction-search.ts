import type { StandInRequest, StandInResponse } from '../standin-server.js';
import { dataNotAvailable, invalidRequest, resultSetTooLarge } from './paypal-errors.js';
import { QueryReader } from './query-params.js';
import { link, selfLink, withParams, type Link, type RouteContext } from './route-context.js';
import { TRANSACTION_STATUSES } from './transaction-store.js';
import { renderTransaction, storeIdOf, terminalIdOf, TRANSACTION_SECTIONS, type TransactionSection } from './transaction-view.js';

/**
 * `GET /v1/reporting/transactions`. Rules enforced beyond the spec's parameter schemas:
 * - `start_date`..`end_date` may span at most 31 days, and `end_date` may not precede `start_date`;
 * - only the last three years can be searched; a `start_date` after `last_refreshed_datetime` is answered
 *   "Data for the given start date is not available.";
 * - the window filters on `transaction_initiation_date` (both ends inclusive), and a transaction appears only
 *   once its reporting lag (up to three hours, fixed per transaction) has passed on the clock;
 * - more than 10,000 matches: 400 `RESULTSET_TOO_LARGE` and no page;
 * - `ending_balance`/`available_balance` are left out when any optional filter is used;
 * - `balance_affecting_records_only` defaults to Y, which hides e.g. authorizations.
 * Results are in initiation order; pages are `page` x `page_size` slices of the whole match list.
 */

const MAX_RANGE_MS = 31 * 86_400_000;
const FILTERS = ['transaction_id', 'transaction_type', 'transaction_status', 'transaction_amount', 'transaction_currency', 'payment_instrument_type', 'store_id', 'terminal_id'] as const;

interface Filters {
  start: number;
  end: number;
  transactionId?: string;
  eventCode?: string;
  status?: string;
  amountRange?: readonly [number, number];
  currency?: string;
  instrument?: string;
  storeId?: string;
  terminalId?: string;
  balanceAffectingOnly: boolean;
}

/**
 * The instant up to which the reporting store is complete: the last hour boundary (minus a second) at least
 * the maximum lag ago, as in PayPal's `...:59:59` values. Without a lag, simply the current second.
 */
export function lastRefreshed(now: number, maxLagMs: number): number {
  if (maxLagMs <= 0) return Math.floor(now / 1000) * 1000;
  return Math.floor((now - maxLagMs) / 3_600_000) * 3_600_000 - 1000;
}

export function searchTransactions(request: StandInRequest, ctx: RouteContext): StandInResponse {
  const q = new QueryReader(request.url.searchParams);
  const start = q.dateTime('start_date', true);
  const end = q.dateTime('end_date', true);
  const transactionId = q.string('transaction_id', { minLength: 17, maxLength: 19 });
  const eventCode = q.string('transaction_type', { pattern: /^T[0-9]{4}$/ });
  const status = q.has('transaction_status') ? q.oneOf('transaction_status', TRANSACTION_STATUSES, 'S') : undefined;
  const amountRange = readAmountRange(q);
  const currency = q.string('transaction_currency', { minLength: 3, maxLength: 3, pattern: /^[A-Z]{3}$/ });
  const instrument = q.has('payment_instrument_type') ? q.oneOf('payment_instrument_type', ['CREDITCARD', 'DEBITCARD'] as const, 'CREDITCARD') : undefined;
  const storeId = q.string('store_id', { minLength: 1, maxLength: 100 });
  const terminalId = q.string('terminal_id', { minLength: 1, maxLength: 60 });
  const sections = readFields(q);
  const balanceAffectingOnly = q.oneOf('balance_affecting_records_only', ['Y', 'N'] as const, 'Y') === 'Y';
  const pageSize = q.integer('page_size', { min: 1, max: 500, fallback: 100 });
  const page = q.integer('page', { min: 1, max: 2147483647, fallback: 1 });
  if (!q.ok || start === undefined || end === undefined) return invalidRequest(ctx.debugId(), q.details);

  const now = ctx.now();
  const endRaw = q.raw('end_date') as string;
  if (end < start) q.fail('end_date', endRaw, 'INVALID_PARAMETER_VALUE', 'end_date must not be before start_date.');
  else if (end - start > MAX_RANGE_MS) q.fail('end_date', endRaw, 'INVALID_PARAMETER_VALUE', 'The date range between start_date and end_date exceeds the maximum supported range of 31 days.');
  const threeYearsAgo = new Date(now);
  threeYearsAgo.setUTCFullYear(threeYearsAgo.getUTCFullYear() - 3);
  if (start < threeYearsAgo.getTime()) q.fail('start_date', q.raw('start_date'), 'INVALID_PARAMETER_VALUE', 'Transactions are available for the previous three years only.');
  if (!q.ok) return invalidRequest(ctx.debugId(), q.details);

  const refreshed = lastRefreshed(now, ctx.account.ledger.maxVisibilityLagMs);
  if (start > refreshed) return dataNotAvailable(ctx.debugId());

  const filters: Filters = {
    // A server that ignores the window (still requiring and checking it) searches all time.
    start: ctx.ignoreTimeFilters ? -8.64e15 : start,
    end: ctx.ignoreTimeFilters ? 8.64e15 : end,
    balanceAffectingOnly,
    ...(transactionId !== undefined ? { transactionId } : {}),
    ...(eventCode !== undefined ? { eventCode } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(amountRange !== undefined ? { amountRange } : {}),
    ...(currency !== undefined ? { currency } : {}),
    ...(instrument !== undefined ? { instrument } : {}),
    ...(storeId !== undefined ? { storeId } : {}),
    ...(terminalId !== undefined ? { terminalId } : {}),
  };
  const matches = matchingTransactions(ctx, filters, now);
  if (matches.length > ctx.maxResultSetSize) return resultSetTooLarge(ctx.debugId(), matches.length, ctx.maxResultSetSize);

  const usesFilters = FILTERS.some((name) => q.has(name));
  const balances = usesFilters ? null : ctx.account.ledger.store.runningBalances();
  const totalPages = Math.ceil(matches.length / pageSize);
  const from = Math.min((page - 1) * pageSize, matches.length);
  const details: Record<string, unknown>[] = [];
  for (let k = from; k < Math.min(from + pageSize, matches.length); k += 1) {
    details.push(renderTransaction(ctx, matches[k] as number, sections, balances));
  }

  const links: Link[] = [selfLink(ctx, request)];
  if (page < totalPages) links.push(link(ctx, request.url.pathname, 'next', withParams(request, { page: String(page + 1), page_size: String(pageSize) })));
  if (totalPages > 0) links.push(link(ctx, request.url.pathname, 'last', withParams(request, { page: String(totalPages), page_size: String(pageSize) })));

  return {
    status: 200,
    body: {
      // PayPal sends an empty array here when nothing matches (captured responses), though the spec says minItems 1.
      ...(details.length > 0 || !ctx.omitEmptyTransactionDetails ? { transaction_details: details } : {}),
      account_number: ctx.account.accountId,
      start_date: ctx.reportingTime(start),
      end_date: ctx.reportingTime(end),
      last_refreshed_datetime: ctx.reportingTime(refreshed),
      page,
      total_items: matches.length,
      total_pages: totalPages,
      links,
    },
  };
}

/** `[500 TO 1005]` (amounts in minor units; brackets optional). */
function readAmountRange(q: QueryReader): readonly [number, number] | undefined {
  const raw = q.raw('transaction_amount');
  if (raw === undefined) return undefined;
  const match = /^\[?\s*(-?[0-9]+)\s+TO\s+(-?[0-9]+)\s*\]?$/.exec(raw.trim());
  if (!match || Number(match[1]) > Number(match[2])) {
    q.fail('transaction_amount', raw, 'INVALID_PARAMETER_SYNTAX', 'transaction_amount must be a range such as [500 TO 1005], in minor units.');
    return undefined;
  }
  return [Number(match[1]), Number(match[2])];
}

function readFields(q: QueryReader): Set<TransactionSection> {
  const raw = q.raw('fields');
  if (raw === undefined) return new Set(['transaction_info']);
  if (raw === 'all') return new Set(TRANSACTION_SECTIONS);
  const names = raw.split(',');
  const unknown = names.filter((name) => !(TRANSACTION_SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    q.fail('fields', raw, 'INVALID_PARAMETER_VALUE', `fields must be all or a comma-separated list of ${TRANSACTION_SECTIONS.join(', ')}.`);
    return new Set(['transaction_info']);
  }
  return new Set(names as TransactionSection[]);
}

/** One cached result per account: a pager asks for page after page of the same query at the same clock time. */
const caches = new WeakMap<object, { key: string; version: number; now: number; matches: Int32Array }>();

function matchingTransactions(ctx: RouteContext, f: Filters, now: number): Int32Array {
  const store = ctx.account.ledger.store;
  const key = JSON.stringify(f);
  const cache = caches.get(ctx.account);
  if (cache && cache.key === key && cache.version === store.version && cache.now === now) return cache.matches;

  const { order, from, to } = store.timeRange(f.start, f.end);
  const eventIndex = f.eventCode === undefined ? -2 : store.eventIndex(f.eventCode);
  const currencyIndex = f.currency === undefined ? -2 : store.currencyIndex(f.currency);
  const statusIndex = f.status === undefined ? -1 : (TRANSACTION_STATUSES as readonly string[]).indexOf(f.status);
  const only = f.transactionId === undefined ? -2 : (store.indexOf(f.transactionId) ?? -1);
  const out = new Int32Array(Math.max(0, to - from));
  let n = 0;
  for (let p = from; p < to; p += 1) {
    const i = store.atPosition(order, p);
    if ((store.visibleAt[i] as number) > now) continue;
    if (f.balanceAffectingOnly && !store.isBalanceAffecting(i)) continue;
    if (only !== -2 && i !== only) continue;
    if (eventIndex !== -2 && store.event[i] !== eventIndex) continue;
    if (currencyIndex !== -2 && store.currency[i] !== currencyIndex) continue;
    if (statusIndex >= 0 && store.status[i] !== statusIndex) continue;
    if (f.amountRange && ((store.amount[i] as number) < f.amountRange[0] || (store.amount[i] as number) > f.amountRange[1])) continue;
    if (f.instrument !== undefined && store.instrumentOf(i) !== f.instrument) continue;
    if (f.storeId !== undefined && storeIdOf(ctx.account, i) !== f.storeId) continue;
    if (f.terminalId !== undefined && terminalIdOf(ctx.account, i) !== f.terminalId) continue;
    out[n] = i;
    n += 1;
  }
  const matches = out.subarray(0, n);
  caches.set(ctx.account, { key, version: store.version, now, matches });
  return matches;
}
