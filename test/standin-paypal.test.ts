import { afterEach, describe, expect, it } from 'vitest';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { ApiError, Client, Environment, TransactionSearchController } from '@paypal/paypal-server-sdk';
import { StandInClock } from '../src/standins/standin-server.js';
import { generatePayPalAccount, PayPalAccount, startPayPalStandIn, type PayPalStandIn, type PayPalStandInOptions } from '../src/standins/paypal/index.js';

/**
 * The PayPal stand-in's behaviour: OAuth, paging, limits, validation, time rules and faults, checked over
 * HTTP, plus PayPal's own server SDK as a second client. (The comparison with PayPal's published spec is in
 * standin-paypal-contract.test.ts.)
 */

const NOW = Date.parse('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

const running: PayPalStandIn[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(options: PayPalStandInOptions = {}): Promise<PayPalStandIn> {
  const standIn = await startPayPalStandIn({ ...(options.account ? {} : { clock: new StandInClock(NOW) }), ...options });
  running.push(standIn);
  return standIn;
}

interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON under test; the assertions are what check its shape. */
  body: any;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function requestToken(standIn: PayPalStandIn, authorization = basic(standIn.credentials.clientId, standIn.credentials.clientSecret), body = 'grant_type=client_credentials'): Promise<Reply> {
  const res = await fetch(`${standIn.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function token(standIn: PayPalStandIn): Promise<string> {
  const reply = await requestToken(standIn);
  expect(reply.status).toBe(200);
  return reply.body.access_token as string;
}

async function get(standIn: PayPalStandIn, path: string, query: Record<string, string | number> = {}, bearer?: string | null): Promise<Reply> {
  const url = new URL(path, standIn.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const auth = bearer === undefined ? await token(standIn) : bearer;
  const res = await fetch(url, { headers: auth === null ? {} : { authorization: `Bearer ${auth}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('OAuth client credentials', () => {
  it('issues a bearer token with PayPal fields, and hands the same token back while it is valid', async () => {
    const standIn = await start();
    const first = await requestToken(standIn);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['access_token', 'app_id', 'expires_in', 'nonce', 'scope', 'token_type']);
    expect(first.body.token_type).toBe('Bearer');
    expect(first.body.expires_in).toBe(32400);
    expect(first.body.access_token).toMatch(/^A21AA[A-Za-z0-9_-]{92}$/);
    expect(first.body.scope).toContain('https://uri.paypal.com/services/reporting/search/read');

    standIn.clock.advance(100_000);
    const again = await requestToken(standIn);
    expect(again.body.access_token).toBe(first.body.access_token);
    expect(again.body.expires_in).toBe(32300);
    expect(standIn.tokensIssued()).toBe(1);
  });

  it('rejects bad client credentials and grant types the OAuth way', async () => {
    const standIn = await start();
    const wrongSecret = await requestToken(standIn, basic(standIn.credentials.clientId, 'nope'));
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } });
    const noAuth = await requestToken(standIn, '');
    expect(noAuth.status).toBe(401);
    const noGrant = await requestToken(standIn, undefined, '');
    expect(noGrant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' } });
    const otherGrant = await requestToken(standIn, undefined, 'grant_type=password');
    expect(otherGrant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(standIn.tokensIssued()).toBe(0);
  });

  it('answers 401 AUTHENTICATION_FAILURE for a missing, unknown or expired token; expiry follows the clock', async () => {
    const standIn = await start({ tokenLifetimeSeconds: 600 });
    for (const bearer of [null, 'A21AAnot-a-token']) {
      const reply = await get(standIn, '/v1/catalogs/products', {}, bearer);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ name: 'AUTHENTICATION_FAILURE', message: 'Authentication failed due to missing authorization header, or invalid authentication credentials.' });
      expect(reply.body.debug_id).toMatch(/^[0-9a-f]{13}$/);
      expect(reply.headers.get('paypal-debug-id')).toBe(reply.body.debug_id);
    }
    const t = await token(standIn);
    expect((await get(standIn, '/v1/catalogs/products', {}, t)).status).toBe(200);
    standIn.clock.advance(599_000);
    expect((await get(standIn, '/v1/catalogs/products', {}, t)).status).toBe(200);
    standIn.clock.advance(1_000);
    expect((await get(standIn, '/v1/catalogs/products', {}, t)).status).toBe(401);
    const fresh = await token(standIn);
    expect(fresh).not.toBe(t);
    expect((await get(standIn, '/v1/catalogs/products', {}, fresh)).status).toBe(200);
  });

  it('expireTokens() invalidates every issued token', async () => {
    const standIn = await start();
    const t = await token(standIn);
    standIn.expireTokens();
    expect((await get(standIn, '/v1/reporting/balances', {}, t)).status).toBe(401);
    const next = await token(standIn);
    expect(next).not.toBe(t);
    expect(standIn.tokensIssued()).toBe(2);
  });
});

