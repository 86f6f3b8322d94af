import { makeCursor, openCursor, queryFingerprint } from '../cursor.js';
import { readPage, type KeyBound } from '../keyset-pager.js';
import { ORDER_STATES } from '../orders.js';
import { BodyReader, checkRange, parseJsonBody } from '../request-params.js';
import { forbiddenLocation, invalidRequest, notFound } from '../square-errors.js';
import { okBody, type RouteHandler } from './route-context.js';

const SORT_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'CLOSED_AT'] as const;
type SortField = (typeof SORT_FIELDS)[number];
const DATE_FIELDS: Record<SortField, 'created_at' | 'updated_at' | 'closed_at'> = { CREATED_AT: 'created_at', UPDATED_AT: 'updated_at', CLOSED_AT: 'closed_at' };

/**
 * POST /v2/orders/search (SearchOrders): 1..10 `location_ids`, `limit` default 500 and at most 1000, one
 * date_time_filter range (inclusive at both ends; a missing end is pinned to the time of the first page)
 * that must be on the sort field, state / customer / source filters, newest first by default.
 */
export const searchOrders: RouteHandler = (request, { account }) => {
  const body = new BodyReader(parseJsonBody(request.body));
  const orders = account.orders;
  const locationIds = body.stringArray('location_ids');
  if (!locationIds || locationIds.length === 0) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Must provide at least 1 location_id.', 'location_ids');
  if (locationIds.length > 10) throw invalidRequest('ARRAY_LENGTH_TOO_LONG', 'Cannot provide more than 10 location_ids.', 'location_ids');
  const locations = new Set<number>();
  for (const id of locationIds) {
    const index = account.locations.indexOf(id);
    if (index === null) throw forbiddenLocation('orders', id);
    locations.add(index);
  }
  const limit = body.integer('limit') ?? 500;
  if (limit < 1) throw invalidRequest('VALUE_TOO_LOW', `\`limit\` must be at least 1, got ${limit}.`, 'limit');
  if (limit > 1000) throw invalidRequest('VALUE_TOO_HIGH', `\`limit\` must be at most 1000, got ${limit}.`, 'limit');
  const returnEntries = body.boolean('return_entries') ?? false;

  const query = body.object('query');
  const filter = query?.object('filter');
  const sort = query?.object('sort');
  filter?.rejectUnsupported(['fulfillment_filter']);
  const stateFilter = filter?.object('state_filter');
  if (stateFilter && !stateFilter.has('states')) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Missing required parameter `states`.', 'query.filter.state_filter.states');
  const states = stateFilter?.enumArray('states', ORDER_STATES);
  const customerIds = atMostTen(filter?.object('customer_filter')?.stringArray('customer_ids'), 'query.filter.customer_filter.customer_ids');
  const sourceNames = atMostTen(filter?.object('source_filter')?.stringArray('source_names'), 'query.filter.source_filter.source_names');
  if (sort && !sort.has('sort_field')) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Missing required parameter `sort_field`.', 'query.sort.sort_field');
  const sortField = sort?.enumValue('sort_field', SORT_FIELDS) ?? 'CREATED_AT';
  const sortOrder = sort?.enumValue('sort_order', ['DESC', 'ASC'] as const) ?? 'DESC';

  const dateFilter = filter?.object('date_time_filter');
  const ranged = (['created_at', 'updated_at', 'closed_at'] as const).filter((name) => dateFilter?.has(name));
  if (ranged.length > 1) throw invalidRequest('BAD_REQUEST', 'Only one time range can be used in `date_time_filter`.', 'query.filter.date_time_filter');
  const rangeField = ranged[0];
  if (rangeField !== undefined && rangeField !== DATE_FIELDS[sortField]) {
    throw invalidRequest('BAD_REQUEST', `\`query.sort.sort_field\` must be ${rangeField.toUpperCase()} when \`date_time_filter.${rangeField}\` is used.`, 'query.sort.sort_field');
  }
  const range = rangeField === undefined ? undefined : dateFilter?.object(rangeField);
  const start = range?.time('start_at');
  const endGiven = range?.time('end_at');

  const fingerprint = queryFingerprint({ op: 'SearchOrders', location_ids: [...locationIds].sort(), query: query?.raw() });
  const cursorText = body.string('cursor');
  const cursor = cursorText === undefined ? null : openCursor<number>(cursorText, fingerprint, 'number');
  const pinned: Record<string, number> = { ...cursor?.pinned };
  if (!cursor && range && endGiven === undefined) pinned.end = account.clock.now();
  const end = endGiven ?? pinned.end;
  checkRange(start, end, `query.filter.date_time_filter.${rangeField ?? 'created_at'}`);

  const index = sortField === 'CREATED_AT' ? orders.byCreated : sortField === 'UPDATED_AT' ? orders.byUpdated : orders.byClosed;
  const lower: KeyBound<number> | undefined = start === undefined ? undefined : { key: start, inclusive: true };
  // Sorting by CLOSED_AT only ever shows closed orders (open ones sort at +Infinity).
  const upper: KeyBound<number> | undefined = end !== undefined ? { key: end, inclusive: true } : sortField === 'CLOSED_AT' ? { key: Number.POSITIVE_INFINITY, inclusive: false } : undefined;
  const customerRows = customerIds?.map((id) => account.customers.rowOf(id) ?? -2);
  const t = orders.table;
  const page = readPage({
    index,
    descending: sortOrder === 'DESC',
    ...(lower ? { lower } : {}),
    ...(upper ? { upper } : {}),
    ...(cursor ? { after: cursor.resume } : {}),
    limit,
    accept: (row) => {
      if (!locations.has(t.location.get(row))) return false;
      if (states && !states.includes(orders.stateOf(row))) return false;
      if (customerRows && !customerRows.includes(orders.customer.get(row))) return false;
      if (sourceNames && !sourceNames.includes(orders.sourceName(row))) return false;
      return true;
    },
  });
  const next = page.next ? makeCursor(fingerprint, { resume: page.next, pinned }) : undefined;
  if (returnEntries) return okBody({ order_entries: page.rows.map((row) => orders.entry(row)), cursor: next });
  return okBody({ orders: page.rows.map((row) => orders.render(row)), cursor: next });
};

export const getOrder: RouteHandler = (_request, { account }, [id]) => {
  const row = account.orders.rowOf(id ?? '');
  if (row === null) throw notFound(`Order with ID \`${id}\` not found.`);
  return okBody({ order: account.orders.render(row) });
};

function atMostTen(values: string[] | undefined, field: string): string[] | undefined {
  if (values && values.length > 10) throw invalidRequest('ARRAY_LENGTH_TOO_LONG', `\`${field}\` takes at most 10 values.`, field);
  return values;
}
