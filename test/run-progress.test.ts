import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { flowservice, quickRetries } from './support/payment-sources.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const day = 24 * 3_600_000;

/**
 * A run reading an API source shows what it has done so far on `GET /runs/{id}` while it is still reading: the
 * requests it made and the pages it read, as the connector hands them out every few seconds.
 */
describe.each(backends)('an API source run in progress, on $name', (backend) => {
  let api: TestApi;
  let stripe: StripeStandIn;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock, seed: 51 });
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, tokenTtlSeconds: 365 * 86_400 });
  });
  afterAll(async () => {
    await api?.close();
    await stripe?.close();
  });

  it('shows its requests and pages read on GET /runs/{id} before it finishes', async () => {
    for (let i = 0; i < 400; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 1) * 2 * day) / 1000) });
    clock.advance(5 * 60_000);
    const flow = await createStripeFlow(api, stripe.url, { title: 'slow charges' });

    // Every answer comes late, so the read lasts while the test looks; the faults go once it has seen enough.
    // About 23 requests, four at a time, a second each: the read lasts about six seconds, and the connector hands
    // out its metrics every two.
    stripe.setFaults({ rate: 1, kinds: ['slow'], slowMs: 1_000 });
    const requested = stripe.stats.requests;
    const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } });
    expect(started.status, started.text).toBe(201);
    const runId = str(started.json, 'id');
    const read = async () => at((await api.request('GET', `${flowservice}/runs/${runId}`)).json, 'items.0');
    let seen: unknown;
    // Bounded by count: at most 400 looks a tenth of a second apart, stopping at the first that shows pages read.
    for (let look = 0; look < 400; look += 1) {
      const run = await read();
      if (at(run, 'metrics.statusSummary.status') !== 'inProgress') break;
      if (Number(at(run, 'activities.0.statusSummary.extensions.streams.0.pages') ?? 0) > 0) {
        seen = run;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stripe.setFaults(null);
    await api.app.engine.idle();
    const final = await read();
    expect(at(final, 'metrics.statusSummary.status'), JSON.stringify(at(final, 'metrics.statusSummary'))).toBe('success');

    expect(seen, 'the run finished before its record showed a page read').toBeDefined();
    expect(at(seen, 'metrics.statusSummary')).toMatchObject({ status: 'inProgress', extensions: { stage: 'extracting' } });
    const during = at(seen, 'activities.0.statusSummary.extensions.streams.0') as { stream: string; requests: number; pages: number; records: number };
    const after = at(final, 'activities.0.statusSummary.extensions.streams.0') as { requests: number; pages: number; records: number };
    expect(during.stream).toBe('Charges');
    expect(during.requests).toBeGreaterThanOrEqual(during.pages);
    expect(during.pages).toBeGreaterThan(0);
    // Part of the read, not all of it: the finished run read more.
    expect(after.requests).toBeGreaterThan(during.requests);
    expect(after.pages).toBeGreaterThan(during.pages);
    expect(after.requests).toBe(stripe.stats.requests - requested);
    expect(at(final, 'metrics.recordSummary.outputRecordCount')).toBe(400);
  });
});