describe('catalog products', () => {
  async function withProducts(count: number) {
    const standIn = await start();
    standIn.account.generateProducts(count, { start: NOW - 60 * DAY, end: NOW - DAY, seed: 3 });
    return { standIn, bearer: await token(standIn) };
  }

  it('pages by page number, oldest first, visiting every product exactly once', async () => {
    const { standIn, bearer } = await withProducts(45);
    const seen: string[] = [];
    let page = 1;
    for (;;) {
      const reply = await get(standIn, '/v1/catalogs/products', { page_size: 7, page, total_required: 'true' }, bearer);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ total_items: 45, total_pages: 7 });
      const products = (reply.body.products ?? []) as { id: string }[];
      seen.push(...products.map((p) => p.id));
      const next = (reply.body.links as { rel: string; href: string }[]).find((l) => l.rel === 'next');
      if (!next) break;
      expect(new URL(next.href).searchParams.get('page')).toBe(String(page + 1));
      page += 1;
    }
    expect(page).toBe(7);
    expect(seen).toEqual(standIn.account.productIds());
    expect(new Set(seen).size).toBe(45);

    const past = await get(standIn, '/v1/catalogs/products', { page_size: 7, page: 8 }, bearer);
    expect(past.status).toBe(200);
    expect(past.body.products).toBeUndefined();
    expect(past.body.total_items).toBeUndefined();
    const defaults = await get(standIn, '/v1/catalogs/products', {}, bearer);
    expect(defaults.body.products).toHaveLength(10);
  });

  it('lists summaries and serves the full product, whose update_time follows the clock', async () => {
    const { standIn, bearer } = await withProducts(3);
    const list = await get(standIn, '/v1/catalogs/products', {}, bearer);
    for (const item of list.body.products as Record<string, unknown>[]) {
      expect(Object.keys(item).filter((k) => k !== 'description').sort()).toEqual(['create_time', 'id', 'links', 'name']);
      expect(item.id).toMatch(/^PROD-[0-9A-Z]{17}$/);
      expect(item.create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const product = standIn.account.addProduct({ name: 'Gift Card', description: 'A gift card', type: 'DIGITAL', category: 'SOFTWARE', homeUrl: 'https://example.com/gift' });
    standIn.clock.advance(5 * 60_000);
    standIn.account.updateProduct(product.id, { description: 'A digital gift card' });
    const detail = await get(standIn, `/v1/catalogs/products/${product.id}`, {}, bearer);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: product.id,
      name: 'Gift Card',
      description: 'A digital gift card',
      type: 'DIGITAL',
      category: 'SOFTWARE',
      home_url: 'https://example.com/gift',
      create_time: iso(NOW),
      update_time: iso(NOW + 5 * 60_000),
    });
    expect(detail.body.links.map((l: { rel: string; method: string }) => `${l.rel}:${l.method}`)).toEqual(['self:GET', 'edit:PATCH']);

    const missing = await get(standIn, '/v1/catalogs/products/PROD-NOPE00000000000', {}, bearer);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID', field: 'product_id', location: 'path' }] });
  });

  it.each([
    ['page_size', '21'],
    ['page_size', '0'],
    ['page_size', 'ten'],
    ['page', '0'],
    ['page', '100001'],
    ['total_required', 'yes'],
  ])('rejects %s=%s with INVALID_REQUEST', async (field, value) => {
    const { standIn, bearer } = await withProducts(2);
    const reply = await get(standIn, '/v1/catalogs/products', { [field]: value }, bearer);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      name: 'INVALID_REQUEST',
      message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
      details: [{ field, value, location: 'query', issue: 'INVALID_PARAMETER_VALUE', description: 'The value of a field is invalid.' }],
    });
  });
});

