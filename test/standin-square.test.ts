import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SquareClient, SquareError } from 'square';
import { StandInClock } from '../src/standins/standin-server.js';
import { SquareAccount, generateInto, generateSquareAccount, startSquareStandIn, type SquareStandIn } from '../src/standins/square/index.js';

/**
 * The Square stand-in against Square's documented rules: paging, windows, validation and error bodies,
 * OAuth, faults, the generator, and the official `square` SDK as a second client.
 */

const DAY = 24 * 3600 * 1000;
const TO = Date.UTC(2025, 6, 1);
const FROM = TO - 120 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

interface Json {
  [key: string]: unknown;
}

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

async function call(standIn: SquareStandIn, method: 'GET' | 'POST', path: string, options: { body?: unknown; token?: string | null; rawBody?: string } = {}): Promise<Reply> {
  const token = options.token === undefined ? standIn.accessToken : options.token;
  const headers: Record<string, string> = { 'square-version': '2025-08-20', 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers,
    ...(method === 'POST' ? { body: options.rawBody ?? JSON.stringify(options.body ?? {}) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : {} };
}

function errorOf(reply: Reply): { category: string; code: string; detail?: string; field?: string } {
  const errors = reply.body.errors as { category: string; code: string; detail?: string; field?: string }[] | undefined;
  expect(errors, `expected an error body, got ${JSON.stringify(reply.body)}`).toHaveLength(1);
  return errors?.[0] as { category: string; code: string };
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
}

/** Follows `cursor` until the last page; returns every item and the page sizes. */
/** Pages through a list until Square stops giving a cursor, collecting the records under `key`. */
async function walk(fetchPage: (cursor: string | undefined) => ReturnType<typeof call>, key: string): Promise<{ items: Json[]; pages: number[] }> {
  const items: Json[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const reply = await fetchPage(cursor);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const page = (reply.body[key] as Json[] | undefined) ?? [];
    pages.push(page.length);
    items.push(...page);
    cursor = reply.body.cursor as string | undefined;
  } while (cursor !== undefined);
  return { items, pages };
}

function walkGet(standIn: SquareStandIn, path: string, params: Record<string, string | number | boolean | undefined>, key: string): Promise<{ items: Json[]; pages: number[] }> {
  return walk((cursor) => call(standIn, 'GET', `${path}?${query({ ...params, cursor })}`), key);
}

function walkPost(standIn: SquareStandIn, path: string, body: Json, key: string): Promise<{ items: Json[]; pages: number[] }> {
  return walk((cursor) => call(standIn, 'POST', path, { body: { ...body, ...(cursor ? { cursor } : {}) } }), key);
}

function expectUniqueIds(items: Json[]): Set<string> {
  const ids = new Set(items.map((item) => item.id as string));
  expect(ids.size).toBe(items.length);
  return ids;
}

function isSorted(values: string[], descending: boolean): boolean {
  return values.every((value, i) => i === 0 || (descending ? (values[i - 1] as string) >= value : (values[i - 1] as string) <= value));
}

describe('Square stand-in: generated account read through the API', () => {
  let standIn: SquareStandIn;
  let account: SquareAccount;

  beforeAll(async () => {
    account = new SquareAccount({ seed: 11, clock: new StandInClock(TO), locations: 3 });
    generateInto(account, { from: FROM, to: TO, payments: 1200, orders: 1000, customers: 260, refundRate: 0.1, catalogItems: 140 });
    // These tests move the clock by a year; token expiry has its own tests below.
    standIn = await startSquareStandIn({ account, credentials: { accessTokenTtlMs: Number.POSITIVE_INFINITY } });
  });
  afterAll(() => standIn.close());

  it('ListPayments pages through every payment of a location exactly once, newest first by default', async () => {
    for (const location of account.locations.all()) {
      const { items, pages } = await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), end_time: iso(TO), location_id: location.id, limit: 37 }, 'payments');
      const ids = expectUniqueIds(items);
      const expected = new Set<string>();
      for (let row = 0; row < account.payments.count; row += 1) {
        if (account.payments.table.location.get(row) === account.locations.indexOf(location.id)) expected.add(account.payments.id(row));
      }
      expect(ids).toEqual(expected);
      expect(pages.slice(0, -1).every((size) => size === 37)).toBe(true);
      expect(items.every((item) => item.location_id === location.id)).toBe(true);
      expect(isSorted(items.map((item) => item.created_at as string), true)).toBe(true);
    }
  });

  it('ListPayments without location_id lists only the main location; ASC reverses the order; limit > 100 means pages of 100', async () => {
    const main = await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), sort_order: 'ASC', limit: 500 }, 'payments');
    expect(main.items.every((item) => item.location_id === account.mainLocation.id)).toBe(true);
    expect(main.pages[0]).toBe(100);
    expect(main.items.length).toBeGreaterThan(300);
    expect(isSorted(main.items.map((item) => item.created_at as string), false)).toBe(true);
    const byUpdated = await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), sort_field: 'UPDATED_AT', sort_order: 'ASC' }, 'payments');
    expect(byUpdated.items.length).toBe(main.items.length);
    expect(isSorted(byUpdated.items.map((item) => item.updated_at as string), false)).toBe(true);
  });

  it('ListPayments windows: begin_time inclusive, end_time exclusive, default begin is now minus one year; updated_at window and filters', async () => {
    const all = (await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM) }, 'payments')).items;
    const target = all[50] as Json;
    const at = target.created_at as string;
    const from = await call(standIn, 'GET', `/v2/payments?${query({ begin_time: at, end_time: iso(Date.parse(at) + 1), limit: 100 })}`);
    expect((from.body.payments as Json[]).map((p) => p.id)).toContain(target.id);
    const until = await call(standIn, 'GET', `/v2/payments?${query({ begin_time: iso(FROM), end_time: at })}`);
    const untilIds = (await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), end_time: at }, 'payments')).items.map((p) => p.id);
    expect(until.status).toBe(200);
    expect(untilIds).not.toContain(target.id);
    expect(untilIds.length).toBe(all.filter((p) => (p.created_at as string) < at).length);

    // Without begin_time the window starts a year before the clock: moving the clock moves it.
    expect((await walkGet(standIn, '/v2/payments', {}, 'payments')).items.length).toBe(all.length);
    account.clock.set(FROM + 365 * DAY + 30 * DAY);
    const later = (await walkGet(standIn, '/v2/payments', {}, 'payments')).items;
    expect(later.length).toBe(all.filter((p) => (p.created_at as string) >= iso(FROM + 30 * DAY)).length);
    expect(later.length).toBeLessThan(all.length);
    account.clock.set(TO);

    const updatedFrom = iso(FROM + 60 * DAY);
    const recent = (await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), updated_at_begin_time: updatedFrom }, 'payments')).items;
    expect(recent.length).toBe(all.filter((p) => (p.updated_at as string) >= updatedFrom).length);
    expect(recent.length).toBeGreaterThan(0);

    const card = all.find((p) => p.source_type === 'CARD') as Json;
    const details = card.card_details as { card: { last_4: string; card_brand: string } };
    const byCard = (await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), last_4: details.card.last_4, card_brand: details.card.card_brand }, 'payments')).items;
    expect(byCard.map((p) => p.id)).toContain(card.id);
    expect(byCard.every((p) => (p.card_details as typeof details).card.last_4 === details.card.last_4)).toBe(true);
    const total = (card.total_money as { amount: number }).amount;
    const byTotal = (await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), total }, 'payments')).items;
    expect(byTotal.length).toBeGreaterThan(0);
    expect(byTotal.every((p) => (p.total_money as { amount: number }).amount === total)).toBe(true);
    expect((await call(standIn, 'GET', `/v2/payments?${query({ begin_time: iso(FROM), is_offline_payment: true })}`)).body).toEqual({});
  });

  it('ListPayments validation answers 400 with Square codes and the field', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ limit: 'ten' }, 'EXPECTED_INTEGER', 'limit'],
      [{ limit: '0' }, 'VALUE_TOO_LOW', 'limit'],
      [{ begin_time: 'yesterday' }, 'INVALID_TIME', 'begin_time'],
      [{ end_time: '2025-02-30T00:00:00Z' }, 'INVALID_TIME', 'end_time'],
      [{ begin_time: iso(TO), end_time: iso(FROM) }, 'INVALID_TIME_RANGE', 'begin_time'],
      [{ sort_order: 'NEWEST' }, 'INVALID_SORT_ORDER', 'sort_order'],
      [{ sort_field: 'AMOUNT' }, 'INVALID_ENUM_VALUE', 'sort_field'],
      [{ is_offline_payment: 'yes' }, 'EXPECTED_BOOLEAN', 'is_offline_payment'],
      [{ cursor: 'not-a-cursor' }, 'INVALID_CURSOR', 'cursor'],
    ];
    for (const [params, code, field] of cases) {
      const reply = await call(standIn, 'GET', `/v2/payments?${query(params)}`);
      expect(reply.status, JSON.stringify(params)).toBe(400);
      expect(errorOf(reply)).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code, field });
    }
    const foreign = await call(standIn, 'GET', '/v2/payments?location_id=LNOTMINE00000');
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign)).toMatchObject({ category: 'AUTHENTICATION_ERROR', code: 'FORBIDDEN' });
  });

  it('a cursor only works for the query that made it', async () => {
    const first = await call(standIn, 'GET', `/v2/payments?${query({ begin_time: iso(FROM), limit: 10 })}`);
    const cursor = first.body.cursor as string;
    expect(cursor).toEqual(expect.any(String));
    const same = await call(standIn, 'GET', `/v2/payments?${query({ begin_time: iso(FROM), limit: 25, cursor })}`);
    expect(same.status).toBe(200);
    expect((same.body.payments as Json[])[0]?.id).not.toBe((first.body.payments as Json[])[0]?.id);
    const otherFilter = await call(standIn, 'GET', `/v2/payments?${query({ begin_time: iso(FROM), sort_order: 'ASC', cursor })}`);
    expect(otherFilter.status).toBe(400);
    expect(errorOf(otherFilter).code).toBe('INVALID_CURSOR');
    const otherEndpoint = await call(standIn, 'GET', `/v2/refunds?${query({ begin_time: iso(FROM), cursor })}`);
    expect(errorOf(otherEndpoint).code).toBe('INVALID_CURSOR');
    const tampered = await call(standIn, 'GET', `/v2/payments?${query({ begin_time: iso(FROM), cursor: `${cursor.slice(0, -3)}abc` })}`);
    expect(errorOf(tampered).code).toBe('INVALID_CURSOR');
  });

  it('ListPaymentRefunds covers every location by default and filters by status and source type', async () => {
    const { items } = await walkGet(standIn, '/v2/refunds', { begin_time: iso(FROM), limit: 20 }, 'refunds');
    const ids = expectUniqueIds(items);
    expect(ids.size).toBe(account.refunds.count);
    expect(ids.size).toBeGreaterThan(40);
    expect(new Set(items.map((r) => r.location_id)).size).toBe(3);
    for (const refund of items.slice(0, 20)) {
      const payment = account.getPayment(refund.payment_id as string);
      expect(payment?.refund_ids).toContain(refund.id);
    }
    const completed = (await walkGet(standIn, '/v2/refunds', { begin_time: iso(FROM), status: 'COMPLETED' }, 'refunds')).items;
    expect(completed.length).toBe(items.filter((r) => r.status === 'COMPLETED').length);
    expect(completed.length).toBeLessThan(items.length);
    const cash = (await walkGet(standIn, '/v2/refunds', { begin_time: iso(FROM), source_type: 'CASH' }, 'refunds')).items;
    expect(cash.length).toBe(items.filter((r) => r.destination_type === 'CASH').length);
    expect(errorOf(await call(standIn, 'GET', '/v2/refunds?status=DONE')).code).toBe('INVALID_ENUM_VALUE');
  });

  it('ListCustomers: limit 1..100, DEFAULT order by name, CREATED_AT order, count', async () => {
    const byName = await walkGet(standIn, '/v2/customers', { limit: 100, count: true }, 'customers');
    expectUniqueIds(byName.items);
    expect(byName.items.length).toBe(260);
    const keys = byName.items.map((c) => `${(c.given_name as string | undefined) ?? ''}${(c.family_name as string | undefined) ?? ''}`.toLowerCase() || ((c.company_name ?? c.email_address) as string).toLowerCase());
    expect(isSorted(keys, false)).toBe(true);
    const counted = await call(standIn, 'GET', '/v2/customers?count=true&limit=5');
    expect(counted.body.count).toBe(260);
    expect(counted.body.customers).toHaveLength(5);
    const newest = await walkGet(standIn, '/v2/customers', { sort_field: 'CREATED_AT', sort_order: 'DESC', limit: 70 }, 'customers');
    expect(newest.pages).toEqual([70, 70, 70, 50]);
    expect(isSorted(newest.items.map((c) => c.created_at as string), true)).toBe(true);
    expect(errorOf(await call(standIn, 'GET', '/v2/customers?limit=0'))).toMatchObject({ code: 'VALUE_TOO_LOW', field: 'limit' });
    expect(errorOf(await call(standIn, 'GET', '/v2/customers?limit=101'))).toMatchObject({ code: 'VALUE_TOO_HIGH', field: 'limit' });
    expect(errorOf(await call(standIn, 'GET', '/v2/customers?sort_field=NAME'))).toMatchObject({ code: 'INVALID_ENUM_VALUE', field: 'sort_field' });
  });

  it('SearchCustomers filters on updated_at (inclusive) and sorts as asked', async () => {
    const all = (await walkGet(standIn, '/v2/customers', { limit: 100 }, 'customers')).items;
    const since = iso(FROM + 80 * DAY);
    const body = { limit: 50, query: { filter: { updated_at: { start_at: since } }, sort: { field: 'CREATED_AT', order: 'ASC' } } };
    const { items } = await walkPost(standIn, '/v2/customers/search', body, 'customers');
    expect(items.length).toBe(all.filter((c) => (c.updated_at as string) >= since).length);
    expect(items.length).toBeGreaterThan(0);
    expect(isSorted(items.map((c) => c.created_at as string), false)).toBe(true);
    const someone = all.find((c) => typeof c.email_address === 'string') as Json;
    const exact = await call(standIn, 'POST', '/v2/customers/search', { body: { query: { filter: { email_address: { exact: (someone.email_address as string).toUpperCase() } } } } });
    expect((exact.body.customers as Json[]).map((c) => c.id)).toContain(someone.id);
    const bad = await call(standIn, 'POST', '/v2/customers/search', { body: { query: { filter: { created_at: { start_at: 'last week' } } } } });
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_TIME', field: 'query.filter.created_at.start_at' });
    expect(errorOf(await call(standIn, 'POST', '/v2/customers/search', { rawBody: '{"limit":' })).code).toBe('EXPECTED_JSON_BODY');
  });

  it('SearchOrders walks several locations with Square defaults (500 per page, newest first) and filters', async () => {
    const locationIds = account.locations.all().map((l) => l.id);
    const all = await walkPost(standIn, '/v2/orders/search', { location_ids: locationIds }, 'orders');
    expect(all.pages).toEqual([500, 500]);
    expect(expectUniqueIds(all.items).size).toBe(account.orders.count);
    expect(isSorted(all.items.map((o) => o.created_at as string), true)).toBe(true);

    const since = iso(FROM + 90 * DAY);
    const updated = await walkPost(
      standIn,
      '/v2/orders/search',
      { location_ids: locationIds, limit: 64, query: { filter: { date_time_filter: { updated_at: { start_at: since } }, state_filter: { states: ['COMPLETED'] } }, sort: { sort_field: 'UPDATED_AT', sort_order: 'ASC' } } },
      'orders',
    );
    expect(updated.items.length).toBe(all.items.filter((o) => (o.updated_at as string) >= since && o.state === 'COMPLETED').length);
    expect(updated.items.length).toBeGreaterThan(64);
    expect(isSorted(updated.items.map((o) => o.updated_at as string), false)).toBe(true);

    const closed = await walkPost(standIn, '/v2/orders/search', { location_ids: [locationIds[1]], query: { sort: { sort_field: 'CLOSED_AT' } } }, 'orders');
    expect(closed.items.length).toBe(all.items.filter((o) => o.location_id === locationIds[1] && o.closed_at !== undefined).length);
    expect(closed.items.every((o) => typeof o.closed_at === 'string')).toBe(true);

    const entries = await call(standIn, 'POST', '/v2/orders/search', { body: { location_ids: [locationIds[0]], limit: 3, return_entries: true } });
    expect(Object.keys(entries.body).sort()).toEqual(['cursor', 'order_entries']);
    expect((entries.body.order_entries as Json[])[0]).toEqual({ order_id: expect.any(String), version: expect.any(Number), location_id: locationIds[0] });
  });

  it('SearchOrders validation', async () => {
    const ids = account.locations.all().map((l) => l.id);
    const expectError = async (body: unknown, status: number, code: string) => {
      const reply = await call(standIn, 'POST', '/v2/orders/search', { body });
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(errorOf(reply).code).toBe(code);
    };
    await expectError({}, 400, 'MISSING_REQUIRED_PARAMETER');
    await expectError({ location_ids: [] }, 400, 'MISSING_REQUIRED_PARAMETER');
    await expectError({ location_ids: Array.from({ length: 11 }, () => ids[0]) }, 400, 'ARRAY_LENGTH_TOO_LONG');
    await expectError({ location_ids: ['LNOTMINE00000'] }, 403, 'FORBIDDEN');
    await expectError({ location_ids: ids, limit: 1001 }, 400, 'VALUE_TOO_HIGH');
    await expectError({ location_ids: ids, limit: '10' }, 400, 'EXPECTED_INTEGER');
    await expectError({ location_ids: ids, query: { filter: { date_time_filter: { closed_at: { start_at: iso(FROM) } } } } }, 400, 'BAD_REQUEST');
    await expectError({ location_ids: ids, query: { filter: { state_filter: { states: ['PAID'] } } } }, 400, 'INVALID_ENUM_VALUE');
    await expectError({ location_ids: ids, query: { sort: { sort_field: 'TOTAL' } } }, 400, 'INVALID_ENUM_VALUE');
  });

  it('SearchOrders pins a missing end_at to the first page: orders created mid-walk stay out', async () => {
    const locationIds = [account.mainLocation.id];
    const body = { location_ids: locationIds, limit: 20, query: { filter: { date_time_filter: { created_at: { start_at: iso(TO - 30 * DAY) } } }, sort: { sort_field: 'CREATED_AT', sort_order: 'ASC' } } };
    const first = await call(standIn, 'POST', '/v2/orders/search', { body });
    expect(first.body.cursor).toEqual(expect.any(String));
    account.clock.set(TO + DAY);
    const late = account.createOrder({ lines: [{ name: 'Late Latte', quantity: 1, basePrice: 500 }] });
    let cursor = first.body.cursor as string | undefined;
    const seen: string[] = [];
    while (cursor) {
      const reply = await call(standIn, 'POST', '/v2/orders/search', { body: { ...body, cursor } });
      seen.push(...((reply.body.orders as Json[] | undefined) ?? []).map((o) => o.id as string));
      cursor = reply.body.cursor as string | undefined;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(late.id);
    const fresh = await walkPost(standIn, '/v2/orders/search', body, 'orders');
    expect(fresh.items.map((o) => o.id)).toContain(late.id);
    account.clock.set(TO);
  });

  it('ListCatalog: fixed pages of 100, default top-level types, `types` filter, deleted objects left out, catalog_version', async () => {
    const { items, pages } = await walkGet(standIn, '/v2/catalog/list', {}, 'objects');
    expect(pages.slice(0, -1).every((size) => size === 100)).toBe(true);
    expectUniqueIds(items);
    expect(new Set(items.map((o) => o.type))).toEqual(new Set(['CATEGORY', 'TAX', 'DISCOUNT', 'ITEM']));
    const items140 = items.filter((o) => o.type === 'ITEM');
    expect(items140).toHaveLength(140);
    expect(((items140[0]?.item_data as Json).variations as Json[]).length).toBeGreaterThan(0);
    const variations = (await walkGet(standIn, '/v2/catalog/list', { types: 'item_variation' }, 'objects')).items;
    expect(variations.length).toBe(account.catalog.count - items.length);
    expect(errorOf(await call(standIn, 'GET', '/v2/catalog/list?types=ITEM,WIDGET'))).toMatchObject({ code: 'INVALID_ENUM_VALUE', field: 'types' });

    const versionBefore = account.catalog.version;
    account.clock.set(TO + 2 * DAY);
    const victim = items140[3] as Json;
    const deleted = account.deleteCatalogObject(victim.id as string);
    expect(deleted.length).toBeGreaterThan(1);
    const renamed = account.updateCatalogObject((items140[4] as Json).id as string, { name: 'Renamed Scone' });
    expect(renamed.version).toBeGreaterThan(versionBefore);
    const now = (await walkGet(standIn, '/v2/catalog/list', { types: 'ITEM' }, 'objects')).items;
    expect(now.map((o) => o.id)).not.toContain(victim.id);
    expect(now).toHaveLength(139);
    const asBefore = (await walkGet(standIn, '/v2/catalog/list', { types: 'ITEM', catalog_version: versionBefore }, 'objects')).items;
    expect(asBefore.map((o) => o.id)).toContain(victim.id);
    expect((asBefore.find((o) => o.id === (items140[4] as Json).id)?.item_data as Json).name).not.toBe('Renamed Scone');
    account.clock.set(TO);
  });

  it('SearchCatalogObjects: begin_time is exclusive, deleted objects only on request, oldest change first', async () => {
    const all = (await walkPost(standIn, '/v2/catalog/search', { object_types: ['ITEM'], include_deleted_objects: true }, 'objects')).items;
    expect(isSorted(all.map((o) => o.updated_at as string), false)).toBe(true);
    const pivot = all[all.length - 5] as Json;
    const after = (await walkPost(standIn, '/v2/catalog/search', { object_types: ['ITEM'], include_deleted_objects: true, begin_time: pivot.updated_at, limit: 2 }, 'objects')).items;
    expect(after.map((o) => o.id)).not.toContain(pivot.id);
    expect(after.length).toBe(all.filter((o) => (o.updated_at as string) > (pivot.updated_at as string)).length);
    const deleted = all.filter((o) => o.is_deleted === true);
    expect(deleted.length).toBe(1);
    const live = (await walkPost(standIn, '/v2/catalog/search', { object_types: ['ITEM'] }, 'objects')).items;
    expect(live.length).toBe(all.length - 1);
    const withRelated = await call(standIn, 'POST', '/v2/catalog/search', { body: { object_types: ['ITEM'], limit: 1, include_related_objects: true } });
    expect((withRelated.body.related_objects as Json[]).map((o) => o.type).sort()).toEqual(['CATEGORY', 'TAX']);
    expect(withRelated.body.latest_time).toEqual(expect.any(String));
    const conflicting = await call(standIn, 'POST', '/v2/catalog/search', { body: { include_deleted_objects: true, include_category_path_to_root: true } });
    expect(errorOf(conflicting).code).toBe('CONFLICTING_PARAMETERS');
  });

  it('ListLocations and single-record reads', async () => {
    const locations = await call(standIn, 'GET', '/v2/locations');
    expect((locations.body.locations as Json[]).map((l) => l.id)).toEqual(account.locations.all().map((l) => l.id));
    const paymentId = account.payments.id(7);
    expect((await call(standIn, 'GET', `/v2/payments/${paymentId}`)).body.payment).toMatchObject({ id: paymentId });
    const missing = await call(standIn, 'GET', '/v2/payments/nope');
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND' });
    const unknownRoute = await call(standIn, 'GET', '/v2/widgets');
    expect(unknownRoute.status).toBe(404);
    expect(errorOf(unknownRoute).code).toBe('NOT_FOUND');
  });
});

