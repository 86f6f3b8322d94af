import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_API_VERSION, DEFAULT_STRIPE_KEY, generateStripeAccount, maskApiKey, startStripeStandIn, StripeAccount, type StripeStandIn } from '../src/standins/stripe/index.js';

/**
 * Behaviour of the Stripe stand-in: paging, limits, validation, windows and filters, events and their 30-day
 * retention, auth, every fault kind, the generator, and the official `stripe` SDK as a second client.
 * Needs nothing from shared/ (the spec checks are in standin-stripe-contract.test.ts).
 */

type Json = Record<string, unknown>;
const NOW = Date.UTC(2026, 10, 15, 12) / 1000;
const DAY = 86_400;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

async function call(standIn: StripeStandIn, pathAndQuery: string, headers: Record<string, string> = { Authorization: `Bearer ${DEFAULT_STRIPE_KEY}` }): Promise<Answer> {
  const response = await fetch(standIn.url + pathAndQuery, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

function ids(body: Json): string[] {
  return (body.data as Json[]).map((item) => String(item.id));
}

/** Walks a list with starting_after (or backwards with ending_before) and returns every id in visiting order. */
async function walk(standIn: StripeStandIn, path: string, query: string, limit: number, direction: 'forward' | 'backward' = 'forward'): Promise<{ ids: string[]; pages: number }> {
  const out: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const cursorParam: string = cursor ? `&${direction === 'forward' ? 'starting_after' : 'ending_before'}=${cursor}` : '';
    const page = await call(standIn, `${path}?limit=${limit}${query}${cursorParam}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    pages += 1;
    const pageIds = ids(page.body);
    out.push(...(direction === 'forward' ? pageIds : [...pageIds].reverse()));
    if (!page.body.has_more) return { ids: out, pages };
    cursor = (direction === 'forward' ? pageIds[pageIds.length - 1] : pageIds[0]) ?? null;
  }
}

describe('Stripe stand-in: a generated account', () => {
  let standIn: StripeStandIn;
  let account: StripeAccount;
  let stripe: Stripe;

  beforeAll(async () => {
    account = generateStripeAccount(2_500, 42, { clock: new StandInClock(NOW * 1000), from: NOW - 60 * DAY, to: NOW - 60 });
    standIn = await startStripeStandIn({ account });
    stripe = new Stripe(DEFAULT_STRIPE_KEY, { host: '127.0.0.1', port: Number(new URL(standIn.url).port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  });

  afterAll(async () => {
    await standIn.close();
  });

  it('has the seeded counts: 2,500 charges, each with a PaymentIntent, and the objects around them', () => {
    expect(account.count('charge')).toBe(2_500);
    expect(account.count('payment_intent')).toBe(2_500);
    expect(account.count('customer')).toBe(125);
    expect(account.count('refund')).toBeGreaterThan(40);
    expect(account.count('dispute')).toBeGreaterThan(3);
    expect(account.count('payout')).toBeGreaterThan(50);
    expect(account.count('subscription')).toBeGreaterThan(10);
    expect(account.count('invoice')).toBeGreaterThan(account.count('subscription'));
    expect(account.count('product')).toBe(6);
    expect(account.count('price')).toBe(9);
    // Every succeeded charge, refund, dispute and payout booked exactly one balance transaction.
    const booked = account.ids('charge').filter((id) => account.retrieve('charge', id)?.status === 'succeeded').length;
    expect(account.count('balance_transaction')).toBe(booked + account.count('refund') + account.count('dispute') + account.count('payout'));
  });

  it('pages through every charge exactly once, newest first, forwards and backwards', async () => {
    const expected = account.ids('charge');
    const forward = await walk(standIn, '/v1/charges', '', 100);
    expect(forward.pages).toBe(25);
    expect(forward.ids).toEqual(expected);
    expect(new Set(forward.ids).size).toBe(2_500);

    // Backwards from the oldest: ending_before pages still come newest first; walking them back visits all.
    const oldest = expected[expected.length - 1] as string;
    const backward: string[] = [oldest];
    let cursor = oldest;
    for (;;) {
      const page = await call(standIn, `/v1/charges?limit=77&ending_before=${cursor}`);
      const pageIds = ids(page.body);
      backward.unshift(...pageIds);
      if (!page.body.has_more) break;
      cursor = pageIds[0] as string;
    }
    expect(backward).toEqual(expected);
  });

  it('orders by created desc, then id desc, and has_more is exact at page boundaries', async () => {
    const charges = (await call(standIn, '/v1/charges?limit=100')).body.data as Json[];
    for (let i = 1; i < charges.length; i += 1) {
      const a = charges[i - 1] as Json;
      const b = charges[i] as Json;
      expect((a.created as number) > (b.created as number) || (a.created === b.created && String(a.id) > String(b.id))).toBe(true);
    }
    const all = account.ids('refund');
    const exact = await call(standIn, `/v1/refunds?limit=${all.length}`);
    expect(exact.body.has_more).toBe(false);
    expect(ids(exact.body)).toEqual(all);
    const short = await call(standIn, `/v1/refunds?limit=${all.length - 1}`);
    expect(short.body.has_more).toBe(true);
    const last = await call(standIn, `/v1/refunds?limit=5&starting_after=${all[all.length - 6]}`);
    expect(ids(last.body)).toEqual(all.slice(-5));
    expect(last.body.has_more).toBe(false);
  });

  it('defaults to 10 per page and accepts 1..100 only, with Stripe error bodies', async () => {
    const standard = await call(standIn, '/v1/customers');
    expect(ids(standard.body)).toHaveLength(10);
    expect(standard.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
    expect(ids((await call(standIn, '/v1/customers?limit=1')).body)).toHaveLength(1);
    expect(ids((await call(standIn, '/v1/customers?limit=100')).body)).toHaveLength(100);
    // expand[] is accepted (and ignored: ids stay ids).
    const expanded = await call(standIn, '/v1/charges?limit=2&expand[]=data.customer&expand[]=data.balance_transaction');
    expect(expanded.status).toBe(200);
    expect(typeof (expanded.body.data as Json[])[0]?.balance_transaction).toBe('string');
    for (const [limit, message] of [
      ['0', 'This value must be greater than or equal to 1.'],
      ['101', 'This value must be less than or equal to 100.'],
      ['-5', 'This value must be greater than or equal to 1.'],
      ['ten', 'Invalid integer: ten'],
      ['1.5', 'Invalid integer: 1.5'],
    ]) {
      const answer = await call(standIn, `/v1/customers?limit=${limit}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { type: 'invalid_request_error', message, param: 'limit' } });
    }
  });

  it('rejects unknown parameters, malformed ranges and enum values the way Stripe does', async () => {
    const cases: [string, Json][] = [
      ['/v1/charges?status=succeeded', { message: 'Received unknown parameter: status', param: 'status' }],
      ['/v1/charges?created[since]=1', { message: 'Received unknown parameter: created[since]', param: 'created[since]' }],
      ['/v1/charges?created[gte]=yesterday', { message: 'Invalid integer: yesterday', param: 'created[gte]' }],
      ['/v1/charges?created=soon', { message: 'Invalid integer: soon', param: 'created' }],
      ['/v1/invoices?status=late', { message: 'Invalid status: must be one of draft, open, paid, uncollectible, or void', param: 'status' }],
      ['/v1/subscriptions?collection_method=cash', { param: 'collection_method' }],
      ['/v1/prices?active=maybe', { message: 'Invalid boolean: maybe', param: 'active' }],
      ['/v1/prices?recurring[interval]=hour', { param: 'recurring[interval]' }],
      ['/v1/events?types=charge.succeeded', { message: 'Invalid array', param: 'types' }],
    ];
    for (const [url, error] of cases) {
      const answer = await call(standIn, url);
      expect(answer.status, url).toBe(400);
      expect(answer.body.error, url).toMatchObject({ type: 'invalid_request_error', ...error });
    }
  });

  it('answers unknown and conflicting cursors with resource_missing / invalid_request_error', async () => {
    const missing = await call(standIn, '/v1/charges?starting_after=ch_1zzzzzzzNotARealCharge00');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'resource_missing', param: 'starting_after', message: "No such charge: 'ch_1zzzzzzzNotARealCharge00'" });
    const wrongKind = await call(standIn, `/v1/charges?ending_before=${account.ids('customer')[0]}`);
    expect(wrongKind.body.error).toMatchObject({ code: 'resource_missing', param: 'ending_before' });
    const [first, second] = account.ids('charge');
    const both = await call(standIn, `/v1/charges?starting_after=${first}&ending_before=${second}`);
    expect(both.status).toBe(400);
    expect((both.body.error as Json).message).toBe('You may only specify one of these parameters: ending_before, starting_after.');
  });

  it('retrieves by id and answers 404 resource_missing for unknown ids', async () => {
    const id = account.ids('invoice')[3] as string;
    const one = await call(standIn, `/v1/invoices/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(account.retrieve('invoice', id));
    const missing = await call(standIn, '/v1/payouts/po_1zzzzzzzNotARealPayout000');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'resource_missing',
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
      message: "No such payout: 'po_1zzzzzzzNotARealPayout000'",
      param: 'id',
    });
    expect((await call(standIn, '/v1/charges/ch_1abc/refunds')).status).toBe(404);
    const unknownRoute = await call(standIn, '/v1/widgets');
    expect(unknownRoute.status).toBe(404);
    expect((unknownRoute.body.error as Json).message).toMatch(/^Unrecognized request URL \(GET: \/v1\/widgets\)/);
  });

  it('applies created windows (integer and gt/gte/lt/lte) inclusively as Stripe does', async () => {
    const from = NOW - 20 * DAY;
    const to = NOW - 10 * DAY;
    const inWindow = account.ids('charge', { from, to });
    expect(inWindow.length).toBeGreaterThan(300);
    expect((await walk(standIn, '/v1/charges', `&created[gte]=${from}&created[lte]=${to}`, 100)).ids).toEqual(inWindow);
    expect((await walk(standIn, '/v1/charges', `&created[gt]=${from - 1}&created[lt]=${to + 1}`, 100)).ids).toEqual(inWindow);
    const exactly = account.retrieve('charge', inWindow[0] as string)?.created as number;
    const sameSecond = (await call(standIn, `/v1/charges?limit=100&created=${exactly}`)).body;
    expect(ids(sameSecond)).toEqual(account.ids('charge', { from: exactly, to: exactly }));
    expect(ids((await call(standIn, `/v1/charges?created[gte]=${NOW + DAY}`)).body)).toEqual([]);
    // A cursor outside the window still positions the page: what follows it inside the window.
    const newest = account.ids('charge')[0] as string;
    const afterNewest = await call(standIn, `/v1/charges?limit=3&starting_after=${newest}&created[lte]=${to}`);
    expect(ids(afterNewest.body)).toEqual(inWindow.slice(0, 3));
  });

  it('filters lists by the parameters each endpoint documents', async () => {
    const charge = account.retrieve('charge', account.ids('refund').map((id) => String(account.retrieve('refund', id)?.charge))[0] as string) as Json;
    const customer = String(charge.customer ?? account.ids('customer')[0]);
    const byCustomer = await walk(standIn, '/v1/charges', `&customer=${customer}`, 100);
    expect(byCustomer.ids.length).toBeGreaterThan(0);
    expect(byCustomer.ids.every((id) => account.retrieve('charge', id)?.customer === customer)).toBe(true);
    expect(byCustomer.ids).toEqual(account.ids('charge').filter((id) => account.retrieve('charge', id)?.customer === customer));
    expect(ids((await call(standIn, '/v1/charges?customer=cus_unknown')).body)).toEqual([]);

    const refunds = await call(standIn, `/v1/refunds?charge=${charge.id}`);
    expect(ids(refunds.body)).toEqual(((charge.refunds as Json).data as Json[]).map((r) => String(r.id)));
    const intent = await call(standIn, `/v1/charges?payment_intent=${charge.payment_intent}`);
    expect(ids(intent.body)).toEqual([charge.id]);

    const paid = await walk(standIn, '/v1/invoices', '&status=paid', 100);
    expect(paid.ids.length).toBeGreaterThan(0);
    expect(paid.ids.every((id) => account.retrieve('invoice', id)?.status === 'paid')).toBe(true);

    const fees = await walk(standIn, '/v1/balance_transactions', '&type=payout', 100);
    expect(fees.ids).toHaveLength(account.count('payout'));
    const source = await call(standIn, `/v1/balance_transactions?source=${charge.id}`);
    expect(ids(source.body)).toEqual([charge.balance_transaction]);
    // An automatic payout's balance transactions: what it paid out, plus its own.
    const payout = account.retrieve('payout', account.ids('payout')[5] as string) as Json;
    const paidOut = await walk(standIn, '/v1/balance_transactions', `&payout=${payout.id}`, 100);
    expect(paidOut.ids).toContain(payout.balance_transaction);
    expect(paidOut.ids.length).toBeGreaterThan(1);

    const recurring = await call(standIn, '/v1/prices?type=recurring&recurring[interval]=year&limit=100');
    expect(ids(recurring.body)).toHaveLength(3);
    const statuses = await walk(standIn, '/v1/payouts', '&status=paid', 100);
    expect(statuses.ids.every((id) => account.retrieve('payout', id)?.status === 'paid')).toBe(true);
  });

  it('lists subscriptions without canceled ones unless status asks for them', async () => {
    account.cancelSubscription(account.ids('subscription')[2] as string);
    const every = account.ids('subscription');
    const canceled = every.filter((id) => account.retrieve('subscription', id)?.status === 'canceled');
    expect(canceled.length).toBeGreaterThan(0);
    expect((await walk(standIn, '/v1/subscriptions', '', 100)).ids).toEqual(every.filter((id) => !canceled.includes(id)));
    expect((await walk(standIn, '/v1/subscriptions', '&status=all', 100)).ids).toEqual(every);
    expect((await walk(standIn, '/v1/subscriptions', '&status=canceled', 100)).ids).toEqual(canceled);
  });

  it('official stripe SDK: auto-paging sees exactly the seeded records', async () => {
    const from = NOW - 30 * DAY;
    const seen: string[] = [];
    for await (const charge of stripe.charges.list({ limit: 100, created: { gte: from } })) seen.push(charge.id);
    expect(seen.length).toBe(account.ids('charge', { from }).length);
    expect(new Set(seen)).toEqual(new Set(account.ids('charge', { from })));

    const customers = await stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(customers.map((c) => c.id)).toEqual(account.ids('customer'));
    const refunds = await stripe.refunds.list({ limit: 50 }).autoPagingToArray({ limit: 10_000 });
    expect(new Set(refunds.map((r) => r.id))).toEqual(new Set(account.ids('refund')));
    const intents = await stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(intents).toHaveLength(2_500);
    expect(new Set(intents.map((p) => p.id))).toEqual(new Set(account.ids('payment_intent')));
    const invoices = await stripe.invoices.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(invoices.map((i) => i.id)).toEqual(account.ids('invoice'));
    const transactions = await stripe.balanceTransactions.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(new Set(transactions.map((t) => t.id))).toEqual(new Set(account.ids('balance_transaction')));
    const subscriptions = await stripe.subscriptions.list({ limit: 100, status: 'all' }).autoPagingToArray({ limit: 10_000 });
    expect(subscriptions.map((s) => s.id)).toEqual(account.ids('subscription'));
    for (const [list, kind] of [
      [stripe.disputes.list({ limit: 100 }), 'dispute'],
      [stripe.payouts.list({ limit: 100 }), 'payout'],
      [stripe.products.list({ limit: 100 }), 'product'],
      [stripe.prices.list({ limit: 100 }), 'price'],
    ] as const) {
      const items = await list.autoPagingToArray({ limit: 10_000 });
      expect(items.map((item) => item.id)).toEqual(account.ids(kind));
    }
  });

  it('official stripe SDK: events.list with types auto-pages the matching events in the retention window', async () => {
    const types = ['charge.refunded', 'invoice.paid', 'customer.created'];
    const expected = account.events().filter((e) => types.includes(String(e.type)));
    expect(expected.length).toBeGreaterThan(20);
    const seen = await stripe.events.list({ types, limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(new Set(seen.map((e) => e.type))).toEqual(new Set(types));
  });

  it('official stripe SDK: errors map to its error classes', async () => {
    await expect(stripe.charges.retrieve('ch_missing')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' });
    await expect(stripe.charges.list({ limit: 500 })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param: 'limit' });
    const wrong = new Stripe('sk_test_notTheRightKey1234', { host: '127.0.0.1', port: Number(new URL(standIn.url).port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    await expect(wrong.charges.list()).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    standIn.setFaults({ rate: 1, kinds: ['rate-limit'] });
    await expect(stripe.charges.list()).rejects.toMatchObject({ type: 'StripeRateLimitError', statusCode: 429, code: 'rate_limit' });
    standIn.setFaults(null);
  });
});

describe('Stripe stand-in: events', () => {
  it('emits one event per change with snapshots, previous_attributes, request ids, and keeps them 30 days', async () => {
    const clock = new StandInClock(NOW * 1000);
    const account = new StripeAccount({ clock, seed: 5 });
    const standIn = await startStripeStandIn({ account });
    try {
      const customer = account.createCustomer({ email: 'a@example.com', metadata: { plan: 'basic' } });
      const charge = account.createCharge({ amount: 2000, customer: customer.id });
      account.updateCustomer(customer.id, { email: 'b@example.com', metadata: { plan: 'pro', seats: '3' } }, { idempotency_key: 'upd-1' });
      const refund = account.createRefund({ charge: charge.id, amount: 500 });
      // All of the above happened in the same second: ids still order them, newest first.
      const listed = await call(standIn, '/v1/events?limit=100');
      const types = (listed.body.data as Json[]).map((e) => e.type);
      expect(types).toEqual(['charge.refunded', 'refund.created', 'customer.updated', 'payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created', 'customer.created']);
      expect(new Set((listed.body.data as Json[]).map((e) => e.created))).toEqual(new Set([NOW]));
      const ordered = ids(listed.body);
      expect([...ordered].sort().reverse()).toEqual(ordered);

      const [refunded, , updated, , succeeded] = listed.body.data as Json[];
      // data.object is the object as it was then: the charge at charge.succeeded had nothing refunded.
      expect(((succeeded as Json).data as Json).object).toMatchObject({ id: charge.id, amount_refunded: 0, refunded: false });
      expect(((refunded as Json).data as Json).object).toMatchObject({ id: charge.id, amount_refunded: 500, refunded: false });
      expect(account.retrieve('refund', refund.id)?.charge).toBe(charge.id);
      expect((updated as Json).data).toMatchObject({
        object: { id: customer.id, email: 'b@example.com', metadata: { plan: 'pro', seats: '3' } },
        previous_attributes: { email: 'a@example.com', metadata: { plan: 'basic', seats: null } },
      });
      expect((updated as Json).request).toMatchObject({ idempotency_key: 'upd-1' });
      expect(String(((updated as Json).request as Json).id)).toMatch(/^req_/);
      expect(updated).toMatchObject({ object: 'event', api_version: DEFAULT_API_VERSION, livemode: false, pending_webhooks: 0 });

      expect(ids((await call(standIn, '/v1/events?type=charge.*')).body)).toHaveLength(2);
      expect(ids((await call(standIn, '/v1/events?types[]=customer.created&types[]=refund.created')).body)).toHaveLength(2);
      const twentyOne = Array.from({ length: 21 }, (_, i) => `types[${i}]=x.${i}`).join('&');
      expect((await call(standIn, `/v1/events?${twentyOne}`)).body.error).toMatchObject({ param: 'types' });

      // Retention: 30 days by the clock. Day 29 still lists them; day 31 neither lists nor retrieves them.
      const eventId = ordered[0] as string;
      clock.advance(29 * DAY * 1000);
      expect(ids((await call(standIn, '/v1/events?limit=100')).body)).toHaveLength(7);
      clock.advance(2 * DAY * 1000);
      account.updateCustomer(customer.id, { name: 'Later' });
      const later = await call(standIn, '/v1/events?limit=100');
      expect((later.body.data as Json[]).map((e) => e.type)).toEqual(['customer.updated']);
      expect((await call(standIn, `/v1/events/${eventId}`)).status).toBe(404);
      expect((await call(standIn, `/v1/events?starting_after=${eventId}`)).body.error).toMatchObject({ code: 'resource_missing', param: 'starting_after' });
      // The objects themselves stay.
      expect((await call(standIn, `/v1/charges/${charge.id}`)).body).toMatchObject({ amount_refunded: 500, refunded: false });
    } finally {
      await standIn.close();
    }
  });

  it('account changes stamp the clock and emit Stripe’s event types; deleted objects leave lists', async () => {
    const clock = new StandInClock(NOW * 1000);
    const account = new StripeAccount({ clock, seed: 6 });
    const standIn = await startStripeStandIn({ account });
    try {
      const product = account.createProduct({ name: 'Plan' });
      const price = account.createPrice({ product: product.id, unit_amount: 1000, currency: 'usd', recurring: { interval: 'month' } });
      clock.advance(3_600_000);
      const updatedProduct = account.updateProduct(product.id, { description: 'Monthly plan' });
      expect(updatedProduct.updated).toBe(NOW + 3600);
      expect(updatedProduct.created).toBe(NOW);
      const customer = account.createCustomer({ name: 'Sub Scriber' });
      const subscription = account.createSubscription({ customer: customer.id, price: price.id });
      expect(subscription).toMatchObject({ status: 'active', created: NOW + 3600, latest_invoice: expect.stringMatching(/^in_/) });
      const invoice = account.retrieve('invoice', String(subscription.latest_invoice)) as Json;
      expect(invoice).toMatchObject({ status: 'paid', amount_paid: 1000, billing_reason: 'subscription_create', customer: customer.id });

      expect(() => account.deleteProduct(product.id)).toThrow(/has one or more user-created prices/);
      clock.advance(60_000);
      expect(account.deleteCustomer(customer.id)).toEqual({ id: customer.id, object: 'customer', deleted: true });
      expect(account.retrieve('subscription', subscription.id)).toMatchObject({ status: 'canceled', canceled_at: NOW + 3660 });
      const events = account.events().map((e) => e.type);
      expect(events.slice(0, 2)).toEqual(['customer.deleted', 'customer.subscription.deleted']);
      expect(events).toContain('product.updated');
      expect(events).toContain('invoice.payment_succeeded');

      expect(ids((await call(standIn, '/v1/customers')).body)).toEqual([]);
      expect((await call(standIn, `/v1/customers/${customer.id}`)).body).toEqual({ id: customer.id, object: 'customer', deleted: true });
      account.deletePrice(price.id);
      account.deleteProduct(product.id);
      expect(ids((await call(standIn, '/v1/products')).body)).toEqual([]);
      expect((await call(standIn, `/v1/products/${product.id}`)).status).toBe(404);

      // Charges: a refund updates its charge and books a balance transaction; refunding more than is left fails.
      const charge = account.createCharge({ amount: 1000 });
      account.createRefund({ charge: charge.id, amount: 400 });
      account.createRefund({ charge: charge.id });
      expect(account.retrieve('charge', charge.id)).toMatchObject({ amount_refunded: 1000, refunded: true });
      expect(() => account.createRefund({ charge: charge.id, amount: 1 })).toThrow(/must be 1\.\.0/);
      const bts = await call(standIn, '/v1/balance_transactions?type=refund');
      expect((bts.body.data as Json[]).map((b) => b.amount)).toEqual([-600, -400]);
      // Funds become available two days later at midnight: the status follows the clock.
      const chargeBt = (await call(standIn, `/v1/balance_transactions/${charge.balance_transaction}`)).body;
      expect(chargeBt).toMatchObject({ status: 'pending', fee: 59, net: 941 });
      clock.set((chargeBt.available_on as number) * 1000);
      expect((await call(standIn, `/v1/balance_transactions/${charge.balance_transaction}`)).body.status).toBe('available');
    } finally {
      await standIn.close();
    }
  });
});

describe('Stripe stand-in: auth and headers', () => {
  let standIn: StripeStandIn;
  beforeAll(async () => {
    standIn = await startStripeStandIn({ clock: new StandInClock(NOW * 1000), apiKeys: ['sk_test_first0000000000000000abcd', 'rk_test_restricted00000000wxyz'] });
    standIn.account.createCustomer({ name: 'Only' });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('accepts Bearer and Basic (key as user) and rejects missing or wrong keys with Stripe’s messages', async () => {
    expect((await call(standIn, '/v1/customers', { Authorization: 'Bearer sk_test_first0000000000000000abcd' })).status).toBe(200);
    expect((await call(standIn, '/v1/customers', { Authorization: 'Bearer rk_test_restricted00000000wxyz' })).status).toBe(200);
    const basic = Buffer.from('sk_test_first0000000000000000abcd:').toString('base64');
    expect((await call(standIn, '/v1/customers', { Authorization: `Basic ${basic}` })).status).toBe(200);

    const none = await call(standIn, '/v1/customers', {});
    expect(none.status).toBe(401);
    expect((none.body.error as Json).message).toMatch(/^You did not provide an API key\./);
    const wrong = await call(standIn, '/v1/customers', { Authorization: 'Bearer sk_test_somebodyElsesKey99abcd' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_******************abcd' } });
    expect(maskApiKey('sk_live_0123456789ABCDEFwxyz')).toBe('sk_live_****************wxyz');

    // Rolling a key: the old one stops working at once.
    standIn.apiKeys.delete('rk_test_restricted00000000wxyz');
    expect((await call(standIn, '/v1/customers', { Authorization: 'Bearer rk_test_restricted00000000wxyz' })).status).toBe(401);
  });

  it('echoes Stripe-Version (default: the account’s) and sends a Request-Id', async () => {
    const auth = { Authorization: 'Bearer sk_test_first0000000000000000abcd' };
    const pinned = await call(standIn, '/v1/customers', { ...auth, 'Stripe-Version': '2024-06-20' });
    expect(pinned.headers.get('stripe-version')).toBe('2024-06-20');
    const plain = await call(standIn, '/v1/customers', auth);
    expect(plain.headers.get('stripe-version')).toBe(DEFAULT_API_VERSION);
    expect(plain.headers.get('request-id')).toMatch(/^req_[0-9A-Za-z]{14}$/);
    expect(plain.headers.get('request-id')).not.toBe(pinned.headers.get('request-id'));
  });
});

describe('Stripe stand-in: faults', () => {
  let standIn: StripeStandIn;
  const auth = { Authorization: `Bearer ${DEFAULT_STRIPE_KEY}` };
  beforeAll(async () => {
    standIn = await startStripeStandIn({ clock: new StandInClock(NOW * 1000) });
    standIn.account.createCustomer({ name: 'Faulty' });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('rate-limit: 429 with Retry-After and Stripe’s rate_limit body', async () => {
    standIn.setFaults({ rate: 1, kinds: ['rate-limit'], retryAfterSeconds: 7 });
    const answer = await call(standIn, '/v1/customers', auth);
    standIn.setFaults(null);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('request-id')).toMatch(/^req_/);
    expect(answer.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
        message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      },
    });
    expect(standIn.stats.faults['rate-limit']).toBe(1);
  });

  it('server-error: 500 with an api_error body', async () => {
    standIn.setFaults({ rate: 1, kinds: ['server-error'] });
    const answer = await call(standIn, '/v1/customers', auth);
    standIn.setFaults(null);
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { type: 'api_error', message: 'An unknown error occurred' } });
  });

  it('slow: the answer is delayed, then correct', async () => {
    standIn.setFaults({ rate: 1, kinds: ['slow'], slowMs: 300 });
    const started = performance.now();
    const answer = await call(standIn, '/v1/customers', auth);
    standIn.setFaults(null);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(ids(answer.body)).toHaveLength(1);
  });

  it('drop: the connection is reset without an answer', async () => {
    standIn.setFaults({ rate: 1, kinds: ['drop'] });
    await expect(fetch(`${standIn.url}/v1/customers`, { headers: auth })).rejects.toThrow();
    standIn.setFaults(null);
    expect((await call(standIn, '/v1/customers', auth)).status).toBe(200);
  });

  it('expired-token: Stripe keys do not expire, so the request goes through', async () => {
    standIn.setFaults({ rate: 1, kinds: ['expired-token'] });
    const answer = await call(standIn, '/v1/customers', auth);
    standIn.setFaults(null);
    expect(answer.status).toBe(200);
    expect(standIn.stats.faults['expired-token']).toBe(1);
  });

  it('a seeded fault plan replays the same sequence', async () => {
    const run = async (): Promise<number[]> => {
      standIn.setFaults({ rate: 0.5, kinds: ['rate-limit', 'server-error'], seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await call(standIn, '/v1/customers', auth)).status);
      standIn.setFaults(null);
      return statuses;
    };
    const first = await run();
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });
});

describe('Stripe stand-in: the account generator', () => {
  it('is deterministic: same count and seed, same account; another seed, other ids', () => {
    const clock = () => new StandInClock(NOW * 1000);
    const a = generateStripeAccount(300, 9, { clock: clock() });
    const b = generateStripeAccount(300, 9, { clock: clock() });
    const c = generateStripeAccount(300, 10, { clock: clock() });
    for (const kind of ['charge', 'customer', 'refund', 'invoice', 'payout', 'balance_transaction'] as const) expect(b.ids(kind)).toEqual(a.ids(kind));
    const sample = a.ids('charge')[17] as string;
    expect(b.retrieve('charge', sample)).toEqual(a.retrieve('charge', sample));
    expect(JSON.stringify(b.events())).toBe(JSON.stringify(a.events()));
    expect(c.ids('charge').filter((id) => a.ids('charge').includes(id))).toEqual([]);
    const charge = a.retrieve('charge', sample) as Json;
    expect(charge.created as number).toBeGreaterThanOrEqual(NOW - 90 * DAY);
    expect(charge.created as number).toBeLessThanOrEqual(NOW);
  });

  it('makes 200,000 charges (and their intents, balance transactions, events) and pages deep into them', async () => {
    const account = generateStripeAccount(200_000, 3, { clock: new StandInClock(NOW * 1000) });
    expect(account.count('charge')).toBe(200_000);
    const standIn = await startStripeStandIn({ account });
    try {
      const all = account.ids('charge');
      const deep = await call(standIn, `/v1/charges?limit=100&starting_after=${all[150_000]}`);
      expect(ids(deep.body)).toEqual(all.slice(150_001, 150_101));
      const window = await walk(standIn, '/v1/charges', `&created[gte]=${NOW - 2 * DAY}`, 100);
      expect(window.ids).toEqual(account.ids('charge', { from: NOW - 2 * DAY }));
    } finally {
      await standIn.close();
    }
  });
});
