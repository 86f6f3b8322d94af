import { makeCursor, openCursor, queryFingerprint } from '../cursor.js';
import { readPage, type KeyBound } from '../keyset-pager.js';
import { REFUND_STATUSES } from '../refunds.js';
import { QueryParams, checkRange } from '../request-params.js';
import { forbiddenLocation, notFound } from '../square-errors.js';
import { pageLimit } from './payments-routes.js';
import { okBody, oneYearBefore, type RouteHandler } from './route-context.js';

const REFUND_SOURCE_TYPES = ['CARD', 'BANK_ACCOUNT', 'WALLET', 'CASH', 'EXTERNAL'] as const;

/**
 * GET /v2/refunds (ListPaymentRefunds): like ListPayments, but every location by default, with `status` and
 * `source_type` (of the refunded payment) filters, and an updated_at window that starts at `begin_time`
 * and ends now unless given.
 */
export const listRefunds: RouteHandler = (request, { account }) => {
  const q = new QueryParams(request.url);
  const now = account.clock.now();
  const refunds = account.refunds;
  const sortOrder = q.enumValue('sort_order', ['ASC', 'DESC'] as const, 'INVALID_SORT_ORDER') ?? 'DESC';
  const sortField = q.enumValue('sort_field', ['CREATED_AT', 'UPDATED_AT'] as const) ?? 'CREATED_AT';
  const begin = q.time('begin_time');
  const end = q.time('end_time');
  const updatedBegin = q.time('updated_at_begin_time');
  const updatedEnd = q.time('updated_at_end_time');
  const status = q.enumValue('status', REFUND_STATUSES);
  const sourceType = q.enumValue('source_type', REFUND_SOURCE_TYPES);
  const limit = pageLimit(q.integer('limit'));
  const locationId = q.string('location_id');
  const location = locationId === undefined ? undefined : account.locations.indexOf(locationId);
  if (location === null) throw forbiddenLocation('refunds', locationId as string);

  const fingerprint = queryFingerprint({
    op: 'ListPaymentRefunds',
    ...Object.fromEntries(['begin_time', 'end_time', 'updated_at_begin_time', 'updated_at_end_time', 'status', 'source_type', 'location_id', 'sort_order', 'sort_field'].map((name) => [name, q.string(name)])),
  });
  const cursorText = q.string('cursor');
  const cursor = cursorText === undefined ? null : openCursor<number>(cursorText, fingerprint, 'number');
  // Defaults are pinned by the first page; a default end includes the current millisecond.
  const pinned = cursor?.pinned ?? { begin: begin ?? oneYearBefore(now), end: end ?? now + 1, updatedEnd: updatedEnd ?? now + 1 };
  const windowBegin = pinned.begin as number;
  const windowEnd = pinned.end as number;
  const updatedWindowBegin = updatedBegin ?? windowBegin;
  const updatedWindowEnd = pinned.updatedEnd as number;
  checkRange(windowBegin, windowEnd, 'begin_time');
  checkRange(updatedWindowBegin, updatedWindowEnd, 'updated_at_begin_time');

  const byUpdated = sortField === 'UPDATED_AT';
  const index = byUpdated ? refunds.byUpdated : refunds.byCreated;
  const lower: KeyBound<number> = { key: byUpdated ? updatedWindowBegin : windowBegin, inclusive: true };
  const upper: KeyBound<number> = { key: byUpdated ? updatedWindowEnd : windowEnd, inclusive: false };
  const t = refunds.table;
  const page = readPage({
    index,
    descending: sortOrder === 'DESC',
    lower,
    upper,
    ...(cursor ? { after: cursor.resume } : {}),
    limit,
    accept: (row) => {
      if (location !== undefined && t.location.get(row) !== location) return false;
      const created = t.created.get(row);
      const updated = t.updated.get(row);
      if (created < windowBegin || created >= windowEnd || updated < updatedWindowBegin || updated >= updatedWindowEnd) return false;
      if (status !== undefined && refunds.statusOf(row) !== status) return false;
      if (sourceType !== undefined && account.payments.sourceOf(refunds.payment.get(row)) !== sourceType) return false;
      return true;
    },
  });
  return okBody({
    refunds: page.rows.map((row) => refunds.render(row)),
    cursor: page.next ? makeCursor(fingerprint, { resume: page.next, pinned: { begin: windowBegin, end: windowEnd, updatedEnd: updatedWindowEnd } }) : undefined,
  });
};

export const getRefund: RouteHandler = (_request, { account }, [id]) => {
  const row = account.refunds.rowOf(id ?? '');
  if (row === null) throw notFound(`Could not find payment refund with id: ${id}`);
  return okBody({ refund: account.refunds.render(row) });
};