describe('Square stand-in: account changes', () => {
  let standIn: SquareStandIn;
  let account: SquareAccount;
  beforeAll(async () => {
    standIn = await startSquareStandIn({ clock: new StandInClock(TO), seed: 5 });
    account = standIn.account;
  });
  afterAll(() => standIn.close());

  it('payment status changes stamp updated_at from the clock and move the payment in updated_at order', async () => {
    const approved = account.createPayment({ amount: 1250, status: 'APPROVED', note: 'pre-auth' });
    expect(approved).toMatchObject({ status: 'APPROVED', created_at: iso(TO), updated_at: iso(TO), note: 'pre-auth' });
    account.clock.advance(60_000);
    const cash = account.createPayment({ amount: 800, sourceType: 'CASH' });
    account.clock.advance(60_000);
    const completed = account.completePayment(approved.id);
    expect(completed).toMatchObject({ status: 'COMPLETED', created_at: iso(TO), updated_at: iso(TO + 120_000) });
    expect(completed.version_token).not.toBe(approved.version_token);
    expect(() => account.cancelPayment(approved.id)).toThrow(/cannot go from COMPLETED to CANCELED/);
    const list = await call(standIn, 'GET', `/v2/payments?${query({ sort_field: 'UPDATED_AT', sort_order: 'ASC' })}`);
    expect((list.body.payments as Json[]).map((p) => p.id)).toEqual([cash.id, approved.id]);
    const since = await call(standIn, 'GET', `/v2/payments?${query({ updated_at_begin_time: iso(TO + 120_000) })}`);
    expect((since.body.payments as Json[]).map((p) => p.id)).toEqual([approved.id]);

    account.clock.advance(60_000);
    const refund = account.refundPayment(approved.id, { amount: 250, reason: 'Broken cup' });
    expect(refund).toMatchObject({ status: 'PENDING', amount_money: { amount: 250, currency: 'USD' }, payment_id: approved.id, reason: 'Broken cup' });
    expect(account.getPayment(approved.id)).toMatchObject({ refunded_money: { amount: 250, currency: 'USD' }, refund_ids: [refund.id] });
    account.clock.advance(60_000);
    expect(account.updateRefund(refund.id, { status: 'COMPLETED' })).toMatchObject({ status: 'COMPLETED', updated_at: iso(TO + 240_000) });
    const refunds = await call(standIn, 'GET', '/v2/refunds?status=COMPLETED');
    expect((refunds.body.refunds as Json[]).map((r) => r.id)).toEqual([refund.id]);
  });

  it('customers: create, update, delete', async () => {
    const created = account.createCustomer({ given_name: 'Ada', family_name: 'Lovelace', email_address: 'ada@example.com' });
    expect(created).toMatchObject({ version: 0, creation_source: 'THIRD_PARTY', created_at: created.updated_at });
    account.clock.advance(1000);
    const updated = account.updateCustomer(created.id, { email_address: null, nickname: 'Countess' });
    expect(updated.version).toBe(1);
    expect(updated.email_address).toBeUndefined();
    expect(updated.nickname).toBe('Countess');
    expect(updated.updated_at).not.toBe(created.updated_at);
    expect((await call(standIn, 'GET', `/v2/customers/${created.id}`)).body.customer).toMatchObject({ id: created.id, nickname: 'Countess' });
    account.deleteCustomer(created.id);
    expect((await call(standIn, 'GET', `/v2/customers/${created.id}`)).status).toBe(404);
    expect((await call(standIn, 'GET', '/v2/customers')).body).toEqual({});
  });

  it('orders: state changes set closed_at and bump the version', async () => {
    const order = account.createOrder({ lines: [{ name: 'Scone', quantity: 2, basePrice: 350 }], referenceId: 'T-1' });
    expect(order).toMatchObject({ state: 'OPEN', version: 1, total_money: { amount: 700, currency: 'USD' }, reference_id: 'T-1' });
    expect(order.closed_at).toBeUndefined();
    account.clock.advance(5_000);
    const done = account.updateOrder(order.id, { state: 'COMPLETED' });
    expect(done).toMatchObject({ state: 'COMPLETED', version: 2, closed_at: done.updated_at });
    expect(() => account.updateOrder(order.id, { state: 'OPEN' })).toThrow(/cannot go/);
    const search = await call(standIn, 'POST', '/v2/orders/search', { body: { location_ids: [account.mainLocation.id], query: { filter: { state_filter: { states: ['COMPLETED'] } } } } });
    expect((search.body.orders as Json[]).map((o) => o.id)).toEqual([order.id]);
  });
});