describe('transaction search', () => {
  const WINDOW = { start: Date.parse('2026-05-01T00:00:00Z'), end: Date.parse('2026-05-29T00:00:00Z') };

  async function withLedger(count = 3000, seed = 11) {
    const standIn = await start({ account: generatePayPalAccount(count, seed, { clock: new StandInClock(NOW), ...WINDOW }) });
    return { standIn, account: standIn.account, bearer: await token(standIn) };
  }

  function window(extra: Record<string, string | number> = {}) {
    return { start_date: iso(WINDOW.start), end_date: iso(WINDOW.end), ...extra };
  }

  it('pages over the window in initiation order and visits every balance-affecting transaction exactly once', async () => {
    const { standIn, account, bearer } = await withLedger();
    const expected = account.transactionIds({ ...WINDOW, balanceAffectingOnly: true });
    expect(expected.length).toBeGreaterThan(2500);
    const seen: string[] = [];
    const times: number[] = [];
    let totalPages = 0;
    for (let page = 1; ; page += 1) {
      const reply = await get(standIn, '/v1/reporting/transactions', window({ page_size: 500, page }), bearer);
      expect(reply.status).toBe(200);
      expect(reply.body.total_items).toBe(expected.length);
      totalPages = reply.body.total_pages;
      for (const detail of reply.body.transaction_details) {
        seen.push(detail.transaction_info.transaction_id);
        times.push(Date.parse(detail.transaction_info.transaction_initiation_date));
      }
      if (page >= totalPages) break;
    }
    expect(totalPages).toBe(Math.ceil(expected.length / 500));
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const all = await get(standIn, '/v1/reporting/transactions', window({ balance_affecting_records_only: 'N', page_size: 1 }), bearer);
    const authorizations = account.transactionIds(WINDOW).length - expected.length;
    expect(authorizations).toBeGreaterThan(0);
    expect(all.body.total_items).toBe(expected.length + authorizations);

    const byDefault = await get(standIn, '/v1/reporting/transactions', window(), bearer);
    expect(byDefault.body.transaction_details).toHaveLength(100);
    expect(byDefault.body.page).toBe(1);
    const past = await get(standIn, '/v1/reporting/transactions', window({ page: totalPages + 1, page_size: 500 }), bearer);
    expect(past.body.transaction_details).toEqual([]);
  });

  it('writes PayPal reporting dates, money strings and the response envelope', async () => {
    const { standIn, account, bearer } = await withLedger(500);
    const reply = await get(standIn, '/v1/reporting/transactions', window({ page_size: 3 }), bearer);
    expect(Object.keys(reply.body)).toEqual(['transaction_details', 'account_number', 'start_date', 'end_date', 'last_refreshed_datetime', 'page', 'total_items', 'total_pages', 'links']);
    expect(reply.body.account_number).toBe(account.accountId);
    expect(reply.body.start_date).toBe('2026-05-01T00:00:00+0000');
    expect(reply.body.end_date).toBe('2026-05-29T00:00:00+0000');
    // now 12:00 minus the 3 h maximum lag, down to the hour, minus a second
    expect(reply.body.last_refreshed_datetime).toBe('2026-06-15T08:59:59+0000');
    expect(reply.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'next', 'last']);
    const info = reply.body.transaction_details[0].transaction_info;
    expect(info.transaction_id).toMatch(/^[0-9A-Z]{17}$/);
    expect(info.transaction_initiation_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(info.transaction_amount.value).toMatch(/^-?\d+(\.\d\d)?$/);
    const snapshot = account.getTransaction(info.transaction_id);
    expect(info.transaction_amount).toEqual({ currency_code: snapshot.currency, value: snapshot.amount });
    expect(reply.body.transaction_details[0].payer_info).toBeUndefined();

    const jpy = await get(standIn, '/v1/reporting/transactions', window({ transaction_currency: 'JPY', page_size: 5 }), bearer);
    expect(jpy.body.transaction_details.length).toBeGreaterThan(0);
    for (const d of jpy.body.transaction_details) expect(d.transaction_info.transaction_amount.value).toMatch(/^-?\d+$/);
  });

  it('returns the sections asked for in fields, and rejects unknown ones', async () => {
    const { standIn, bearer } = await withLedger(300);
    const all = await get(standIn, '/v1/reporting/transactions', window({ fields: 'all', page_size: 20 }), bearer);
    for (const d of all.body.transaction_details) {
      expect(Object.keys(d).sort()).toEqual(['auction_info', 'cart_info', 'incentive_info', 'payer_info', 'shipping_info', 'store_info', 'transaction_info']);
    }
    expect(all.body.transaction_details.some((d: { payer_info: { email_address?: string } }) => d.payer_info.email_address?.endsWith('@example.com'))).toBe(true);
    const some = await get(standIn, '/v1/reporting/transactions', window({ fields: 'transaction_info,payer_info', page_size: 5 }), bearer);
    expect(Object.keys(some.body.transaction_details[0]).sort()).toEqual(['payer_info', 'transaction_info']);
    const bad = await get(standIn, '/v1/reporting/transactions', window({ fields: 'transaction_info,everything' }), bearer);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'fields', value: 'transaction_info,everything', location: 'query' })]);
  });

  it('filters by transaction id and status, and leaves ending_balance out when a filter is used', async () => {
    const { standIn, account, bearer } = await withLedger(1000);
    const target = account.transactionIds({ ...WINDOW, balanceAffectingOnly: true })[123] as string;
    const unfiltered = await get(standIn, '/v1/reporting/transactions', window({ page_size: 500 }), bearer);
    const row = unfiltered.body.transaction_details.find((d: { transaction_info: { transaction_id: string } }) => d.transaction_info.transaction_id === target);
    expect(row.transaction_info.ending_balance).toBeDefined();

    const byId = await get(standIn, '/v1/reporting/transactions', window({ transaction_id: target }), bearer);
    expect(byId.body.transaction_details.map((d: { transaction_info: { transaction_id: string } }) => d.transaction_info.transaction_id)).toEqual([target]);
    expect(byId.body.transaction_details[0].transaction_info.ending_balance).toBeUndefined();

    const pending = await get(standIn, '/v1/reporting/transactions', window({ transaction_status: 'P', page_size: 500 }), bearer);
    expect(pending.body.total_items).toBeGreaterThan(0);
    for (const d of pending.body.transaction_details) expect(d.transaction_info.transaction_status).toBe('P');

    for (const [field, value] of [['transaction_status', 'X'], ['transaction_id', 'SHORT'], ['transaction_currency', 'usd'], ['balance_affecting_records_only', 'maybe'], ['transaction_amount', '10 to 20']] as const) {
      const reply = await get(standIn, '/v1/reporting/transactions', window({ [field]: value }), bearer);
      expect(reply.status, `${field}=${value}`).toBe(400);
      expect(reply.body.details[0]).toMatchObject({ field, value, location: 'query' });
    }
  });

  it('validates start_date and end_date: required, the spec pattern, at most 31 days, the last three years', async () => {
    const { standIn, bearer } = await withLedger(50);
    const search = (query: Record<string, string>) => get(standIn, '/v1/reporting/transactions', query, bearer);

    const missing = await search({ start_date: iso(WINDOW.start) });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ field: 'end_date', issue: 'MISSING_REQUIRED_PARAMETER', location: 'query' })]);

    for (const malformed of ['2026-05-01T00:00Z', '2026-05-01', '2026-05-01T00:00:00-0700', '2026-02-30T00:00:00Z', '2026-05-01 00:00:00Z']) {
      const reply = await search({ start_date: malformed, end_date: iso(WINDOW.end) });
      expect(reply.status, malformed).toBe(400);
      expect(reply.body.details[0]).toMatchObject({ field: 'start_date', value: malformed, issue: 'INVALID_PARAMETER_SYNTAX' });
    }
    expect((await search({ start_date: '2026-05-01T02:00:00+02:00', end_date: '2026-05-31t23:59:59.999z' })).status).toBe(200);

    const exactly31 = await search({ start_date: '2026-04-01T00:00:00Z', end_date: '2026-05-02T00:00:00Z' });
    expect(exactly31.status).toBe(200);
    const tooLong = await search({ start_date: '2026-04-01T00:00:00Z', end_date: '2026-05-02T00:00:01Z' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ name: 'INVALID_REQUEST', details: [{ field: 'end_date', issue: 'INVALID_PARAMETER_VALUE', location: 'query' }] });
    expect(tooLong.body.details[0].description).toContain('31 days');

    const reversed = await search({ start_date: '2026-05-02T00:00:00Z', end_date: '2026-05-01T00:00:00Z' });
    expect(reversed.status).toBe(400);
    const ancient = await search({ start_date: '2023-06-01T00:00:00Z', end_date: '2023-06-20T00:00:00Z' });
    expect(ancient.status).toBe(400);
    expect(ancient.body.details[0].field).toBe('start_date');

    for (const [field, value] of [['page_size', '501'], ['page_size', '0'], ['page', '0']] as const) {
      const reply = await search({ start_date: iso(WINDOW.start), end_date: iso(WINDOW.end), [field]: value });
      expect(reply.status).toBe(400);
      expect(reply.body.details[0]).toMatchObject({ field, value, issue: 'INVALID_PARAMETER_VALUE' });
    }
  });

  it('answers "Data for the given start date is not available." for a start after last_refreshed_datetime', async () => {
    const { standIn, bearer } = await withLedger(50);
    const ok = await get(standIn, '/v1/reporting/transactions', { start_date: '2026-06-15T08:59:59Z', end_date: '2026-06-15T12:00:00Z' }, bearer);
    expect(ok.status).toBe(200);
    const late = await get(standIn, '/v1/reporting/transactions', { start_date: '2026-06-15T09:00:00Z', end_date: '2026-06-15T12:00:00Z' }, bearer);
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ name: 'INVALID_REQUEST', message: 'Data for the given start date is not available.', details: [], links: [] });
  });

  it('shows a transaction only after its own reporting lag (below 3 h, the same for the same seed)', async () => {
    const standIn = await start();
    const other = await start();
    const account = standIn.account;
    const initiated = NOW - 5 * HOUR;
    const ids = Array.from({ length: 20 }, (_, k) => account.addTransaction({ initiatedAt: initiated + k * 1000, amount: '10.00', fee: '-0.64' }));
    const lags = ids.map((id) => account.transactionVisibleAt(id) - account.getTransaction(id).initiatedAt);
    expect(Math.max(...lags)).toBeLessThan(3 * HOUR);
    expect(new Set(lags).size).toBeGreaterThan(10);
    for (let k = 0; k < 20; k += 1) other.account.addTransaction({ initiatedAt: initiated + k * 1000, amount: '10.00' });
    expect(ids.map((id) => other.account.transactionVisibleAt(id) - other.account.getTransaction(id).initiatedAt)).toEqual(lags);

    const bearer = await token(standIn);
    const query = { start_date: iso(initiated - DAY), end_date: iso(NOW) };
    const visibleIds = async () => ((await get(standIn, '/v1/reporting/transactions', query, bearer)).body.transaction_details as { transaction_info: { transaction_id: string } }[]).map((d) => d.transaction_info.transaction_id);
    const target = ids[7] as string;
    const visibleAt = account.transactionVisibleAt(target);
    standIn.clock.set(visibleAt - 1);
    expect(await visibleIds()).not.toContain(target);
    standIn.clock.set(visibleAt);
    expect(await visibleIds()).toContain(target);
    standIn.clock.set(initiated + 3 * HOUR);
    expect(await visibleIds()).toEqual(ids);
  });

  it('keeps the initiation date when the status changes or the payment is refunded, and stamps the update date', async () => {
    const standIn = await start({ maxVisibilityLagMs: 0 });
    const account = standIn.account;
    const initiated = NOW - 10 * DAY;
    const pendingId = account.addTransaction({ initiatedAt: initiated, amount: '40.00', status: 'P', invoiceId: 'INV-1001' });
    const paidId = account.addTransaction({ initiatedAt: initiated + HOUR, amount: '25.00', fee: '-1.36', customField: 'order 77' });
    standIn.clock.advance(HOUR);
    account.setTransactionStatus(pendingId, 'S');
    const refundId = account.refundTransaction(paidId);

    const bearer = await token(standIn);
    const reply = await get(standIn, '/v1/reporting/transactions', { start_date: iso(initiated - DAY), end_date: iso(NOW + DAY) }, bearer);
    const byId = new Map((reply.body.transaction_details as { transaction_info: { transaction_id: string } }[]).map((d) => [d.transaction_info.transaction_id, d.transaction_info]));
    expect(byId.get(pendingId)).toMatchObject({
      transaction_status: 'S',
      transaction_initiation_date: '2026-06-05T12:00:00+0000',
      transaction_updated_date: '2026-06-15T13:00:00+0000',
      invoice_id: 'INV-1001',
    });
    expect(byId.get(paidId)).toMatchObject({ transaction_status: 'V', transaction_initiation_date: '2026-06-05T13:00:00+0000', transaction_updated_date: '2026-06-15T13:00:00+0000', custom_field: 'order 77' });
    expect(byId.get(refundId)).toMatchObject({
      transaction_event_code: 'T1107',
      transaction_amount: { currency_code: 'USD', value: '-25.00' },
      fee_amount: { currency_code: 'USD', value: '1.36' },
      paypal_reference_id: paidId,
      paypal_reference_id_type: 'TXN',
      transaction_initiation_date: '2026-06-15T13:00:00+0000',
    });
  });

  it('refuses a result set over 10,000 transactions with RESULTSET_TOO_LARGE', async () => {
    const account = new PayPalAccount({ clock: new StandInClock(NOW), seed: 5 });
    account.generateTransactions(11_000, { start: '2026-06-01T00:00:00Z', end: '2026-06-02T00:00:00Z', seed: 5 });
    const standIn = await start({ account });
    const bearer = await token(standIn);
    const expected = account.transactionIds({ start: '2026-06-01T00:00:00Z', end: '2026-06-02T00:00:00Z', balanceAffectingOnly: true }).length;
    expect(expected).toBeGreaterThan(10_000);
    const tooMany = await get(standIn, '/v1/reporting/transactions', { start_date: '2026-06-01T00:00:00Z', end_date: '2026-06-02T00:00:00Z' }, bearer);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ name: 'RESULTSET_TOO_LARGE', total_items: expected, maximum_items: 10_000 });
    const half = await get(standIn, '/v1/reporting/transactions', { start_date: '2026-06-01T00:00:00Z', end_date: '2026-06-01T12:00:00Z' }, bearer);
    expect(half.status).toBe(200);
  });
});

