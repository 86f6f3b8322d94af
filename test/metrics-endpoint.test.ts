import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { processMetricsRegistry } from '../src/server/metrics/process-metrics.js';
import { availableBackends } from './support/backends.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { has, parseExposition, total, type Sample } from './support/exposition.js';
import { createFileFlow, runNow } from './support/file-flow.js';
import { startServe } from './support/serve-process.js';
import { flowservice, quickRetries } from './support/payment-sources.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const day = 24 * 3_600_000;
const token = 'scrape-token-for-tests';
// One set of process collectors for the whole file, as `serve` makes one per process.
const processMetrics = processMetricsRegistry();

/** Samples by how much they grew between two scrapes. */
const delta = (before: Sample[], after: Sample[]) => (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);

describe.each(backends)('GET /metrics on $name', (backend) => {
  let api: TestApi;
  let stripe: StripeStandIn;
  let root: string;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));

  const scrape = async (): Promise<Sample[]> => {
    const response = await api.request('GET', '/metrics', { auth: false, headers: { authorization: `Bearer ${token}` } });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(response.text);
  };

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock, seed: 41 });
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, tokenTtlSeconds: 365 * 86_400, metrics: { token, processMetrics } });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-metrics-'));
  });
  afterAll(async () => {
    await api?.close();
    await stripe?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const stripeChargesFlow = (title: string) => createStripeFlow(api, stripe.url, { title });

  it('asks for the configured bearer token, and no gateway headers', async () => {
    const none = await api.request('GET', '/metrics', { auth: false });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error_code: '401013' });
    const wrong = await api.request('GET', '/metrics', { auth: false, headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    // The API's own token is not the scrape token.
    expect((await api.request('GET', '/metrics')).status).toBe(401);
    const samples = await scrape();
    // The process metrics handed to the app show with its own.
    expect(has(samples, 'process_cpu_user_seconds_total')).toBe(true);
    expect(has(samples, 'nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('counts a file flow\'s runs, records and bytes by flow spec, provider and status', async () => {
    fs.mkdirSync(path.join(root, 'clean'));
    fs.writeFileSync(path.join(root, 'clean', 'p.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,,PHYSICAL,2024-01-02 10:00:00\nP2,Book,,DIGITAL,2024-01-03 11:00:00\nP3,Plan,,SERVICE,2024-01-04 12:00:00\n');
    fs.mkdirSync(path.join(root, 'dirty'));
    const dirty = ['D1,One,,PHYSICAL,2024-05-01 00:00:00,1980', 'D2,Two,,PHYSICAL,2024-05-02 00:00:00,not a year', 'D3,Three,,PHYSICAL,2024-05-03 00:00:00,1990', 'D4,Four,,PHYSICAL,2024-05-04 00:00:00,2000'];
    fs.writeFileSync(path.join(root, 'dirty', 'p.csv'), `Product_Id,Product_Name,Description,Type,updatedAt,Year\n${dirty.join('\n')}\n`);
    const clean = await createFileFlow(api, { root, path: 'clean/p.csv', format: 'delimited', title: 'metrics clean' });
    const strict = await createFileFlow(api, { root, path: 'dirty/p.csv', format: 'delimited', title: 'metrics strict', extraMappings: [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }] });

    const before = await scrape();
    const succeeded = await runNow(api, clean.flowId);
    const failed = await runNow(api, strict.flowId);
    const after = await scrape();
    expect(at(succeeded, 'metrics.statusSummary.status')).toBe('success');
    expect(at(failed, 'metrics.statusSummary.status')).toBe('failed');

    const grew = delta(before, after);
    const files = { flow_spec: 'CloudStorageToAEP', provider: 'local-files' };
    expect(grew('tributary_runs_total', { ...files, status: 'success' })).toBe(1);
    expect(grew('tributary_runs_total', { ...files, status: 'failed' })).toBe(1);
    expect(grew('tributary_runs_total')).toBe(2);
    expect(grew('tributary_run_records_read_total', files)).toBe(3 + 4);
    expect(grew('tributary_run_records_written_total', files)).toBe(3);
    expect(grew('tributary_run_records_failed_total', files)).toBe(1);
    const fileBytes = fs.statSync(path.join(root, 'clean', 'p.csv')).size + fs.statSync(path.join(root, 'dirty', 'p.csv')).size;
    expect(grew('tributary_run_bytes_read_total', files)).toBe(fileBytes);
    const parquetBytes = at(succeeded, 'metrics.sizeSummary.outputBytes') as number;
    expect(parquetBytes).toBeGreaterThan(0);
    expect(grew('tributary_run_bytes_written_total', files)).toBe(parquetBytes);
    expect(grew('tributary_run_duration_seconds_count', { ...files, status: 'success' })).toBe(1);
    expect(grew('tributary_run_duration_seconds_count', { ...files, status: 'failed' })).toBe(1);
    expect(total(after, 'tributary_runs_in_progress')).toBe(0);
    expect(total(after, 'tributary_runs_queued')).toBe(0);
    // A file source sends no request to a provider.
    expect(grew('tributary_source_requests_total')).toBe(0);
  });

  it('counts each request to a provider by the status it answered, and the retries, as the provider saw them', async () => {
    for (let i = 0; i < 150; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 1) * day) / 1000) });
    clock.advance(5 * 60_000);
    const flow = await stripeChargesFlow('metrics stripe charges');
    // A 429 without a wait and a 500, each on about a fifth of the requests; eight tries each leave none failed.
    stripe.setFaults({ rate: 0.2, kinds: ['rate-limit', 'server-error'], seed: 7, retryAfterSeconds: 0 });
    const seen = { requests: stripe.stats.requests, rateLimited: stripe.stats.faults['rate-limit'], serverErrors: stripe.stats.faults['server-error'] };
    const before = await scrape();
    const run = await runNow(api, flow.flowId);
    const after = await scrape();
    stripe.setFaults(null);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(150);

    const requests = stripe.stats.requests - seen.requests;
    const rateLimited = stripe.stats.faults['rate-limit'] - seen.rateLimited;
    const serverErrors = stripe.stats.faults['server-error'] - seen.serverErrors;
    // Both faults happened, or the counts below would prove nothing about retries.
    expect(rateLimited).toBeGreaterThan(0);
    expect(serverErrors).toBeGreaterThan(0);
    const grew = delta(before, after);
    expect(grew('tributary_source_requests_total', { provider: 'stripe' })).toBe(requests);
    expect(grew('tributary_source_requests_total', { provider: 'stripe', status_code: '429' })).toBe(rateLimited);
    expect(grew('tributary_source_requests_total', { provider: 'stripe', status_code: '500' })).toBe(serverErrors);
    expect(grew('tributary_source_requests_total', { provider: 'stripe', status_code: '200' })).toBe(requests - rateLimited - serverErrors);
    expect(grew('tributary_source_retries_total', { provider: 'stripe', status_code: '429' })).toBe(rateLimited);
    expect(grew('tributary_source_retries_total', { provider: 'stripe', status_code: '500' })).toBe(serverErrors);
    expect(grew('tributary_source_retries_total', { provider: 'stripe', status_code: '200' })).toBe(0);
    // The run's own stream metrics tell the same story.
    expect(at(run, 'activities.0.statusSummary.extensions.streams.0')).toMatchObject({ requests, retries: rateLimited + serverErrors, rateLimited });
    const stripeRun = { flow_spec: 'RestStorageToAEP', provider: 'stripe' };
    expect(grew('tributary_runs_total', { ...stripeRun, status: 'success' })).toBe(1);
    expect(grew('tributary_run_records_read_total', stripeRun)).toBe(150);
    expect(grew('tributary_run_records_written_total', stripeRun)).toBe(150);
  });

  it('shows a run executing as in progress, and none once it has finished', async () => {
    stripe.account.createCharge({ amount: 500, currency: 'usd' }, { at: Math.floor((clock.now() - day) / 1000) });
    clock.advance(5 * 60_000);
    const flow = await stripeChargesFlow('metrics stripe slow');
    // The provider holds every answer for three seconds: the run cannot finish while the test looks.
    stripe.setFaults({ rate: 1, kinds: ['slow'], slowMs: 3_000 });
    const requested = stripe.stats.requests;
    const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } });
    expect(started.status, started.text).toBe(201);
    for (let i = 0; i < 200 && stripe.stats.requests === requested; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(stripe.stats.requests).toBeGreaterThan(requested);
    const during = await scrape();
    expect(total(during, 'tributary_runs_in_progress')).toBe(1);
    expect(total(during, 'tributary_runs_queued')).toBe(0);
    stripe.setFaults(null);
    await api.app.engine.idle();
    const after = await scrape();
    expect(total(after, 'tributary_runs_in_progress')).toBe(0);
    expect(delta(during, after)('tributary_runs_total', { provider: 'stripe', status: 'success' })).toBe(1);
  });

  it('times API requests by method, route pattern and status, never by the URL sent', async () => {
    const run = str(await api.request('GET', `${flowservice}/runs?limit=1`).then((r) => r.json), 'items.0.id');
    const missing = 'f0f0f0f0-0000-4000-8000-00000000beef';
    const before = await scrape();
    for (let i = 0; i < 3; i += 1) expect((await api.request('GET', `${flowservice}/runs/${run}`)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await api.request('GET', `${flowservice}/flows/${missing}?property=x`)).status).toBe(404);
    expect((await api.request('GET', `/no/such/api/${missing}`)).status).toBe(404);
    const after = await scrape();

    const grew = delta(before, after);
    const runsRoute = { method: 'GET', route: `${flowservice}/runs/:id`, status_code: '200' };
    expect(grew('tributary_http_request_duration_seconds_count', runsRoute)).toBe(3);
    expect(grew('tributary_http_request_duration_seconds_bucket', { ...runsRoute, le: '+Inf' })).toBe(3);
    expect(grew('tributary_http_request_duration_seconds_sum', runsRoute)).toBeGreaterThan(0);
    expect(grew('tributary_http_request_duration_seconds_count', { method: 'GET', route: `${flowservice}/flows/:id`, status_code: '404' })).toBe(2);
    expect(grew('tributary_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
    // The scrape before is timed once it has answered, so the one after shows it.
    expect(grew('tributary_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status_code: '200' })).toBe(1);
    const routes = new Set(after.filter((s) => s.name === 'tributary_http_request_duration_seconds_count').map((s) => s.labels.route));
    for (const route of routes) expect(route).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\?/);
  });
});

describe('GET /metrics without a token', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(backends[0]!);
  });
  afterAll(async () => api?.close());

  it('is open to a scraper without credentials, and shows the app\'s metrics only when given no process metrics', async () => {
    const response = await api.request('GET', '/metrics', { auth: false });
    expect(response.status).toBe(200);
    const samples = parseExposition(response.text);
    expect(total(samples, 'tributary_runs_in_progress')).toBe(0);
    expect(has(samples, 'process_cpu_user_seconds_total')).toBe(false);
  });

  it('takes the token from TRIBUTARY_METRICS_TOKEN, a blank one meaning none', () => {
    expect(loadConfig({ TRIBUTARY_METRICS_TOKEN: 'abc' }).metricsToken).toBe('abc');
    expect(loadConfig({ TRIBUTARY_METRICS_TOKEN: ' ' }).metricsToken).toBeUndefined();
    expect(loadConfig({}).metricsToken).toBeUndefined();
  });
});

describe('GET /metrics of tributary serve', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-metrics-serve-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('asks for TRIBUTARY_METRICS_TOKEN and shows the process metrics with the app\'s', async () => {
    const started = await startServe(dataDir, { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '', TRIBUTARY_METRICS_TOKEN: token });
    try {
      expect((await fetch(`${started.baseUrl}/metrics`)).status).toBe(401);
      const response = await fetch(`${started.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const samples = parseExposition(await response.text());
      expect(total(samples, 'tributary_runs_in_progress')).toBe(0);
      expect(total(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(has(samples, 'nodejs_eventloop_lag_seconds')).toBe(true);
    } finally {
      await started.stop();
    }
  });
});