describe('Square stand-in: ordering stays exact while records change', () => {
  it('updated_at order after scattered updates equals a full re-sort (ties broken the same way)', async () => {
    const account = new SquareAccount({ seed: 29, clock: new StandInClock(TO) });
    generateInto(account, { from: FROM, to: TO, payments: 3000 });
    const standIn = await startSquareStandIn({ account });
    try {
      const walk = async () => (await walkGet(standIn, '/v2/payments', { begin_time: iso(FROM), sort_field: 'UPDATED_AT', sort_order: 'ASC' }, 'payments')).items.map((p) => p.id as string);
      const bruteForce = () => {
        const t = account.payments.table;
        return Array.from({ length: t.size }, (_, row) => row)
          .sort((a, b) => t.updated.get(a) - t.updated.get(b) || a - b)
          .map((row) => account.payments.id(row));
      };
      expect(await walk()).toEqual(bruteForce());
      let changed = 0;
      for (let row = 0; row < 3000 && changed < 60; row += 1) {
        const id = account.payments.id(row);
        account.clock.advance(1_000);
        if (account.payments.statusOf(row) === 'APPROVED') account.completePayment(id);
        else if (account.payments.statusOf(row) === 'COMPLETED' && account.payments.refunded.get(row) === 0 && row % 7 === 0) account.refundPayment(id, { status: 'COMPLETED' });
        else continue;
        changed += 1;
      }
      expect(changed).toBe(60);
      account.createPayment({ amount: 100 });
      const after = await walk();
      expect(after).toEqual(bruteForce());
      expect(after.length).toBe(3001);
    } finally {
      await standIn.close();
    }
  });
});

