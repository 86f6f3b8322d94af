import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { createFlowFrom, latestRows, runNow } from './support/file-flow.js';
import { crmFlowSpec, flowservice, paypalSpec, quickRetries, restFlowSpec, squareSpec, stripeSpec } from './support/payment-sources.js';
import { StandInClock, type RunningStandIn } from '../src/standins/standin-server.js';
import { startPayPalStandIn } from '../src/standins/paypal/index.js';
import { startSquareStandIn } from '../src/standins/square/index.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const hour = 3_600_000;
const day = 24 * hour;

/**
 * Sources that ignore the time window a connector asks for (a careless compatible server): the run ends within
 * a bounded number of requests, either with every record once (the whole list paged instead) or with a
 * message saying what the source did. Bounds are on the stand-in's request count, never on time.
 */
describe.each(backends)('sources that ignore the time window, on $name', (backend) => {
  let api: TestApi;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));
  const standIns: RunningStandIn[] = [];

  beforeAll(async () => {
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, tokenTtlSeconds: 365 * 86_400 });
  });
  afterEach(async () => {
    await Promise.all(standIns.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await api?.close();
  });

  const flowFrom = async (spec: string, auth: { specName: string; params: Record<string, unknown> }, params: Record<string, unknown>, title: string, columns: Record<string, string>, stripeShaped = false) => {
    const connection = await api.request('POST', `${flowservice}/connections`, { body: { name: title, auth, connectionSpec: { id: spec, version: '1.0' } } });
    expect(connection.status, connection.text).toBe(201);
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: title, baseConnectionId: str(connection.json, 'id'), data: { format: stripeShaped ? 'json' : 'tabular' }, params, connectionSpec: { id: spec, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    return createFlowFrom(api, str(source.json, 'id'), { title, flowSpecId: stripeShaped ? restFlowSpec : crmFlowSpec, columns: columns as { id: string; name: string; description: string; type: string } });
  };
  const ids = async (dataSetId: string) => (await latestRows(api, dataSetId, '_id')).map((r) => r._id as string);
  const notices = (run: unknown) => JSON.stringify(at(run, 'activities.0.statusSummary.extensions.notices') ?? []);

  it('Stripe: pages the whole charge list with starting_after instead of cutting windows, each charge once, none from before the history', async () => {
    const stripe = await startStripeStandIn({ clock, seed: 21, ignoreTimeFilters: true });
    standIns.push(stripe);
    const charges = Array.from({ length: 250 }, (_, i) => stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 1) * 7 * hour) / 1000) }).id as string);
    // Older than the 15 years a first run reads: outside the run's window, it must not land.
    stripe.account.createCharge({ amount: 1, currency: 'usd' }, { at: Math.floor((clock.now() - 16 * 365 * day) / 1000) });
    clock.advance(5 * 60_000);
    const flow = await flowFrom(stripeSpec, { specName: 'OAuth2 Refresh Code', params: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY } }, { resourcePath: 'charges' }, 'stripe charges, filter ignored', { id: 'Id', name: 'Status', description: 'Description', type: 'Currency' }, true);
    const before = stripe.stats.requests;
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(250);
    expect(await ids(flow.dataSetId)).toEqual([...charges].sort());
    expect(notices(run)).toContain('ignored the time window');
    // 251 charges at 100 a page is 3 pages; the windows that showed it and the ones already in flight add a few.
    expect(stripe.stats.requests - before).toBeLessThanOrEqual(20);
    expect(at(run, 'activities.0.statusSummary.extensions.streams.0.windowsSplit')).toBe(0);
  });

  it('PayPal: reads the whole transaction search once instead of each 31-day window, keeping what lies inside the run', async () => {
    const paypal = await startPayPalStandIn({ clock, seed: 22, ignoreTimeFilters: true });
    standIns.push(paypal);
    const inside = Array.from({ length: 40 }, (_, i) => paypal.account.addTransaction({ initiatedAt: clock.now() - (i + 1) * 3 * day, amount: `${i + 1}.00`, status: 'S', visibilityLagMs: 0 }));
    // Within PayPal's three hours of lag: after the run's window, left for a later run.
    paypal.account.addTransaction({ initiatedAt: clock.now() - hour, amount: '99.00', status: 'S', visibilityLagMs: 0 });
    clock.advance(5 * 60_000);
    const flow = await flowFrom(paypalSpec, { specName: 'Client-Id-Secret Based Authentication', params: { host: paypal.url, ...paypal.credentials } }, { tableName: 'PayPal.Transactions' }, 'paypal transactions, filter ignored', { id: 'Transaction_Id', name: 'Transaction_Status', description: 'Transaction_Amount_Value', type: 'Transaction_Event_Code' });
    const before = paypal.stats.requests;
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(40);
    expect(await ids(flow.dataSetId)).toEqual([...inside].sort());
    expect(notices(run)).toContain('ignored the time window');
    // 36 windows of 31 days would each answer the whole list: the token, the windows in flight and one read.
    expect(paypal.stats.requests - before).toBeLessThanOrEqual(12);
  });

  it('PayPal: fails saying what the source did when it ignores the window and refuses every one as too large', async () => {
    const paypal = await startPayPalStandIn({ clock, seed: 23, ignoreTimeFilters: true, maxResultSetSize: 5 });
    standIns.push(paypal);
    for (let i = 0; i < 10; i += 1) paypal.account.addTransaction({ initiatedAt: clock.now() - (i + 1) * day, amount: '1.00', status: 'S', visibilityLagMs: 0 });
    const flow = await flowFrom(paypalSpec, { specName: 'Client-Id-Secret Based Authentication', params: { host: paypal.url, ...paypal.credentials } }, { tableName: 'PayPal.Transactions' }, 'paypal transactions, all too large', { id: 'Transaction_Id', name: 'Transaction_Status', description: 'Transaction_Amount_Value', type: 'Transaction_Event_Code' });
    const before = paypal.stats.requests;
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
    expect(JSON.stringify(at(run, 'metrics.statusSummary.errors'))).toContain('even 1 s from');
    // Halving 31 days down to a second is 22 cuts; depth first, each of the 4 windows in flight gets there.
    expect(paypal.stats.requests - before).toBeLessThanOrEqual(4 * 25);
  });

  it('Square: pages each location\'s whole payment list with its cursor, each payment once', async () => {
    const square = await startSquareStandIn({ clock, seed: 24, ignoreTimeFilters: true });
    standIns.push(square);
    const second = square.account.addLocation({ name: 'Second shop' }).id;
    const payments = Array.from({ length: 230 }, (_, i) => square.account.createPayment({ amount: 100 + i, locationId: i % 2 === 0 ? square.account.mainLocation.id : second }).id);
    clock.advance(5 * 60_000);
    const flow = await flowFrom(
      squareSpec,
      { specName: 'OAuth2 Refresh Code', params: { host: square.url, clientId: square.tokens.clientId, clientSecret: square.tokens.clientSecret, accessToken: square.accessToken, refreshToken: square.tokens.refreshToken } },
      { tableName: 'Square.Payments' },
      'square payments, filter ignored',
      { id: 'Id', name: 'Status', description: 'Location_Id', type: 'Currency' },
    );
    const before = square.stats.requests;
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(230);
    expect(await ids(flow.dataSetId)).toEqual([...payments].sort());
    expect(notices(run)).toContain('ignored the time window');
    // Two locations of 115 payments at 100 a page: the windows that showed it, then two pages each.
    expect(square.stats.requests - before).toBeLessThanOrEqual(25);
  });
});

