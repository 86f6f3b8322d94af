import type { SquareAccount } from '../account.js';
import { makeCursor, openCursor, queryFingerprint } from '../cursor.js';
import type { CustomerFields } from '../customers.js';
import { countRows, readPage, type KeyBound } from '../keyset-pager.js';
import { BodyReader, QueryParams, checkRange, parseJsonBody } from '../request-params.js';
import type { SortIndex } from '../sort-index.js';
import { invalidRequest, notFound } from '../square-errors.js';
import { okBody, type RouteHandler } from './route-context.js';

const SORT_FIELDS = ['DEFAULT', 'CREATED_AT'] as const;
const SORT_ORDERS = ['ASC', 'DESC'] as const;
const CREATION_SOURCES = [
  'OTHER', 'APPOINTMENTS', 'COUPON', 'DELETION_RECOVERY', 'DIRECTORY', 'EGIFTING', 'EMAIL_COLLECTION', 'FEEDBACK', 'IMPORT', 'INVOICES',
  'LOYALTY', 'MARKETING', 'MERGE', 'ONLINE_STORE', 'INSTANT_PROFILE', 'TERMINAL', 'THIRD_PARTY', 'THIRD_PARTY_IMPORT', 'UNMERGE_RECOVERY',
] as const;

interface CustomerQuery {
  sortField: (typeof SORT_FIELDS)[number];
  sortOrder: (typeof SORT_ORDERS)[number];
  created?: { start?: number; end?: number };
  updated?: { start?: number; end?: number };
  accept(row: number): boolean;
}

/** GET /v2/customers (ListCustomers): `limit` 1..100 (else 400 VALUE_TOO_LOW / VALUE_TOO_HIGH), sorted by name (DEFAULT) or created_at. */
export const listCustomers: RouteHandler = (request, { account }) => {
  const q = new QueryParams(request.url);
  const limit = customerLimit(q.integer('limit'));
  const sortField = q.enumValue('sort_field', SORT_FIELDS) ?? 'DEFAULT';
  const sortOrder = q.enumValue('sort_order', SORT_ORDERS) ?? 'ASC';
  const count = q.boolean('count') ?? false;
  const fingerprint = queryFingerprint({ op: 'ListCustomers', sortField, sortOrder });
  return customerPage(account, { sortField, sortOrder, accept: () => true }, limit, count, q.string('cursor'), fingerprint);
};

/**
 * POST /v2/customers/search (SearchCustomers): `query.filter` on created_at / updated_at (inclusive ranges),
 * email_address and reference_id (exact or fuzzy), creation_source; `query.sort` as in ListCustomers.
 */
export const searchCustomers: RouteHandler = (request, { account }) => {
  const body = new BodyReader(parseJsonBody(request.body));
  const limit = customerLimit(body.integer('limit'));
  const count = body.boolean('count') ?? false;
  const query = body.object('query');
  const filter = query?.object('filter');
  const sort = query?.object('sort');
  filter?.rejectUnsupported(['phone_number', 'group_ids', 'segment_ids', 'custom_attribute']);
  const created = timeRange(filter?.object('created_at'));
  const updated = timeRange(filter?.object('updated_at'));
  const email = textFilter(filter?.object('email_address'));
  const reference = textFilter(filter?.object('reference_id'));
  const sourceFilter = filter?.object('creation_source');
  const sources = sourceFilter?.enumArray('values', CREATION_SOURCES);
  const sourceRule = sourceFilter?.enumValue('rule', ['INCLUDE', 'EXCLUDE'] as const) ?? 'INCLUDE';
  const customers = account.customers;
  const search: CustomerQuery = {
    sortField: sort?.enumValue('field', SORT_FIELDS) ?? 'DEFAULT',
    sortOrder: sort?.enumValue('order', SORT_ORDERS) ?? 'ASC',
    ...(created ? { created } : {}),
    ...(updated ? { updated } : {}),
    accept: (row) => {
      const t = customers.table;
      if (!within(t.created.get(row), created) || !within(t.updated.get(row), updated)) return false;
      if (email || reference) {
        const fields: CustomerFields = customers.fields(row);
        if (email && !email(fields.email_address ?? null)) return false;
        if (reference && !reference(fields.reference_id ?? null)) return false;
      }
      if (sources) {
        const included = (sources as readonly string[]).includes(customers.render(row).creation_source);
        if (included !== (sourceRule === 'INCLUDE')) return false;
      }
      return true;
    },
  };
  const fingerprint = queryFingerprint({ op: 'SearchCustomers', query: query?.raw() });
  return customerPage(account, search, limit, count, body.string('cursor'), fingerprint);
};