describe('balances', () => {
  it('answers the latest balances at as_of_time, by currency', async () => {
    const standIn = await start();
    const account = standIn.account;
    account.setBalances([{ currency: 'USD', total: '100.00', primary: true }, { currency: 'EUR', total: '50.00', withheld: '5.00' }], NOW - 2 * DAY);
    account.setBalances([{ currency: 'USD', total: '250.75', available: '200.75', withheld: '50.00', primary: true }], NOW - DAY);
    const bearer = await token(standIn);

    const latest = await get(standIn, '/v1/reporting/balances', {}, bearer);
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({
      balances: [
        {
          currency: 'USD',
          primary: true,
          total_balance: { currency_code: 'USD', value: '250.75' },
          available_balance: { currency_code: 'USD', value: '200.75' },
          withheld_balance: { currency_code: 'USD', value: '50.00' },
        },
        {
          currency: 'EUR',
          primary: false,
          total_balance: { currency_code: 'EUR', value: '50.00' },
          available_balance: { currency_code: 'EUR', value: '45.00' },
          withheld_balance: { currency_code: 'EUR', value: '5.00' },
        },
      ],
      account_id: account.accountId,
      as_of_time: '2026-06-15T12:00:00+0000',
      last_refresh_time: '2026-06-15T08:59:59+0000',
    });
    const earlier = await get(standIn, '/v1/reporting/balances', { as_of_time: iso(NOW - 36 * HOUR), currency_code: 'USD' }, bearer);
    expect(earlier.body.balances).toEqual([expect.objectContaining({ currency: 'USD', total_balance: { currency_code: 'USD', value: '100.00' } })]);
    const before = await get(standIn, '/v1/reporting/balances', { as_of_time: iso(NOW - 3 * DAY) }, bearer);
    expect(before.body.balances).toEqual([]);
    const bad = await get(standIn, '/v1/reporting/balances', { currency_code: 'US' }, bearer);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'currency_code', value: 'US' });
  });
});

