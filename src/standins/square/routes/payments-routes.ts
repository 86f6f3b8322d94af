import { makeCursor, openCursor, queryFingerprint } from '../cursor.js';
import { readPage, type KeyBound } from '../keyset-pager.js';
import { QueryParams, checkRange } from '../request-params.js';
import { forbiddenLocation, invalidRequest, notFound } from '../square-errors.js';
import { okBody, oneYearBefore, type RouteHandler } from './route-context.js';

/**
 * GET /v2/payments (ListPayments): created_at window [begin_time, end_time) defaulting to the last year, the
 * main location unless `location_id` names another, newest first unless `sort_order=ASC`, at most 100 per
 * page (a larger `limit` is ignored, not refused).
 */
export const listPayments: RouteHandler = (request, { account }) => {
  const q = new QueryParams(request.url);
  const now = account.clock.now();
  const payments = account.payments;
  const sortOrder = q.enumValue('sort_order', ['ASC', 'DESC'] as const, 'INVALID_SORT_ORDER') ?? 'DESC';
  const sortField = q.enumValue('sort_field', ['CREATED_AT', 'OFFLINE_CREATED_AT', 'UPDATED_AT'] as const) ?? 'CREATED_AT';
  const begin = q.time('begin_time');
  const end = q.time('end_time');
  const updatedBegin = q.time('updated_at_begin_time');
  const updatedEnd = q.time('updated_at_end_time');
  const offlineBegin = q.time('offline_begin_time');
  const offlineEnd = q.time('offline_end_time');
  const offlineOnly = q.boolean('is_offline_payment') ?? false;
  const total = q.integer('total');
  const last4 = q.string('last_4');
  const cardBrand = q.string('card_brand');
  const limit = pageLimit(q.integer('limit'));
  const locationId = q.string('location_id');
  const location = locationId === undefined ? 0 : account.locations.indexOf(locationId);
  if (location === null) throw forbiddenLocation('payments', locationId as string);
  checkRange(updatedBegin, updatedEnd, 'updated_at_begin_time');
  checkRange(offlineBegin, offlineEnd, 'offline_begin_time');

  const fingerprint = queryFingerprint({
    op: 'ListPayments',
    ...Object.fromEntries(['begin_time', 'end_time', 'updated_at_begin_time', 'updated_at_end_time', 'offline_begin_time', 'offline_end_time', 'is_offline_payment', 'total', 'last_4', 'card_brand', 'location_id', 'sort_order', 'sort_field'].map((name) => [name, q.string(name)])),
  });
  const cursorText = q.string('cursor');
  const cursor = cursorText === undefined ? null : openCursor<number>(cursorText, fingerprint, 'number');
  // The window's defaults are fixed by the first page, so "now" does not move under a running walk. The
  // default end takes in records stamped at this very millisecond (the clock may stand still in tests).
  const window = cursor?.pinned ?? { begin: begin ?? oneYearBefore(now), end: end ?? now + 1 };
  const windowBegin = window.begin as number;
  const windowEnd = window.end as number;
  checkRange(windowBegin, windowEnd, 'begin_time');

  const bySorted = sortField === 'UPDATED_AT';
  const index = bySorted ? payments.byUpdated : payments.byCreated;
  const lower: KeyBound<number> | undefined = bySorted ? (updatedBegin === undefined ? undefined : { key: updatedBegin, inclusive: true }) : { key: windowBegin, inclusive: true };
  const upper: KeyBound<number> | undefined = bySorted ? (updatedEnd === undefined ? undefined : { key: updatedEnd, inclusive: false }) : { key: windowEnd, inclusive: false };
  const t = payments.table;
  // Offline payments are never generated, so any offline filter matches nothing.
  const offlineFilter = offlineOnly || offlineBegin !== undefined || offlineEnd !== undefined;
  const page = readPage({
    index,
    descending: sortOrder === 'DESC',
    ...(lower ? { lower } : {}),
    ...(upper ? { upper } : {}),
    ...(cursor ? { after: cursor.resume } : {}),
    limit,
    accept: (row) => {
      if (offlineFilter || t.location.get(row) !== location) return false;
      const created = t.created.get(row);
      if (created < windowBegin || created >= windowEnd) return false;
      const updated = t.updated.get(row);
      if ((updatedBegin !== undefined && updated < updatedBegin) || (updatedEnd !== undefined && updated >= updatedEnd)) return false;
      if (total !== undefined && payments.total(row) !== total) return false;
      if (last4 !== undefined || cardBrand !== undefined) {
        if (payments.sourceOf(row) !== 'CARD') return false;
        const card = payments.card(row);
        if (last4 !== undefined && card.last_4 !== last4) return false;
        if (cardBrand !== undefined && card.card_brand !== cardBrand.toUpperCase()) return false;
      }
      return true;
    },
  });
  return okBody({
    payments: page.rows.map((row) => payments.render(row)),
    cursor: page.next ? makeCursor(fingerprint, { resume: page.next, pinned: { begin: windowBegin, end: windowEnd } }) : undefined,
  });
};

export const getPayment: RouteHandler = (_request, { account }, [id]) => {
  const row = account.payments.rowOf(id ?? '');
  if (row === null) throw notFound(`Could not find payment with id: ${id}`);
  return okBody({ payment: account.payments.render(row) });
};

/** Payments and refunds: 100 per page at most; a larger `limit` falls back to the default instead of failing. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || limit > 100) return 100;
  if (limit < 1) throw invalidRequest('VALUE_TOO_LOW', `\`limit\` must be at least 1, got ${limit}.`, 'limit');
  return limit;
}
