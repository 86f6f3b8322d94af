import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from './support/shared-reference.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { SERVED_OPERATIONS, SquareAccount, generateInto, startSquareStandIn, type SquareStandIn } from '../src/standins/square/index.js';
import { loadSquareContract } from './support/standin-contracts/square-spec-contract.js';

/**
 * Every endpoint the Square stand-in serves, success and error answers alike, validated against Square's
 * official api.json (shared/reference/payment-apis/square, fixed in memory for its two known defects).
 * Objects in the spec are treated as closed, so a field the spec does not define fails the test too.
 */

const DAY = 24 * 3600 * 1000;
const TO = Date.UTC(2025, 6, 1);
const FROM = TO - 90 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

const contract = loadSquareContract(path.join(sharedDir, 'reference', 'payment-apis', 'square', 'api.json'));

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
}

/** Answers seen per operation, to prove at the end that every operation was checked both ways. */
const exercised = new Map<string, { success: number; error: number }>();

describe('Square stand-in responses conform to the official api.json', () => {
  let standIn: SquareStandIn;
  let account: SquareAccount;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    account = new SquareAccount({ seed: 23, clock: new StandInClock(FROM), locations: 3 });
    generateInto(account, { from: FROM, to: TO, payments: 600, orders: 520, customers: 120, refundRate: 0.2, catalogItems: 60 });
    account.clock.set(TO);
    // Hand-made records, so optional fields (notes, reference ids, tips, deleted objects) show up too.
    const approved = account.createPayment({ amount: 4200, tip: 600, status: 'APPROVED', note: 'table 4', referenceId: 'POS-17', buyerEmailAddress: 'guest@example.com' });
    account.createPayment({ amount: 1300, sourceType: 'CASH', locationId: account.locations.at(1).id });
    account.createPayment({ amount: 990, sourceType: 'EXTERNAL' });
    account.createPayment({ amount: 55, status: 'FAILED', cardBrand: 'DISCOVER', last4: '0007' });
    account.clock.advance(60_000);
    account.completePayment(approved.id);
    const refund = account.refundPayment(approved.id, { amount: 600, reason: 'tip reversed' });
    account.updateRefund(refund.id, { status: 'REJECTED' });
    const customer = account.createCustomer({ given_name: 'Grace', family_name: 'Hopper', nickname: 'Amazing Grace', company_name: 'Navy', phone_number: '+12025550199', birthday: '1906-12-09', note: 'VIP', reference_id: 'CRM-1' });
    const order = account.createOrder({ lines: [{ name: 'Flat White', quantity: 2, basePrice: 450, variationName: 'Large' }], referenceId: 'R-9', ticketName: 'Grace', customerId: customer.id, state: 'DRAFT' });
    const category = account.createCatalogObject('CATEGORY', { name: 'Specials' });
    const item = account.createCatalogItem({ name: 'Cortado', description: 'Small and strong', categoryId: category.id, variations: [{ name: 'Regular', price: 400, sku: 'CRT-1' }] });
    const doomed = account.createCatalogItem({ name: 'Discontinued Mocha', variations: [{ name: 'Regular', price: 500 }] });
    account.clock.advance(60_000);
    account.deleteCatalogObject(doomed.id);
    Object.assign(ids, { payment: approved.id, refund: refund.id, customer: customer.id, order: order.id, item: item.id, location: account.mainLocation.id });
    standIn = await startSquareStandIn({ account, credentials: { clientId: 'contract-app', clientSecret: 'contract-secret', refreshToken: 'EQAAcontract' } });
  });
  afterAll(() => standIn.close());

  async function send(method: 'GET' | 'POST', url: string, options: { body?: unknown; rawBody?: string; token?: string | null } = {}): Promise<Reply> {
    const token = options.token === undefined ? standIn.accessToken : options.token;
    const response = await fetch(`${standIn.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      ...(method === 'POST' ? { body: options.rawBody ?? JSON.stringify(options.body ?? {}) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  /** Sends, checks the answer against the operation's schema, and returns it. */
  async function conforms(operation: string, expectedStatus: number, url: string, options: { body?: unknown; rawBody?: string; token?: string | null } = {}): Promise<Reply> {
    const method = operation.split(' ')[0] as 'GET' | 'POST';
    const reply = await send(method, url, options);
    expect(reply.status, `${operation} ${url}: ${JSON.stringify(reply.body).slice(0, 400)}`).toBe(expectedStatus);
    const problems = contract.check(operation, reply.status, reply.body);
    expect(problems, `${operation} ${url} (${reply.status}) breaks api.json:\n${problems.join('\n')}`).toEqual([]);
    const tally = exercised.get(operation) ?? { success: 0, error: 0 };
    if (reply.status === 200) tally.success += 1;
    else tally.error += 1;
    exercised.set(operation, tally);
    return reply;
  }

  /** Walks every page of a list, checking each page. */
  async function conformsAllPages(operation: string, url: (cursor?: string) => string, body?: (cursor?: string) => unknown): Promise<Json[]> {
    const pages: Json[] = [];
    let cursor: string | undefined;
    do {
      const reply = await conforms(operation, 200, url(cursor), body ? { body: body(cursor) } : {});
      pages.push(reply.body);
      cursor = reply.body.cursor as string | undefined;
    } while (cursor);
    return pages;
  }

  it('the checker knows every served operation and rejects bodies that break the spec', () => {
    for (const operation of SERVED_OPERATIONS) expect(contract.responseSchema(operation), operation).not.toBeNull();
    expect(contract.responseSchema('GET /v2/payments')).toBe('ListPaymentsResponse');
    expect(contract.check('GET /v2/payments', 200, { payments: [{ id: 7 }] }).join('\n')).toMatch(/\/payments\/0\/id must be string/);
    expect(contract.check('GET /v2/payments', 200, { payments: [{ id: 'p', amount: 5 }] }).join('\n')).toMatch(/\/payments\/0\/amount is not allowed/);
    expect(contract.check('GET /v2/payments', 400, {}).join('\n')).toMatch(/non-empty `errors`/);
    expect(contract.check('GET /v2/payments', 400, { errors: [{ category: 'OOPS', code: 'BAD_REQUEST' }] }).join('\n')).toMatch(/\/errors\/0\/category must be equal to one of the allowed values/);
  });

  it('locations', async () => {
    const list = await conforms('GET /v2/locations', 200, '/v2/locations');
    expect(list.body.locations).toHaveLength(3);
    await conforms('GET /v2/locations', 401, '/v2/locations', { token: null });
    await conforms('GET /v2/locations/{location_id}', 200, `/v2/locations/${ids.location}`);
    await conforms('GET /v2/locations/{location_id}', 200, '/v2/locations/main');
    await conforms('GET /v2/locations/{location_id}', 404, '/v2/locations/LNOPE00000000');
  });

  it('payments: every page of every location, and the errors', async () => {
    let seen = 0;
    for (const location of account.locations.all()) {
      const pages = await conformsAllPages('GET /v2/payments', (cursor) => `/v2/payments?location_id=${location.id}&begin_time=${iso(FROM)}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      seen += pages.reduce((sum, page) => sum + ((page.payments as unknown[] | undefined)?.length ?? 0), 0);
    }
    expect(seen).toBe(account.payments.count);
    await conforms('GET /v2/payments', 200, `/v2/payments?begin_time=${iso(FROM)}&sort_field=UPDATED_AT&sort_order=ASC&limit=7`);
    const empty = await conforms('GET /v2/payments', 200, `/v2/payments?begin_time=${iso(FROM - 2 * DAY)}&end_time=${iso(FROM - DAY)}`);
    expect(empty.body).toEqual({});
    await conforms('GET /v2/payments', 400, '/v2/payments?limit=x');
    await conforms('GET /v2/payments', 400, '/v2/payments?begin_time=never');
    await conforms('GET /v2/payments', 400, '/v2/payments?sort_order=UP');
    await conforms('GET /v2/payments', 400, '/v2/payments?cursor=bogus');
    await conforms('GET /v2/payments', 403, '/v2/payments?location_id=LNOPE00000000');
    await conforms('GET /v2/payments', 401, '/v2/payments', { token: 'EAAAunknown' });
    await conforms('GET /v2/payments/{payment_id}', 200, `/v2/payments/${ids.payment}`);
    await conforms('GET /v2/payments/{payment_id}', 404, '/v2/payments/nope');
  });

  it('refunds', async () => {
    const pages = await conformsAllPages('GET /v2/refunds', (cursor) => `/v2/refunds?begin_time=${iso(FROM)}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    expect(pages.reduce((sum, page) => sum + ((page.refunds as unknown[] | undefined)?.length ?? 0), 0)).toBe(account.refunds.count);
    await conforms('GET /v2/refunds', 400, '/v2/refunds?status=LOST');
    await conforms('GET /v2/refunds', 400, '/v2/refunds?end_time=2025-13-01T00:00:00Z');
    await conforms('GET /v2/refunds/{refund_id}', 200, `/v2/refunds/${ids.refund}`);
    await conforms('GET /v2/refunds/{refund_id}', 404, `/v2/refunds/${ids.payment}_x`);
  });

  it('customers', async () => {
    const pages = await conformsAllPages('GET /v2/customers', (cursor) => `/v2/customers?limit=100&count=true${cursor ? `&cursor=${cursor}` : ''}`);
    expect(pages[0]?.count).toBe(121);
    await conforms('GET /v2/customers', 200, '/v2/customers?sort_field=CREATED_AT&sort_order=DESC&limit=3');
    await conforms('GET /v2/customers', 400, '/v2/customers?limit=101');
    await conforms('GET /v2/customers', 400, '/v2/customers?sort_order=SIDEWAYS');
    await conformsAllPages('POST /v2/customers/search', () => '/v2/customers/search', (cursor) => ({ limit: 40, count: true, query: { filter: { created_at: { start_at: iso(FROM + 30 * DAY) } }, sort: { field: 'CREATED_AT', order: 'DESC' } }, ...(cursor ? { cursor } : {}) }));
    await conforms('POST /v2/customers/search', 200, '/v2/customers/search', { body: { query: { filter: { email_address: { fuzzy: 'example' } } } } });
    await conforms('POST /v2/customers/search', 400, '/v2/customers/search', { body: { limit: 0 } });
    await conforms('POST /v2/customers/search', 400, '/v2/customers/search', { rawBody: 'not json' });
    await conforms('GET /v2/customers/{customer_id}', 200, `/v2/customers/${ids.customer}`);
    await conforms('GET /v2/customers/{customer_id}', 404, '/v2/customers/NOPE');
  });

  it('orders', async () => {
    const locationIds = account.locations.all().map((location) => location.id);
    const pages = await conformsAllPages('POST /v2/orders/search', () => '/v2/orders/search', (cursor) => ({ location_ids: locationIds, limit: 200, ...(cursor ? { cursor } : {}) }));
    expect(pages.reduce((sum, page) => sum + ((page.orders as unknown[] | undefined)?.length ?? 0), 0)).toBe(account.orders.count);
    await conforms('POST /v2/orders/search', 200, '/v2/orders/search', { body: { location_ids: locationIds, return_entries: true, query: { filter: { date_time_filter: { closed_at: { start_at: iso(FROM) } } }, sort: { sort_field: 'CLOSED_AT' } } } });
    await conforms('POST /v2/orders/search', 400, '/v2/orders/search', { body: {} });
    await conforms('POST /v2/orders/search', 400, '/v2/orders/search', { body: { location_ids: locationIds, query: { filter: { date_time_filter: { updated_at: { start_at: iso(FROM) } } } } } });
    await conforms('POST /v2/orders/search', 403, '/v2/orders/search', { body: { location_ids: ['LNOPE00000000'] } });
    await conforms('GET /v2/orders/{order_id}', 200, `/v2/orders/${ids.order}`);
    await conforms('GET /v2/orders/{order_id}', 404, '/v2/orders/nope');
  });

  it('catalog', async () => {
    const pages = await conformsAllPages('GET /v2/catalog/list', (cursor) => `/v2/catalog/list?types=ITEM,ITEM_VARIATION,CATEGORY,TAX,DISCOUNT${cursor ? `&cursor=${cursor}` : ''}`);
    expect(pages.length).toBeGreaterThan(1);
    await conforms('GET /v2/catalog/list', 200, `/v2/catalog/list?catalog_version=${account.catalog.version - 5}`);
    await conforms('GET /v2/catalog/list', 400, '/v2/catalog/list?types=ITEM,GADGET');
    await conforms('GET /v2/catalog/list', 400, '/v2/catalog/list?catalog_version=latest');
    await conformsAllPages('POST /v2/catalog/search', () => '/v2/catalog/search', (cursor) => ({ include_deleted_objects: true, include_related_objects: true, object_types: ['ITEM', 'ITEM_VARIATION', 'CATEGORY'], limit: 50, ...(cursor ? { cursor } : {}) }));
    await conforms('POST /v2/catalog/search', 200, '/v2/catalog/search', { body: { object_types: ['ITEM'], query: { prefix_query: { attribute_name: 'name', attribute_prefix: 'cort' } } } });
    await conforms('POST /v2/catalog/search', 400, '/v2/catalog/search', { body: { object_types: ['GADGET'] } });
    await conforms('POST /v2/catalog/search', 400, '/v2/catalog/search', { body: { begin_time: 'soon' } });
    await conforms('GET /v2/catalog/object/{object_id}', 200, `/v2/catalog/object/${ids.item}?include_related_objects=true`);
    await conforms('GET /v2/catalog/object/{object_id}', 404, '/v2/catalog/object/NOPE');
  });

  it('OAuth token endpoint', async () => {
    const refreshed = await conforms('POST /oauth2/token', 200, '/oauth2/token', { token: null, body: { client_id: 'contract-app', client_secret: 'contract-secret', grant_type: 'refresh_token', refresh_token: 'EQAAcontract' } });
    expect(refreshed.body.refresh_token).not.toBe('EQAAcontract');
    await conforms('POST /oauth2/token', 401, '/oauth2/token', { token: null, body: { client_id: 'contract-app', client_secret: 'contract-secret', grant_type: 'refresh_token', refresh_token: 'EQAAcontract' } });
    await conforms('POST /oauth2/token', 400, '/oauth2/token', { token: null, body: { grant_type: 'refresh_token' } });
    await conforms('POST /oauth2/token', 400, '/oauth2/token', { token: null, body: { client_id: 'contract-app', grant_type: 'password' } });
  });

  it('faults and expired tokens answer in the spec shape', async () => {
    standIn.setFaults({ rate: 1, kinds: ['rate-limit'] });
    await conforms('GET /v2/payments', 429, '/v2/payments');
    standIn.setFaults({ rate: 1, kinds: ['server-error'] });
    await conforms('POST /v2/orders/search', 500, '/v2/orders/search', { body: { location_ids: [ids.location] } });
    standIn.setFaults(null);
    account.clock.advance(31 * DAY);
    await conforms('GET /v2/customers', 401, '/v2/customers');
    account.clock.set(TO + 120_000);
  });

  it('every served operation was checked with a success and an error answer', () => {
    for (const operation of SERVED_OPERATIONS) {
      const tally = exercised.get(operation);
      expect(tally?.success ?? 0, `${operation}: no 200 answer checked`).toBeGreaterThan(0);
      expect(tally?.error ?? 0, `${operation}: no error answer checked`).toBeGreaterThan(0);
    }
  });
});
