import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from './support/shared-reference.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { generatePayPalAccount, startPayPalStandIn, type PayPalStandIn } from '../src/standins/paypal/index.js';
import { PAYPAL_SPEC_ALLOWANCES, PayPalSpecChecker, type PayPalSpec } from './support/standin-contracts/paypal-spec-checker.js';

/**
 * Every endpoint the PayPal stand-in serves, success and error answers, validated against PayPal's published
 * OpenAPI files (shared/reference/payment-apis/paypal/openapi). A violation fails with the body pointer, the
 * Ajv message and the spec location.
 */

const NOW = Date.parse('2026-06-15T12:00:00Z');
const SPEC_DIR = path.join(sharedDir, 'reference', 'payment-apis', 'paypal', 'openapi');

let checker: PayPalSpecChecker;
let standIn: PayPalStandIn;
let bearer: string;

beforeAll(async () => {
  checker = new PayPalSpecChecker(SPEC_DIR);
  const account = generatePayPalAccount(1500, 21, { clock: new StandInClock(NOW), start: '2026-05-01T00:00:00Z', end: '2026-05-25T00:00:00Z', products: 30, disputes: 25 });
  // Every field the catalog knows, to check them all.
  account.addProduct({ name: 'Full Product', description: 'Every field set', type: 'SERVICE', category: 'ONLINE_SERVICES', imageUrl: 'https://example.com/i.png', homeUrl: 'https://example.com/p' });
  const paid = account.addTransaction({ initiatedAt: '2026-05-20T10:00:00Z', amount: '99.00', fee: '-3.95', invoiceId: 'INV-77', customField: 'cart 9', subject: 'Order 77', note: 'Thanks!', storeId: 'STORE1', terminalId: 'T1' });
  account.refundTransaction(paid, { amount: '9.00', at: '2026-05-21T10:00:00Z' });
  account.addDispute({ createTime: NOW - 86_400_000, amount: '99.00', transactionId: paid, status: 'RESOLVED', outcome: 'RESOLVED_BUYER_FAVOUR' });
  standIn = await startPayPalStandIn({ account, maxResultSetSize: 10_000 });
  const res = await fetch(`${standIn.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${standIn.credentials.clientId}:${standIn.credentials.clientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  bearer = ((await res.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await standIn?.close();
});

interface Case {
  spec: PayPalSpec;
  path: string;
  status: number;
  auth?: boolean;
  /** Allowance ids this answer is expected to need (none when left out). */
  allowances?: string[];
}

async function verify(c: Case): Promise<unknown> {
  const res = await fetch(`${standIn.url}${c.path}`, { headers: c.auth === false ? {} : { authorization: `Bearer ${bearer}` } });
  const body: unknown = await res.json();
  expect(res.status, `${c.path}: ${JSON.stringify(body).slice(0, 300)}`).toBe(c.status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const result = checker.check({ spec: c.spec, method: 'GET', path: c.path, status: res.status, body });
  expect(result.operation, c.path).not.toBeNull();
  expect(result.errors, `${c.path} -> ${res.status} breaks ${c.spec}.json:\n${result.errors.join('\n')}`).toEqual([]);
  const used = [...new Set(result.allowed.map((line) => line.slice(line.lastIndexOf(' -- ') + 4)))].sort();
  expect(used, `${c.path}: allowed\n${result.allowed.join('\n')}`).toEqual([...(c.allowances ?? [])].sort());
  return body;
}

const window = 'start_date=2026-05-01T00:00:00Z&end_date=2026-05-26T00:00:00Z';

describe('catalogs_products_v1.json', () => {
  it('GET /v1/catalogs/products: pages, an empty page past the end, 400, 401', async () => {
    const first = (await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products?page_size=20&page=1&total_required=true', status: 200 })) as { total_pages: number };
    expect(first.total_pages).toBe(2);
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products?page_size=20&page=2', status: 200 });
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products?page=9', status: 200 });
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products?page_size=21', status: 400 });
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products?page=abc&total_required=maybe', status: 400 });
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products', status: 401, auth: false });
  });

  it('GET /v1/catalogs/products/{product_id}: every product, and 404', async () => {
    for (const id of standIn.account.productIds()) await verify({ spec: 'catalogs_products_v1', path: `/v1/catalogs/products/${id}`, status: 200 });
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products/PROD-UNKNOWN', status: 404 });
    await verify({ spec: 'catalogs_products_v1', path: '/v1/catalogs/products/PROD-UNKNOWN', status: 401, auth: false });
  });
});

describe('reporting_transactions_v1.json', () => {
  it('GET /v1/reporting/transactions: every generated record with fields=all', async () => {
    let pages = 0;
    for (let page = 1; ; page += 1) {
      const body = (await verify({ spec: 'reporting_transactions_v1', path: `/v1/reporting/transactions?${window}&fields=all&page_size=500&page=${page}`, status: 200, allowances: ['reporting-time-offset'] })) as { total_pages: number };
      pages = body.total_pages;
      if (page >= pages) break;
    }
    expect(pages).toBe(3);
    await verify({ spec: 'reporting_transactions_v1', path: `/v1/reporting/transactions?${window}&balance_affecting_records_only=N&page_size=500&page=1&transaction_currency=EUR`, status: 200, allowances: ['reporting-time-offset'] });
  });

  it('GET /v1/reporting/transactions: empty result, and each error', async () => {
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:00Z', status: 200, allowances: ['reporting-time-offset', 'empty-transaction-details'] });
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/transactions?start_date=2026-04-01T00:00:00Z&end_date=2026-05-15T00:00:00Z', status: 400 });
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/transactions?start_date=yesterday&page_size=900', status: 400 });
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/transactions?start_date=2026-06-15T10:00:00Z&end_date=2026-06-15T11:00:00Z', status: 400, allowances: ['data-not-available-error'] });
    await verify({ spec: 'reporting_transactions_v1', path: `/v1/reporting/transactions?${window}`, status: 401, auth: false });
  });

  it('GET /v1/reporting/transactions: RESULTSET_TOO_LARGE', async () => {
    const small = await startPayPalStandIn({ account: standIn.account, maxResultSetSize: 100 });
    try {
      const res = await fetch(`${small.url}/v1/reporting/transactions?${window}`, { headers: { authorization: `Bearer ${await tokenFor(small)}` } });
      const body: unknown = await res.json();
      expect(res.status).toBe(400);
      const result = checker.check({ spec: 'reporting_transactions_v1', method: 'GET', path: '/v1/reporting/transactions', status: 400, body });
      expect(result.errors, result.errors.join('\n')).toEqual([]);
      expect(result.allowed.every((line) => line.endsWith('-- resultset-too-large-error'))).toBe(true);
      expect(result.allowed.length).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });

  it('with specConformantWire, reporting answers need no allowance at all', async () => {
    const strict = await startPayPalStandIn({ account: standIn.account, specConformantWire: true });
    try {
      const strictBearer = await tokenFor(strict);
      for (const p of [`/v1/reporting/transactions?${window}&fields=all&page_size=500`, '/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:00Z', '/v1/reporting/balances']) {
        const res = await fetch(`${strict.url}${p}`, { headers: { authorization: `Bearer ${strictBearer}` } });
        const body: unknown = await res.json();
        expect(res.status).toBe(200);
        const result = checker.check({ spec: 'reporting_transactions_v1', method: 'GET', path: p, status: 200, body });
        expect(result.errors, result.errors.join('\n')).toEqual([]);
        expect(result.allowed, result.allowed.join('\n')).toEqual([]);
      }
    } finally {
      await strict.close();
    }
  });

  it('GET /v1/reporting/balances: now, as_of_time, one currency, 400, 401', async () => {
    const body = (await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/balances', status: 200, allowances: ['reporting-time-offset'] })) as { balances: unknown[] };
    expect(body.balances.length).toBe(5);
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/balances?as_of_time=2026-05-24T00:00:00Z&currency_code=EUR', status: 200, allowances: ['reporting-time-offset'] });
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/balances?currency_code=EURO', status: 400 });
    await verify({ spec: 'reporting_transactions_v1', path: '/v1/reporting/balances', status: 401, auth: false });
  });
});

describe('customer_disputes_v1.json', () => {
  it('GET /v1/customer/disputes: every page, empty, 400, 401', async () => {
    let next: string | undefined = '/v1/customer/disputes?page_size=7';
    let pages = 0;
    while (next) {
      const body = (await verify({ spec: 'customer_disputes_v1', path: next, status: 200 })) as { links: { rel: string; href: string }[] };
      const href = body.links.find((l) => l.rel === 'next')?.href;
      next = href === undefined ? undefined : href.slice(standIn.url.length);
      pages += 1;
    }
    expect(pages).toBe(4);
    await verify({ spec: 'customer_disputes_v1', path: '/v1/customer/disputes?dispute_state=APPEALABLE', status: 200 });
    await verify({ spec: 'customer_disputes_v1', path: '/v1/customer/disputes?next_page_token=bm9wZQ%3D%3D', status: 400 });
    await verify({ spec: 'customer_disputes_v1', path: '/v1/customer/disputes?page_size=0&dispute_state=LOST', status: 400 });
    await verify({ spec: 'customer_disputes_v1', path: '/v1/customer/disputes', status: 401, auth: false });
  });

  it('GET /v1/customer/disputes/{id}: every dispute, and 404', async () => {
    for (const id of standIn.account.disputeIds()) await verify({ spec: 'customer_disputes_v1', path: `/v1/customer/disputes/${id}`, status: 200 });
    await verify({ spec: 'customer_disputes_v1', path: '/v1/customer/disputes/PP-D-0', status: 404 });
  });
});

describe('injected faults', () => {
  it('429 and 500 bodies, on every spec', async () => {
    // The disputes file's default response is the generic error schema, which RATE_LIMIT_REACHED satisfies as is.
    const cases: [PayPalSpec, string, string[]][] = [
      ['catalogs_products_v1', '/v1/catalogs/products', ['rate-limit-error']],
      ['reporting_transactions_v1', `/v1/reporting/transactions?${window}`, ['rate-limit-error']],
      ['customer_disputes_v1', '/v1/customer/disputes', []],
    ];
    for (const [kind, status] of [['rate-limit', 429], ['server-error', 500]] as const) {
      standIn.setFaults({ rate: 1, kinds: [kind] });
      try {
        for (const [spec, p, allowances] of cases) await verify({ spec, path: p, status, allowances: kind === 'rate-limit' ? allowances : [] });
      } finally {
        standIn.setFaults(null);
      }
    }
  });

  it('every documented allowance was needed by some answer above', () => {
    const ids = [...PAYPAL_SPEC_ALLOWANCES.map((a) => a.id), 'rate-limit-error', 'resultset-too-large-error', 'data-not-available-error'];
    expect(ids.filter((id) => !checker.used.has(id))).toEqual([]);
  });
});

async function tokenFor(s: PayPalStandIn): Promise<string> {
  const res = await fetch(`${s.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${s.credentials.clientId}:${s.credentials.clientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