describe('Square stand-in: OAuth and access tokens', () => {
  it('401 bodies for missing, unknown and expired tokens; refresh rotates the refresh token', async () => {
    const clock = new StandInClock(TO);
    const standIn = await startSquareStandIn({ clock, credentials: { clientId: 'app-id', clientSecret: 'app-secret', refreshToken: 'EQAArefresh-1' } });
    try {
      const none = await call(standIn, 'GET', '/v2/locations', { token: null });
      expect(none.status).toBe(401);
      expect(errorOf(none)).toMatchObject({ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' });
      expect(errorOf(await call(standIn, 'GET', '/v2/locations', { token: 'EAAAwho' })).code).toBe('UNAUTHORIZED');
      expect((await call(standIn, 'GET', '/v2/locations')).status).toBe(200);

      clock.advance(30 * DAY);
      const expired = await call(standIn, 'GET', '/v2/locations');
      expect(expired.status).toBe(401);
      expect(errorOf(expired)).toMatchObject({ category: 'AUTHENTICATION_ERROR', code: 'ACCESS_TOKEN_EXPIRED' });

      const refreshed = await call(standIn, 'POST', '/oauth2/token', { token: null, body: { client_id: 'app-id', client_secret: 'app-secret', grant_type: 'refresh_token', refresh_token: 'EQAArefresh-1' } });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body).toMatchObject({ token_type: 'bearer', merchant_id: standIn.account.merchantId, short_lived: false, expires_at: iso(clock.now() + 30 * DAY).replace('.000Z', 'Z') });
      expect(refreshed.body.refresh_token).not.toBe('EQAArefresh-1');
      const token = refreshed.body.access_token as string;
      expect((await call(standIn, 'GET', '/v2/locations', { token })).status).toBe(200);

      const reused = await call(standIn, 'POST', '/oauth2/token', { body: { client_id: 'app-id', client_secret: 'app-secret', grant_type: 'refresh_token', refresh_token: 'EQAArefresh-1' } });
      expect(reused.status).toBe(401);
      expect(errorOf(reused)).toMatchObject({ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' });
      const wrongSecret = await call(standIn, 'POST', '/oauth2/token', { body: { client_id: 'app-id', client_secret: 'nope', grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token } });
      expect(wrongSecret.status).toBe(401);
      const noGrant = await call(standIn, 'POST', '/oauth2/token', { body: { client_id: 'app-id' } });
      expect(errorOf(noGrant)).toMatchObject({ code: 'MISSING_REQUIRED_PARAMETER', field: 'grant_type' });
      // The rotated refresh token still works after the failed attempts.
      const again = await call(standIn, 'POST', '/oauth2/token', { body: { client_id: 'app-id', client_secret: 'app-secret', grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token } });
      expect(again.status).toBe(200);

      standIn.expireTokens();
      expect(errorOf(await call(standIn, 'GET', '/v2/locations', { token: again.body.access_token as string })).code).toBe('ACCESS_TOKEN_EXPIRED');
    } finally {
      await standIn.close();
    }
  });
});

describe('Square stand-in: faults', () => {
  let standIn: SquareStandIn;
  beforeAll(async () => {
    standIn = await startSquareStandIn({ clock: new StandInClock(TO) });
  });
  afterAll(() => standIn.close());

  it('rate-limit: 429 with Retry-After and RATE_LIMITED', async () => {
    standIn.setFaults({ rate: 1, kinds: ['rate-limit'], retryAfterSeconds: 7 });
    const reply = await call(standIn, 'GET', '/v2/locations');
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(errorOf(reply)).toMatchObject({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' });
    standIn.setFaults(null);
  });

  it('server-error: 500 INTERNAL_SERVER_ERROR', async () => {
    standIn.setFaults({ rate: 1, kinds: ['server-error'] });
    const reply = await call(standIn, 'GET', '/v2/locations');
    expect(reply.status).toBe(500);
    expect(errorOf(reply)).toMatchObject({ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' });
    standIn.setFaults(null);
  });

  it('slow: the answer comes late but intact', async () => {
    standIn.setFaults({ rate: 1, kinds: ['slow'], slowMs: 300 });
    const started = performance.now();
    const reply = await call(standIn, 'GET', '/v2/locations');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(reply.status).toBe(200);
    standIn.setFaults(null);
  });

  it('drop: the connection is reset without an answer', async () => {
    standIn.setFaults({ rate: 1, kinds: ['drop'] });
    await expect(call(standIn, 'GET', '/v2/locations')).rejects.toThrow(/fetch failed/);
    standIn.setFaults(null);
  });

  it('expired-token: the token expires before the request is handled; a refresh recovers', async () => {
    standIn.setFaults({ rate: 1, kinds: ['expired-token'], exempt: (request) => request.url.pathname === '/oauth2/token' });
    const reply = await call(standIn, 'GET', '/v2/locations');
    expect(errorOf(reply).code).toBe('ACCESS_TOKEN_EXPIRED');
    standIn.setFaults(null);
    const refreshed = await call(standIn, 'POST', '/oauth2/token', {
      body: { client_id: standIn.tokens.clientId, client_secret: standIn.tokens.clientSecret, grant_type: 'refresh_token', refresh_token: standIn.tokens.refreshToken },
    });
    expect((await call(standIn, 'GET', '/v2/locations', { token: refreshed.body.access_token as string })).status).toBe(200);
    expect(standIn.stats.faults['expired-token']).toBe(1);
  });

  it('a seeded plan replays the same fault sequence', async () => {
    const run = async () => {
      standIn.setFaults({ rate: 0.5, kinds: ['rate-limit', 'server-error'], seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i += 1) statuses.push((await call(standIn, 'GET', '/v2/locations', { token: null })).status);
      standIn.setFaults(null);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([401, 429, 500]));
  });
});

describe('Square stand-in: generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateSquareAccount(2000, 21);
    const b = generateSquareAccount(2000, 21);
    const c = generateSquareAccount(2000, 22);
    for (const row of [0, 1, 999, 1999]) {
      expect(b.payments.render(row)).toEqual(a.payments.render(row));
      expect(b.orders.render(row)).toEqual(a.orders.render(row));
    }
    expect(b.refunds.count).toBe(a.refunds.count);
    expect(b.customers.render(150)).toEqual(a.customers.render(150));
    expect(b.catalog.renderCurrent(10)).toEqual(a.catalog.renderCurrent(10));
    expect(c.payments.id(0)).not.toBe(a.payments.id(0));
    expect(c.payments.render(5).amount_money).not.toEqual(a.payments.render(5).amount_money);
  });

  it('makes a million payments, kept in typed columns', () => {
    const account = new SquareAccount({ seed: 3, clock: new StandInClock(TO), locations: 4 });
    const summary = generateInto(account, { from: FROM, to: TO, payments: 1_000_000 });
    expect(summary.payments).toBe(1_000_000);
    // Every generated record sits inside [from, to), and the clock-based default window sees them.
    const first = account.payments.render(0);
    const last = account.payments.render(999_999);
    expect(Date.parse(first.created_at)).toBeGreaterThanOrEqual(FROM);
    expect(Date.parse(last.updated_at)).toBeLessThan(TO);
    expect(account.payments.rowOf(last.id)).toBe(999_999);
  });
});

describe('Square stand-in: the official square SDK as a second client', () => {
  let standIn: SquareStandIn;
  let account: SquareAccount;
  let client: SquareClient;
  beforeAll(async () => {
    account = new SquareAccount({ seed: 17, clock: new StandInClock(TO), locations: 3 });
    generateInto(account, { from: FROM, to: TO, payments: 730, orders: 730, customers: 233, catalogItems: 120 });
    standIn = await startSquareStandIn({ account });
    client = new SquareClient({ token: standIn.accessToken, baseUrl: standIn.url, maxRetries: 0 });
  });
  afterAll(() => standIn.close());

  it('payments.list auto-paging sees exactly the seeded payments (per location), amounts as BigInt', async () => {
    const seen: string[] = [];
    for (const location of account.locations.all()) {
      const pager = await client.payments.list({ beginTime: iso(FROM), endTime: iso(TO), locationId: location.id, sortOrder: 'ASC', limit: 100 });
      for await (const payment of pager) {
        seen.push(payment.id as string);
        expect(typeof payment.amountMoney?.amount).toBe('bigint');
      }
    }
    expect(seen.length).toBe(730);
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 730 }, (_, row) => account.payments.id(row))));
  });

  it('customers.list and catalog.list auto-paging see exactly the seeded records', async () => {
    const customers: string[] = [];
    for await (const customer of await client.customers.list({ limit: 40, sortField: 'CREATED_AT' })) customers.push(customer.id as string);
    expect(customers.length).toBe(233);
    expect(new Set(customers)).toEqual(new Set(Array.from({ length: 233 }, (_, row) => account.customers.id(row))));

    const objects: string[] = [];
    for await (const object of await client.catalog.list({ types: 'ITEM,ITEM_VARIATION,CATEGORY,TAX,DISCOUNT' })) objects.push(object.id as string);
    expect(objects.length).toBe(account.catalog.count);
    expect(new Set(objects)).toEqual(new Set(Array.from({ length: account.catalog.count }, (_, row) => account.catalog.id(row))));
  });

  it('orders.search followed by cursor sees exactly the seeded orders', async () => {
    const locationIds = account.locations.all().map((l) => l.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await client.orders.search({ locationIds, limit: 200, query: { sort: { sortField: 'UPDATED_AT', sortOrder: 'ASC' } }, ...(cursor ? { cursor } : {}) });
      for (const order of response.orders ?? []) {
        seen.push(order.id as string);
        expect(typeof order.totalMoney?.amount).toBe('bigint');
      }
      cursor = response.cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen.length).toBe(730);
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 730 }, (_, row) => account.orders.id(row))));
  });

  it('Square errors surface as SquareError with the code', async () => {
    const failure = await client.customers.list({ limit: 500 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SquareError);
    expect((failure as SquareError).statusCode).toBe(400);
    expect((failure as SquareError).errors[0]).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code: 'VALUE_TOO_HIGH' });
  });
});