describe('customer disputes', () => {
  async function withDisputes(count: number) {
    const standIn = await start();
    for (let k = 0; k < count; k += 1) {
      standIn.account.addDispute({ createTime: NOW - (count - k) * HOUR, amount: `${10 + k}.00`, status: k % 3 === 0 ? 'RESOLVED' : 'WAITING_FOR_SELLER_RESPONSE', transactionId: `TXN${String(k).padStart(14, '0')}` });
    }
    return { standIn, bearer: await token(standIn) };
  }

  async function pageAll(standIn: PayPalStandIn, bearer: string, query: Record<string, string | number>, onPage?: (n: number) => void) {
    const ids: string[] = [];
    let next: string | undefined = new URL(`/v1/customer/disputes?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`, standIn.url).href;
    for (let n = 0; next; n += 1) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${bearer}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items?: { dispute_id: string }[]; links: { rel: string; href: string }[] };
      ids.push(...(body.items ?? []).map((d) => d.dispute_id));
      next = body.links.find((l) => l.rel === 'next')?.href;
      onPage?.(n);
    }
    return ids;
  }

  it('pages with next_page_token, newest first, each dispute exactly once even when disputes change mid-way', async () => {
    const { standIn, bearer } = await withDisputes(35);
    const expected = standIn.account.disputeIds();
    expect(await pageAll(standIn, bearer, { page_size: 10 })).toEqual(expected);
    // A new dispute sorts first: offset paging would serve the item at the page boundary twice; the token does not.
    const seen = await pageAll(standIn, bearer, { page_size: 10 }, (n) => {
      if (n === 1) {
        standIn.account.updateDispute(expected[3] as string, { status: 'UNDER_REVIEW' });
        standIn.account.addDispute({ id: 'PP-D-NEW', amount: '5.00' });
      }
    });
    expect(seen).toEqual(expected);
    expect(standIn.account.disputeIds()[0]).toBe('PP-D-NEW');
    const first = await get(standIn, '/v1/customer/disputes', {}, bearer);
    expect(first.body.items).toHaveLength(10);
    const nextHref = first.body.links.find((l: { rel: string }) => l.rel === 'next').href as string;
    expect(nextHref).toMatch(/next_page_token=[A-Za-z0-9%]+/);
    expect(Object.keys(first.body.items[0]).sort()).toEqual(['create_time', 'dispute_amount', 'dispute_channel', 'dispute_id', 'dispute_life_cycle_stage', 'dispute_state', 'links', 'reason', 'status', 'update_time']);
  });

  it('filters by update time, state, and transaction; the default window is the last 180 days', async () => {
    const { standIn, bearer } = await withDisputes(12);
    const account = standIn.account;
    const ids = account.disputeIds();
    standIn.clock.advance(HOUR);
    expect(account.getDispute(ids[4] as string)?.state).toBe('REQUIRED_ACTION');
    account.updateDispute(ids[4] as string, { status: 'RESOLVED', outcome: 'RESOLVED_SELLER_FAVOUR' });
    expect(await pageAll(standIn, bearer, { update_time_after: iso(NOW + 30 * 60_000) })).toEqual([ids[4]]);
    const resolved = await pageAll(standIn, bearer, { dispute_state: 'RESOLVED', page_size: 50 });
    expect(resolved.sort()).toEqual(ids.filter((id) => account.getDispute(id)?.state === 'RESOLVED').sort());
    expect(resolved.length).toBe(5);
    expect(await pageAll(standIn, bearer, { disputed_transaction_id: 'TXN00000000000004' })).toEqual([account.disputeIds().find((id) => account.getDispute(id)?.transactionId === 'TXN00000000000004')]);

    account.addDispute({ id: 'PP-D-1', createTime: NOW - 200 * DAY, amount: '9.99' });
    expect(await pageAll(standIn, bearer, { page_size: 50 })).not.toContain('PP-D-1');
  });

  it('rejects bad parameters and foreign page tokens', async () => {
    const { standIn, bearer } = await withDisputes(3);
    const cases: [Record<string, string>, string][] = [
      [{ page_size: '51' }, 'page_size'],
      [{ next_page_token: 'not a token!' }, 'next_page_token'],
      [{ next_page_token: 'Zm9vYmFy' }, 'next_page_token'],
      [{ dispute_state: 'OPEN' }, 'dispute_state'],
      [{ update_time_after: iso(NOW - 181 * DAY) }, 'update_time_after'],
      [{ start_time: iso(NOW - DAY), disputed_transaction_id: 'TXN1' }, 'disputed_transaction_id'],
      [{ update_time_after: iso(NOW - DAY), update_time_before: iso(NOW - 2 * DAY) }, 'update_time_before'],
    ];
    for (const [query, field] of cases) {
      const reply = await get(standIn, '/v1/customer/disputes', query, bearer);
      expect(reply.status, JSON.stringify(query)).toBe(400);
      expect(reply.body).toMatchObject({ name: 'INVALID_REQUEST', details: [expect.objectContaining({ field, location: 'query' })] });
    }
  });

  it('serves dispute details and 404 for an unknown id', async () => {
    const standIn = await start();
    const txn = standIn.account.addTransaction({ initiatedAt: NOW - 3 * DAY, amount: '80.00' });
    const dispute = standIn.account.addDispute({ createTime: NOW - DAY, amount: '80.00', transactionId: txn, reason: 'UNAUTHORISED', status: 'WAITING_FOR_SELLER_RESPONSE', sellerResponseDue: NOW + 9 * DAY });
    const bearer = await token(standIn);
    const detail = await get(standIn, `/v1/customer/disputes/${dispute.id}`, {}, bearer);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      dispute_id: dispute.id,
      reason: 'UNAUTHORISED',
      status: 'WAITING_FOR_SELLER_RESPONSE',
      dispute_amount: { currency_code: 'USD', value: '80.00' },
      create_time: new Date(NOW - DAY).toISOString(),
      seller_response_due_date: new Date(NOW + 9 * DAY).toISOString(),
      disputed_transactions: [{ seller_transaction_id: txn, gross_amount: { currency_code: 'USD', value: '80.00' }, seller: { merchant_id: standIn.account.accountId } }],
    });
    const missing = await get(standIn, '/v1/customer/disputes/PP-D-404', {}, bearer);
    expect(missing.status).toBe(404);
    expect(missing.body.name).toBe('RESOURCE_NOT_FOUND');
  });
});

