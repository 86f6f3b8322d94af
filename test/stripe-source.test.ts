import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { flowservice, quickRetries, stripeSpec } from './support/payment-sources.js';
import { latestRows, runNow } from './support/file-flow.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const hour = 3_600_000;
const day = 24 * hour;
/** The stand-in takes Stripe's epoch seconds for a change's time. */
const seconds = (ms: number) => Math.floor(ms / 1000);

describe.each(backends)('the Stripe source against the Stripe stand-in on $name', (backend) => {
  let api: TestApi;
  let stripe: StripeStandIn;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock, seed: 3 });
    // The clock jumps weeks ahead: the test client's token must outlive it.
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, tokenTtlSeconds: 365 * 86_400 });
  });
  afterAll(async () => {
    await api?.close();
    await stripe?.close();
  });

  /** A flow from one Stripe resource into the tutorial's dataset shape: `_id` the object id, the product fields three of its columns. */
  const stripeFlow = (title: string, resourcePath: string, columns: { name: string; description: string; type: string }) => createStripeFlow(api, stripe.url, { title, resourcePath, columns });
  const latest = (dataSetId: string) => latestRows(api, dataSetId, `_id, _${api.tenantId}.product.name AS name`);
  const succeeded = (run: unknown) => expect(at(run, 'metrics.statusSummary'), JSON.stringify(at(run, 'metrics.statusSummary'))).toMatchObject({ status: 'success' });

  it('loads customers in full, then only the changes from the events: created, updated and deleted', async () => {
    const ada = stripe.account.createCustomer({ name: 'Ada', email: 'ada@example.com' }, { at: seconds(clock.now() - 40 * day) });
    const alan = stripe.account.createCustomer({ name: 'Alan', email: 'alan@example.com' }, { at: seconds(clock.now() - 10 * day) });
    const grace = stripe.account.createCustomer({ name: 'Grace', email: 'grace@example.com' }, { at: seconds(clock.now() - day) });
    const flow = await stripeFlow('stripe customers', 'customers', { name: 'Name', description: 'Email', type: 'Description' });
    const first = await runNow(api, flow.flowId);
    succeeded(first);
    expect(at(first, 'metrics.recordSummary.outputRecordCount')).toBe(3);
    expect(await latest(flow.dataSetId)).toEqual([{ _id: ada.id, name: 'Ada' }, { _id: alan.id, name: 'Alan' }, { _id: grace.id, name: 'Grace' }].sort((a, b) => (a._id < b._id ? -1 : 1)));

    clock.advance(2 * hour);
    stripe.account.updateCustomer(alan.id as string, { name: 'Alan Turing' });
    stripe.account.deleteCustomer(grace.id as string);
    const linus = stripe.account.createCustomer({ name: 'Linus', email: 'linus@example.com' });
    clock.advance(5 * 60_000);
    const second = await runNow(api, flow.flowId);
    succeeded(second);
    // Two changed records land; the deleted one is recorded as deleted, not as a row.
    expect(at(second, 'metrics.recordSummary.outputRecordCount')).toBe(2);
    expect(at(second, 'activities.0.statusSummary.extensions.deletedRecordCount')).toBe(1);
    expect(await latest(flow.dataSetId)).toEqual([{ _id: ada.id, name: 'Ada' }, { _id: alan.id, name: 'Alan Turing' }, { _id: linus.id, name: 'Linus' }].sort((a, b) => (a._id < b._id ? -1 : 1)));
    // The events were read, not the list again.
    expect(at(second, 'activities.0.statusSummary.extensions.streams.0')).toMatchObject({ stream: 'Customers', records: 3 });

    clock.advance(5 * 60_000);
    const third = await runNow(api, flow.flowId);
    succeeded(third);
    expect(at(third, 'metrics.recordSummary.outputRecordCount')).toBe(0);
  });

  it('reads everything again, and says so, when the last run is older than Stripe\'s 30 days of events', async () => {
    stripe.account.createProduct({ name: 'Old product' }, { at: seconds(clock.now() - 5 * day) });
    const gone = stripe.account.createProduct({ name: 'Gone product' }, { at: seconds(clock.now() - 4 * day) });
    const flow = await stripeFlow('stripe products', 'products', { name: 'Name', description: 'Description', type: 'Id' });
    succeeded(await runNow(api, flow.flowId));
    // Deleted while no run looked, and its event is gone by the next run: only the full read can tell.
    clock.advance(5 * day);
    stripe.account.deleteProduct(gone.id);
    clock.advance(35 * day);
    stripe.account.createProduct({ name: 'New product' });
    clock.advance(5 * 60_000);
    const rerun = await runNow(api, flow.flowId);
    succeeded(rerun);
    expect(JSON.stringify(at(rerun, 'activities.0.statusSummary.extensions.notices'))).toContain('read again');
    expect((await latest(flow.dataSetId)).map((r) => r.name).sort()).toEqual(['New product', 'Old product']);
  });

  it('lands the same charges with faults on one request in ten (429, 500, dropped connections) as without them', async () => {
    for (let i = 0; i < 250; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd', description: `order ${i}` }, { at: seconds(clock.now() - (i + 1) * hour) });
    const columns = { name: 'Status', description: 'Description', type: 'Currency' };
    const clean = await stripeFlow('charges without faults', 'charges', columns);
    succeeded(await runNow(api, clean.flowId));
    stripe.setFaults({ rate: 0.1, kinds: ['rate-limit', 'server-error', 'drop'], seed: 5, retryAfterSeconds: 0 });
    try {
      const faulty = await stripeFlow('charges with faults', 'charges', columns);
      const run = await runNow(api, faulty.flowId);
      succeeded(run);
      expect(at(run, 'activities.0.statusSummary.extensions.streams.0.retries')).toBeGreaterThan(0);
      const rows = await latest(faulty.dataSetId);
      expect(rows).toHaveLength(250);
      expect(rows).toEqual(await latest(clean.dataSetId));
    } finally {
      stripe.setFaults(null);
    }
  });

  it('explores the account as tables and in the REST form AEP\'s Stripe source uses, with live previews', async () => {
    stripe.account.createCustomer({ name: 'Preview Person', email: 'preview@example.com' }, { at: seconds(clock.now() - hour) });
    const created = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'Stripe explore', auth: { specName: 'OAuth2 Refresh Code', params: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY } }, connectionSpec: { id: stripeSpec, version: '1.0' } },
    });
    const explore = (query: string) => api.request('GET', `${flowservice}/connections/${str(created.json, 'id')}/explore?${query}`);
    const root = await explore('objectType=root');
    expect((root.json as { name: string }[]).map((t) => t.name)).toEqual(['Charges', 'Customers', 'Invoices', 'Payment_Intents', 'Refunds', 'Balance_Transactions', 'Disputes', 'Payouts', 'Subscriptions', 'Prices', 'Products'].map((t) => `Stripe.${t}`));
    const sourceParams = Buffer.from(JSON.stringify({ resourcePath: 'customers' })).toString('base64');
    const rest = await explore(`objectType=rest&object=json&fileType=json&preview=true&sourceParams=${encodeURIComponent(sourceParams)}`);
    expect(rest.status, rest.text).toBe(200);
    expect(rest.json).toMatchObject({ format: 'hierarchical', schema: { type: 'object', properties: { data: { type: 'array', items: { properties: { Id: { type: 'string' }, Created: { type: 'string', format: 'date-time' }, Email: { type: 'string' } } } } } } });
    expect((at(rest.json, 'data') as { Email: string }[]).map((r) => r.Email)).toContain('preview@example.com');
    const badParams = await explore('objectType=rest&sourceParams=not-json');
    expect(badParams.status).toBe(400);
    expect(str(badParams.json, 'detail')).toContain('sourceParams');
    expect((await api.request('GET', `${flowservice}/connections/${str(created.json, 'id')}/test`)).json).toEqual({ status: 'ok', message: 'connected to Stripe' });
  });
});