/**
 * A run that stops at one of its own bounds says which, under a code of its own (not the generic "the source
 * answered something unexpected"), with the bound's value: a person can tell a looping source or a large account
 * (request budget) from a source that fails without end (stall timeout).
 */
describe.each(backends)('a run stopped by its own bounds, on $name', (backend) => {
  let api: TestApi;
  let stripe: Awaited<ReturnType<typeof startStripeStandIn>>;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));
  // Endless retries, tens of milliseconds apart: while the stand-in fails every request, the run can only end by
  // its bounds, and the test sees the first failure long before the retries could spend the budget.
  const patientRetries = { ...quickRetries, attempts: 10_000, baseDelayMs: 50, maxDelayMs: 100 };
  const stallMs = 5 * 60_000;

  beforeAll(async () => {
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: patientRetries, tokenTtlSeconds: 365 * 86_400, connectorLimits: { maxRequests: 40, stallMs } });
    stripe = await startStripeStandIn({ clock, seed: 25 });
    // More pages than the budget holds: 4,100 charges at 100 a page.
    for (let i = 0; i < 4_100; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 1) * 600_000) / 1000) });
    clock.advance(5 * 60_000);
  });
  afterAll(async () => {
    await stripe?.close();
    await api?.close();
  });

  const chargesFlow = (title: string) => createStripeFlow(api, stripe.url, { title });
  const errorsOf = (run: unknown) => at(run, 'metrics.statusSummary.errors') as { code: string; message: string }[];

  it('the request budget: CONNECTOR-1004-500, naming the budget and what was read', async () => {
    const flow = await chargesFlow('budget');
    const before = stripe.stats.requests;
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
    const errors = errorsOf(run);
    expect(errors.map((e) => e.code)).toEqual(['CONNECTOR-1004-500']);
    expect(errors[0]?.message).toMatch(/^Charges: the run used its request budget of 40 requests \(\d+ pages and \d+ records read, \d+ retries\)/);
    expect(stripe.stats.requests - before).toBe(40);
  });

  it('the stall timeout: CONNECTOR-1005-504, naming the timeout, once requests go on with nothing new', async () => {
    const flow = await chargesFlow('stall');
    stripe.setFaults({ rate: 1, kinds: ['server-error'] });
    try {
      const before = stripe.stats.requests;
      const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } });
      expect(started.status).toBe(201);
      // Once the source has refused a request, the run's clock passes the stall timeout; the retries go on.
      while (stripe.stats.requests === before) await new Promise((resolve) => setTimeout(resolve, 5));
      clock.advance(stallMs + 1_000);
      await api.app.engine.idle();
      const run = at((await api.request('GET', `${flowservice}/runs/${str(started.json, 'id')}`)).json, 'items.0');
      expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
      const errors = errorsOf(run);
      expect(errors.map((e) => e.code)).toEqual(['CONNECTOR-1005-504']);
      expect(errors[0]?.message).toMatch(/^Charges: nothing new for \d+ s \(the stall timeout is 300 s\) while requests went on/);
    } finally {
      stripe.setFaults(null);
    }
  });
});