describe('faults', () => {
  it('rate-limit: 429 RATE_LIMIT_REACHED with Retry-After', async () => {
    const standIn = await start({ faults: { rate: 1, kinds: ['rate-limit'], retryAfterSeconds: 7 } });
    const reply = await get(standIn, '/v1/catalogs/products', {}, 'whatever');
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(reply.body).toMatchObject({ name: 'RATE_LIMIT_REACHED', message: 'Too many requests. Blocked due to rate limiting.' });
    expect(reply.body.debug_id).toMatch(/^[0-9a-f]{13}$/);
    expect(standIn.stats.faults['rate-limit']).toBe(1);
  });

  it('server-error: 500 INTERNAL_SERVER_ERROR', async () => {
    const standIn = await start({ faults: { rate: 1, kinds: ['server-error'] } });
    const reply = await get(standIn, '/v1/reporting/balances', {}, 'whatever');
    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({ name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error occurred.' });
  });

  it('slow: the answer comes after slowMs; drop: the connection is reset', async () => {
    const standIn = await start();
    const bearer = await token(standIn);
    standIn.setFaults({ rate: 1, kinds: ['slow'], slowMs: 300 });
    const began = Date.now();
    expect((await get(standIn, '/v1/catalogs/products', {}, bearer)).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    standIn.setFaults({ rate: 1, kinds: ['drop'] });
    await expect(get(standIn, '/v1/catalogs/products', {}, bearer)).rejects.toThrow();
    expect(standIn.stats.faults).toMatchObject({ slow: 1, drop: 1 });
  });

  it('expired-token: the request fails 401 like an expired token, and a new token works', async () => {
    const standIn = await start();
    const bearer = await token(standIn);
    standIn.setFaults({ rate: 1, kinds: ['expired-token'], exempt: (r) => r.url.pathname === '/v1/oauth2/token' });
    expect((await get(standIn, '/v1/reporting/balances', {}, bearer)).body.name).toBe('AUTHENTICATION_FAILURE');
    const fresh = await token(standIn);
    expect(fresh).not.toBe(bearer);
    standIn.setFaults(null);
    expect((await get(standIn, '/v1/reporting/balances', {}, fresh)).status).toBe(200);
  });

  it('the same seed replays the same fault sequence', async () => {
    const standIn = await start();
    const bearer = await token(standIn);
    const run = async () => {
      standIn.setFaults({ rate: 0.5, kinds: ['rate-limit', 'server-error'], seed: 42 });
      const statuses: number[] = [];
      for (let k = 0; k < 16; k += 1) statuses.push((await get(standIn, '/v1/reporting/balances', {}, bearer)).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((s) => s === 429 || s === 500)).toBe(true);
  });
});

describe('account generator', () => {
  it('is deterministic per seed', async () => {
    const range = { start: '2026-03-01T00:00:00Z', end: '2026-03-20T00:00:00Z' };
    const a = generatePayPalAccount(2000, 77, { clock: new StandInClock(NOW), ...range });
    const b = generatePayPalAccount(2000, 77, { clock: new StandInClock(NOW), ...range });
    const c = generatePayPalAccount(2000, 78, { clock: new StandInClock(NOW), ...range });
    const idsA = a.transactionIds(range);
    expect(idsA).toHaveLength(2000);
    expect(b.transactionIds(range)).toEqual(idsA);
    expect(a.productIds()).toEqual(b.productIds());
    expect(a.disputeIds()).toEqual(b.disputeIds());
    expect(idsA.map((id) => a.getTransaction(id))).toEqual(idsA.map((id) => b.getTransaction(id)));
    const idsC = c.transactionIds(range);
    expect(idsC.filter((id) => idsA.includes(id))).toEqual([]);
    const events = new Set(idsA.map((id) => a.getTransaction(id).eventCode));
    expect([...events].sort()).toEqual(['T0002', 'T0006', 'T0007', 'T0011', 'T0013', 'T0400', 'T1107', 'T1201', 'T1300']);
    const standInA = await start({ account: a });
    const standInB = await start({ account: b });
    const page = (s: PayPalStandIn) => get(s, '/v1/reporting/transactions', { start_date: '2026-03-01T00:00:00Z', end_date: '2026-03-20T00:00:00Z', fields: 'all', page_size: 50 });
    expect((await page(standInA)).body.transaction_details).toEqual((await page(standInB)).body.transaction_details);
  });

  it('creates a million transactions and serves a window of them', async () => {
    const account = generatePayPalAccount(1_000_000, 9, { clock: new StandInClock(NOW), start: '2026-01-01T00:00:00Z', end: '2026-06-01T00:00:00Z' });
    expect(account.transactionCount).toBe(1_000_000);
    const standIn = await start({ account });
    const reply = await get(standIn, '/v1/reporting/transactions', { start_date: '2026-03-01T00:00:00Z', end_date: '2026-03-01T12:00:00Z', page_size: 500, page: 2 });
    expect(reply.status).toBe(200);
    expect(reply.body.total_items).toBe(account.transactionIds({ start: '2026-03-01T00:00:00Z', end: '2026-03-01T12:00:00Z', balanceAffectingOnly: true }).length);
    expect(reply.body.total_items).toBeGreaterThan(2500);
    expect(reply.body.transaction_details).toHaveLength(500);
  });
});

describe('@paypal/paypal-server-sdk as a second client', () => {
  const httpAdapter = axios.getAdapter('http');

  function sdkClient(standIn: PayPalStandIn, clientSecret = standIn.credentials.clientSecret): Client {
    // The SDK has no base-URL option: rewrite PayPal's sandbox origin to the stand-in in an axios adapter.
    const adapter = (config: InternalAxiosRequestConfig) => {
      const target = new URL(config.url ?? '/', 'https://api-m.sandbox.paypal.com');
      config.url = `${standIn.url}${target.pathname}${target.search}`;
      return httpAdapter(config);
    };
    return new Client({
      environment: Environment.Sandbox,
      clientCredentialsAuthCredentials: { oAuthClientId: standIn.credentials.clientId, oAuthClientSecret: clientSecret },
      timeout: 10_000,
      unstable_httpClientOptions: { adapter },
    });
  }

  it('fetches its own token and pages searchTransactions over exactly the seeded transactions', async () => {
    const range = { start: '2026-05-03T00:00:00Z', end: '2026-05-30T00:00:00Z' };
    const standIn = await start({ account: generatePayPalAccount(2500, 31, { clock: new StandInClock(NOW), ...range }) });
    const search = new TransactionSearchController(sdkClient(standIn));
    const seen: string[] = [];
    let pages = 0;
    for (let page = 1; ; page += 1) {
      const { result, statusCode } = await search.searchTransactions({ startDate: '2026-05-03T00:00:00Z', endDate: '2026-05-30T00:00:00Z', fields: 'all', pageSize: 200, page });
      expect(statusCode).toBe(200);
      pages += 1;
      for (const detail of result.transactionDetails ?? []) seen.push(detail.transactionInfo?.transactionId as string);
      if (page >= (result.totalPages ?? 0)) break;
    }
    const expected = standIn.account.transactionIds({ ...range, balanceAffectingOnly: true });
    expect(seen.length).toBe(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(pages).toBe(Math.ceil(expected.length / 200));
    expect(standIn.tokensIssued()).toBe(1);
    expect(standIn.stats.byRoute.get('POST /v1/oauth2/token')).toBe(1);
  });

  it('reads the seeded balances with searchBalances', async () => {
    const standIn = await start();
    standIn.account.setBalances([{ currency: 'USD', total: '1200.50', primary: true }, { currency: 'GBP', total: '80.00', withheld: '20.00' }], NOW - HOUR);
    const { result } = await new TransactionSearchController(sdkClient(standIn)).searchBalances({});
    expect(result.accountId).toBe(standIn.account.accountId);
    expect(result.balances?.map((b) => [b.currency, b.primary, b.totalBalance.value, b.availableBalance?.value, b.withheldBalance?.value])).toEqual([
      ['USD', true, '1200.50', '1200.50', '0.00'],
      ['GBP', false, '80.00', '60.00', '20.00'],
    ]);
  });

  it('surfaces PayPal errors: a 40-day window, and bad client credentials', async () => {
    const standIn = await start();
    const search = new TransactionSearchController(sdkClient(standIn));
    const tooLong = search.searchTransactions({ startDate: '2026-04-01T00:00:00Z', endDate: '2026-05-11T00:00:00Z' });
    const error = (await tooLong.catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.statusCode).toBe(400);
    expect(JSON.parse(String(error.body))).toMatchObject({ name: 'INVALID_REQUEST', details: [{ field: 'end_date' }] });
    const badClient = new TransactionSearchController(sdkClient(standIn, 'wrong')).searchBalances({});
    await expect(badClient).rejects.toMatchObject({ statusCode: 401 });
  });
});
