import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import type { HttpClock } from '../src/connectors/rest/http-requester.js';
import { RestConnector } from '../src/connectors/rest/rest-connector.js';
import { stripeDefinition } from '../src/connectors/stripe/stripe.connector.js';
import { availableBackends } from './support/backends.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { runNow } from './support/file-flow.js';
import { quickRetries } from './support/payment-sources.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi } from './support/test-api.js';

const hour = 3_600_000;
const backends = await availableBackends();

/** Every run has a request budget and a stall timeout, and shows its requests and pages while it runs. */
describe('a REST run\'s request budget, stall timeout and live metrics', () => {
  let stripe: StripeStandIn;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'run-guard-'));

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock, seed: 31 });
    for (let i = 0; i < 450; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 1) * hour) / 1000) });
  });
  afterAll(async () => {
    await stripe?.close();
    fs.rmSync(staging, { recursive: true, force: true });
  });

  const extract = (connector: RestConnector, dir: string, progress?: (m: Record<string, unknown>[]) => void) => {
    fs.mkdirSync(path.join(staging, dir));
    return connector.extract({ auth: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY }, params: { resourcePath: 'charges' }, data: {}, stagingDir: path.join(staging, dir), window: { start: null, end: clock.now() }, ...(progress ? { progress } : {}) });
  };

  it.each(backends)('fails a run that spends its request budget, naming the budget and what was read ($name)', async (backend) => {
    const api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, connectorLimits: { maxRequests: 3 } });
    try {
      const flow = await createStripeFlow(api, stripe.url, { title: 'budget' });
      const before = stripe.stats.requests;
      const run = await runNow(api, flow.flowId);
      expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
      const errors = JSON.stringify(at(run, 'metrics.statusSummary.errors'));
      expect(errors).toContain('request budget of 3 requests');
      expect(errors).toMatch(/\d+ pages and \d+ records read/);
      expect(stripe.stats.requests - before).toBe(3);
    } finally {
      await api.close();
    }
  });

  it('fails a run whose requests keep failing once nothing new has come for the stall timeout (injected clock)', async () => {
    let now = clock.now();
    // Sleeping moves this clock at once: the backoff between retries passes without a real wait.
    const fake: HttpClock = { now: () => now, sleep: async (ms) => void (now += ms), random: () => 1 };
    const connector = new RestConnector(stripeDefinition, { clock: fake, retry: { attempts: 50, statuses: [500], baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 5_000 }, limits: { stallMs: 5 * 60_000 } });
    stripe.setFaults({ rate: 1, kinds: ['server-error'] });
    const before = stripe.stats.requests;
    try {
      await expect(extract(connector, 'stall')).rejects.toThrow(/nothing new for \d+ s \(the stall timeout is 300 s\) while requests went on/);
    } finally {
      stripe.setFaults(null);
    }
    // 1 + 2 + 4 + … + 256 s of backoff passes five minutes by the ninth wait, for each of the 4 windows in
    // flight: far fewer than the 50 attempts each request was allowed.
    expect(stripe.stats.requests - before).toBeLessThanOrEqual(4 * 10);
  });

  it('hands out its requests and pages while it runs, not only at the end', async () => {
    const seen: Record<string, unknown>[] = [];
    const extracted = await extract(new RestConnector(stripeDefinition, { rateLimit: { requestsPerSecond: 1000, burst: 1000 } }), 'live', (m) => seen.push(m[0] as Record<string, unknown>));
    const final = extracted.metrics?.[0] as { requests: number; pages: number; records: number };
    // Parts of a window fanned out share their boundary second: a few records are read twice (staged once).
    expect(final.records).toBeGreaterThanOrEqual(450);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ stream: 'Charges' });
    expect(seen[0]?.requests).toBeGreaterThan(0);
    expect(seen[0]?.requests as number).toBeLessThan(final.requests);
    expect(final.pages).toBeGreaterThanOrEqual(5);
  });
});

describe('a run\'s limits as an operator sets them', () => {
  it('reads TRIBUTARY_RUN_MAX_REQUESTS and TRIBUTARY_RUN_STALL_MINUTES, and leaves each stream its default when they are unset', () => {
    expect(loadConfig({}).runLimits).toEqual({});
    expect(loadConfig({ TRIBUTARY_RUN_MAX_REQUESTS: '250000', TRIBUTARY_RUN_STALL_MINUTES: '30' }).runLimits).toEqual({ maxRequests: 250_000, stallMs: 30 * 60_000 });
    expect(() => loadConfig({ TRIBUTARY_RUN_MAX_REQUESTS: 'lots' })).toThrow(/TRIBUTARY_RUN_MAX_REQUESTS/);
  });
});
