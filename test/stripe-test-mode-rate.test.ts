import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitFor } from '../src/connectors/rest/rate-limit-for.js';
import { stripeDefinition } from '../src/connectors/stripe/stripe.connector.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { availableBackends } from './support/backends.js';
import { createFlowFrom } from './support/file-flow.js';
import { flowservice, quickRetries, restFlowSpec, stripeSpec } from './support/payment-sources.js';
import { chargeColumns } from './support/stripe-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const hour = 3_600_000;

describe('Stripe\'s rate by the kind of key', () => {
  it.each([
    ['sk_test_51abc', 25],
    ['rk_test_51abc', 25],
    ['sk_live_51abc', 100],
    ['rk_live_51abc', 100],
  ])('%s gets %i read requests a second', (accessToken, perSecond) => {
    expect(rateLimitFor(stripeDefinition.rateLimit, { accessToken }).requestsPerSecond).toBe(perSecond);
  });
});

describe.each(backends)('Stripe runs of one connection with a test key on $name', (backend) => {
  let api: TestApi;
  let stripe: StripeStandIn;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock, seed: 12 });
    for (let i = 0; i < 1_500; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 1) * hour) / 1000) });
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries });
  });
  afterAll(async () => {
    await api?.close();
    await stripe?.close();
  });

  it('stay within 25 requests a second together, taking from the connection\'s bucket in the store', { timeout: 60_000 }, async () => {
    const connection = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'Stripe test mode', auth: { specName: 'OAuth2 Refresh Code', params: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY } }, connectionSpec: { id: stripeSpec, version: '1.0' } },
    });
    expect(connection.status, connection.text).toBe(201);
    const connectionId = str(connection.json, 'id');
    // Two flows read the same account through one base connection, as two tables of it would.
    const flows = [];
    for (const title of ['charges one', 'charges two']) {
      const source = await api.request('POST', `${flowservice}/sourceConnections`, {
        body: { name: title, baseConnectionId: connectionId, data: { format: 'json' }, params: { resourcePath: 'charges' }, connectionSpec: { id: stripeSpec, version: '1.0' } },
      });
      expect(source.status, source.text).toBe(201);
      flows.push(await createFlowFrom(api, str(source.json, 'id'), { title, flowSpecId: restFlowSpec, columns: { id: 'Id', ...chargeColumns } }));
    }

    const before = stripe.stats.requests;
    const started = Date.now();
    const runs = await Promise.all(flows.map((flow) => api.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } })));
    await api.app.engine.idle();
    const elapsed = Date.now() - started;
    const requests = stripe.stats.requests - before;
    console.log(`${backend.name}: two runs sent ${requests} requests in ${elapsed} ms: ${((requests / elapsed) * 1000).toFixed(1)} a second; bound ${(25 + (25 * elapsed) / 1000).toFixed(1)}`);
    for (const run of runs) {
      const done = await api.request('GET', `${flowservice}/runs/${str(run.json, 'id')}`);
      expect(at(done.json, 'items.0.metrics.statusSummary.status'), done.text).toBe('success');
      expect(at(done.json, 'items.0.metrics.recordSummary.outputRecordCount')).toBe(1_500);
    }
    // Enough requests that the limit held them back: more than twice the burst.
    expect(requests).toBeGreaterThan(50);
    expect(requests).toBeLessThanOrEqual(25 + (25 * elapsed) / 1000);
    const buckets = await api.store.db.selectFrom('rate_buckets').select('key').execute();
    expect(buckets).toEqual([{ key: `Stripe:${connectionId}` }]);
  });
});