export const getCustomer: RouteHandler = (_request, { account }, [id]) => {
  const row = account.customers.rowOf(id ?? '');
  if (row === null) throw notFound(`Customer with ID \`${id}\` not found.`);
  return okBody({ customer: account.customers.render(row) });
};

function customerPage(account: SquareAccount, query: CustomerQuery, limit: number, withCount: boolean, cursorText: string | undefined, fingerprint: string) {
  const customers = account.customers;
  const t = customers.table;
  const accept = (row: number): boolean => t.deleted.get(row) === 0 && query.accept(row);
  const descending = query.sortOrder === 'DESC';
  let result: { rows: number[]; cursor?: string; count?: number };
  if (query.sortField === 'CREATED_AT') {
    const index = customers.byCreated;
    const lower: KeyBound<number> | undefined = query.created?.start === undefined ? undefined : { key: query.created.start, inclusive: true };
    const upper: KeyBound<number> | undefined = query.created?.end === undefined ? undefined : { key: query.created.end, inclusive: true };
    result = walk(index, 'number', { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) }, descending, limit, accept, cursorText, fingerprint, withCount);
  } else {
    result = walk(customers.byName, 'string', {}, descending, limit, accept, cursorText, fingerprint, withCount);
  }
  return okBody({ customers: result.rows.map((row) => customers.render(row)), cursor: result.cursor, count: result.count });
}

function walk<K extends number | string>(
  index: SortIndex<K>,
  keyKind: 'number' | 'string',
  bounds: { lower?: KeyBound<K>; upper?: KeyBound<K> },
  descending: boolean,
  limit: number,
  accept: (row: number) => boolean,
  cursorText: string | undefined,
  fingerprint: string,
  withCount: boolean,
): { rows: number[]; cursor?: string; count?: number } {
  const cursor = cursorText === undefined ? null : openCursor<K>(cursorText, fingerprint, keyKind);
  const page = readPage({ index, descending, ...bounds, ...(cursor ? { after: cursor.resume } : {}), limit, accept });
  return {
    rows: page.rows,
    ...(page.next ? { cursor: makeCursor(fingerprint, { resume: page.next, pinned: {} }) } : {}),
    ...(withCount ? { count: countRows({ index, ...bounds, accept }) } : {}),
  };
}

function customerLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (limit < 1) throw invalidRequest('VALUE_TOO_LOW', `\`limit\` must be at least 1, got ${limit}.`, 'limit');
  if (limit > 100) throw invalidRequest('VALUE_TOO_HIGH', `\`limit\` must be at most 100, got ${limit}.`, 'limit');
  return limit;
}

function timeRange(range: BodyReader | undefined): { start?: number; end?: number } | undefined {
  if (!range) return undefined;
  const start = range.time('start_at');
  const end = range.time('end_at');
  checkRange(start, end, 'start_at');
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

function within(time: number, range: { start?: number; end?: number } | undefined): boolean {
  return !range || ((range.start === undefined || time >= range.start) && (range.end === undefined || time <= range.end));
}

/**
 * Square's text filters: `exact` compares case-insensitively; `fuzzy` splits both sides on anything that is
 * not a letter or digit and needs every query token inside some stored token.
 */
function textFilter(filter: BodyReader | undefined): ((value: string | null) => boolean) | undefined {
  if (!filter) return undefined;
  const exact = filter.string('exact');
  const fuzzy = filter.string('fuzzy');
  if (exact !== undefined) return (value) => value !== null && value.toLowerCase() === exact.toLowerCase();
  if (fuzzy !== undefined) {
    const wanted = tokens(fuzzy);
    return (value) => {
      if (value === null) return false;
      const stored = tokens(value);
      return wanted.every((token) => stored.some((candidate) => candidate.includes(token)));
    };
  }
  throw invalidRequest('BAD_REQUEST', 'A customer text filter needs `exact` or `fuzzy`.');
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}
