import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledChangesProblem } from '../src/services/flowservice/scheduled-changes.js';
import { connectionSpecs, flowSpecs } from '../src/services/flowservice/specs/builtin-specs.js';
import { availableBackends } from './support/backends.js';
import { createFileFlow, createFlowFrom, latestRows } from './support/file-flow.js';
import { crmFlowSpec, flowservice, paypalSpec, quickRetries, restFlowSpec, squareSpec, stripeSpec } from './support/payment-sources.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const minute = 60_000;
const day = 24 * 60 * minute;
/** The Stripe flow's schedule starts here; the Local Files flow's a day later. */
const t0 = Date.parse('2026-06-01T12:00:00Z');
const t1 = t0 + day;
const every15 = (start: number) => ({ startTime: start / 1000, frequency: 'minute', interval: 15 });
const header = 'Product_Id,Product_Name,Description,Type\n';

/**
 * A scheduled flow needs a way to read only what changed since its last run. Sources that find changes by
 * themselves (PayPal, Stripe, Square through their connectors' state, Local Files by modification time) run on a
 * schedule with only a Mapping, as AEP's own Stripe example does; other sources still need a Copy deltaColumn.
 */
describe.each(backends)('scheduled flows without a Copy transformation on $name', (backend) => {
  let api: TestApi;
  let stripe: StripeStandIn;
  let root: string;
  const clock = new StandInClock(t0 - 10 * minute);

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock, seed: 11 });
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, tokenTtlSeconds: 365 * 86_400 });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-changes-'));
    fs.mkdirSync(path.join(root, 'inbox'));
  });
  afterAll(async () => {
    await api?.close();
    await stripe?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const tickAt = async (time: number) => {
    clock.set(time);
    const report = await api.app.scheduler.tick();
    await api.app.engine.idle();
    return report;
  };
  const runsOf = async (flowId: string) => at((await api.request('GET', `${flowservice}/runs?property=flowId==${flowId}&orderby=createdAt`)).json, 'items') as unknown[];
  const lastRun = async (flowId: string) => (await runsOf(flowId)).at(-1);
  const landed = (run: unknown) => {
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    return at(run, 'metrics.recordSummary.outputRecordCount');
  };
  /** The names in the input manifest of the batch a run landed. */
  const manifestOf = async (run: unknown) => {
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    const listed = await api.request('GET', `/data/foundation/export/batches/${batchId}/meta?path=input_files`);
    const href = str(listed.json, 'data.0._links.self.href');
    const text = await (await fetch(`${api.baseUrl}${href}`, { headers: api.gatewayHeaders() })).text();
    return text.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { name: string }).name);
  };
  /** Every row the dataset's successful batches hold (the query service's table, not only the newest versions). */
  const landedIds = async (dataSetId: string) => {
    const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${dataSetId}`);
    const table = str(dataSet.json, `${dataSetId}.tags.adobe/pqs/table.0`);
    const response = await api.request('POST', '/data/foundation/query/queries', { body: { dbName: 'prod:all', sql: `SELECT _id FROM ${table} ORDER BY _id` } });
    expect(response.status, response.text).toBe(202);
    return (at(response.json, 'rows') as { _id: string }[]).map((r) => r._id);
  };
  const sourceFor = async (specId: string, auth: { specName: string; params: Record<string, unknown> }, params: Record<string, unknown>) => {
    const connection = await api.request('POST', `${flowservice}/connections`, { body: { name: `connection ${specId}`, auth, connectionSpec: { id: specId, version: '1.0' } } });
    expect(connection.status, connection.text).toBe(201);
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: `source ${specId}`, baseConnectionId: str(connection.json, 'id'), data: { format: 'tabular' }, params, connectionSpec: { id: specId, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    return str(source.json, 'id');
  };

  it('says on each source\'s connection spec how it finds changes by itself', async () => {
    const response = await api.request('GET', `${flowservice}/connectionSpecs`);
    const byName = Object.fromEntries((at(response.json, 'items') as { name: string; changeCapture?: string }[]).map((s) => [s.name, s.changeCapture]));
    expect(byName).toEqual({ PayPal: 'connector-state', Stripe: 'connector-state', Square: 'connector-state', 'Local Files': 'file-modification-time', 'Data Lake': undefined, PostgreSQL: undefined });
  });

  it('accepts a minute-scheduled PayPal or Square flow with only a Mapping', async () => {
    // Never due while this test file runs: only the validation is under test here.
    const later = every15(t0 + 365 * day);
    const paypal = await sourceFor(paypalSpec, { specName: 'Client-Id-Secret Based Authentication', params: { host: 'http://127.0.0.1:9', clientId: 'id', clientSecret: 'secret' } }, { tableName: 'PayPal.Transactions' });
    await createFlowFrom(api, paypal, { title: 'paypal without copy', flowSpecId: crmFlowSpec, scheduleParams: later });
    const square = await sourceFor(squareSpec, { specName: 'OAuth2 Refresh Code', params: { host: 'http://127.0.0.1:9', clientId: 'id', clientSecret: 'secret', accessToken: 'token', refreshToken: 'refresh' } }, { tableName: 'Square.Payments' });
    const flow = await createFlowFrom(api, square, { title: 'square without copy', flowSpecId: crmFlowSpec, scheduleParams: later });
    const stored = await api.request('GET', `${flowservice}/flows/${flow.flowId}`);
    expect((at(stored.json, 'items.0.transformations') as { name: string }[]).map((t) => t.name)).toEqual(['Mapping']);
  });

  it('runs a minute-scheduled Stripe flow with only a Mapping, landing each change once, against the Stripe stand-in', async () => {
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const ada = stripe.account.createCustomer({ name: 'Ada', email: 'ada@example.com' }, { at: seconds(t0 - 3 * day) });
    const alan = stripe.account.createCustomer({ name: 'Alan', email: 'alan@example.com' }, { at: seconds(t0 - day) });
    const connection = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'Stripe scheduled', auth: { specName: 'OAuth2 Refresh Code', params: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY } }, connectionSpec: { id: stripeSpec, version: '1.0' } },
    });
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: 'Stripe customers', baseConnectionId: str(connection.json, 'id'), data: { format: 'json' }, params: { resourcePath: 'customers' }, connectionSpec: { id: stripeSpec, version: '1.0' } },
    });
    // AEP's Stripe example: a minute-scheduled flow whose only transformation is the Mapping.
    const flow = await createFlowFrom(api, str(source.json, 'id'), { title: 'stripe every 15', flowSpecId: restFlowSpec, columns: { id: 'Id', name: 'Name', description: 'Email', type: 'Description' }, scheduleParams: every15(t0) });

    expect((await tickAt(t0)).started.map((s) => s.flowId)).toContain(flow.flowId);
    expect(landed(await lastRun(flow.flowId))).toBe(2);

    clock.set(t0 + 5 * minute);
    stripe.account.updateCustomer(alan.id as string, { name: 'Alan Turing' });
    const grace = stripe.account.createCustomer({ name: 'Grace', email: 'grace@example.com' });
    await tickAt(t0 + 15 * minute);
    expect(landed(await lastRun(flow.flowId))).toBe(2);

    await tickAt(t0 + 30 * minute);
    expect(landed(await lastRun(flow.flowId))).toBe(0);
    expect(await runsOf(flow.flowId)).toHaveLength(3);

    // Four rows in all: two from the first read, then the changed and the new customer, each once.
    expect(await landedIds(flow.dataSetId)).toEqual([ada.id, alan.id, alan.id, grace.id].sort());
    const latest = await latestRows(api, flow.dataSetId, `_id, _${api.tenantId}.product.name AS name`);
    expect(latest).toEqual([{ _id: ada.id, name: 'Ada' }, { _id: alan.id, name: 'Alan Turing' }, { _id: grace.id, name: 'Grace' }].sort((a, b) => (a._id < b._id ? -1 : 1)));
  });

  it('runs a scheduled Local Files flow without a delta column: each new or changed file lands once, a changed one whole', async () => {
    const inbox = path.join(root, 'inbox');
    fs.writeFileSync(path.join(inbox, 'a.csv'), `${header}A1,Pen,,PHYSICAL\nA2,Paper,,PHYSICAL\n`);
    const flow = await createFileFlow(api, { root, path: 'inbox/*.csv', format: 'delimited', delta: false, title: 'files every 15', scheduleParams: every15(t1) });
    const stored = await api.request('GET', `${flowservice}/flows/${flow.flowId}`);
    expect((at(stored.json, 'items.0.transformations') as { name: string }[]).map((t) => t.name)).toEqual(['Mapping']);

    await tickAt(t1);
    const first = await lastRun(flow.flowId);
    expect(landed(first)).toBe(2);
    expect(await manifestOf(first)).toEqual(['inbox/a.csv']);

    // Nothing changed: the run succeeds and lands nothing, reading no file.
    await tickAt(t1 + 15 * minute);
    const unchanged = await lastRun(flow.flowId);
    expect(landed(unchanged)).toBe(0);
    expect(at(unchanged, 'metrics.fileSummary.inputFileCount')).toBe(0);
    expect(await manifestOf(unchanged)).toEqual([]);

    // A new file lands alone.
    fs.writeFileSync(path.join(inbox, 'b.csv'), `${header}B1,Ink,,PHYSICAL\n`);
    await tickAt(t1 + 30 * minute);
    const added = await lastRun(flow.flowId);
    expect(landed(added)).toBe(1);
    expect(await manifestOf(added)).toEqual(['inbox/b.csv']);

    // A changed file is read whole again; its unchanged neighbour is not.
    fs.writeFileSync(path.join(inbox, 'a.csv'), `${header}A1,Fountain pen,,PHYSICAL\nA2,Paper,,PHYSICAL\nA3,Stapler,,PHYSICAL\n`);
    await tickAt(t1 + 45 * minute);
    const changed = await lastRun(flow.flowId);
    expect(landed(changed)).toBe(3);
    expect(await manifestOf(changed)).toEqual(['inbox/a.csv']);

    expect(await landedIds(flow.dataSetId)).toEqual(['A1', 'A1', 'A2', 'A2', 'A3', 'B1']);
    const latest = await latestRows(api, flow.dataSetId, `_id, _${api.tenantId}.product.name AS name`);
    expect(latest).toEqual([{ _id: 'A1', name: 'Fountain pen' }, { _id: 'A2', name: 'Paper' }, { _id: 'A3', name: 'Stapler' }, { _id: 'B1', name: 'Ink' }]);
  });

  it('reads a file again after a run that failed on it, until one lands it', async () => {
    const inbox = path.join(root, 'retry');
    fs.mkdirSync(inbox);
    fs.writeFileSync(path.join(inbox, 'ok.csv'), `${header}K1,Kettle,,PHYSICAL\n`);
    const flow = await createFileFlow(api, { root, path: 'retry', format: 'delimited', delta: false, title: 'files with a bad file', scheduleParams: every15(t1 + 60 * minute) });
    await tickAt(t1 + 60 * minute);
    expect(landed(await lastRun(flow.flowId))).toBe(1);

    // A malformed line fails the run (no partial ingestion allowed): the state must not move past the file.
    fs.writeFileSync(path.join(inbox, 'bad.csv'), `${header}X1,"unclosed,,PHYSICAL\n`);
    await tickAt(t1 + 75 * minute);
    expect(at(await lastRun(flow.flowId), 'metrics.statusSummary.status')).toBe('failed');
    await tickAt(t1 + 90 * minute);
    const again = await lastRun(flow.flowId);
    expect(at(again, 'metrics.statusSummary.status')).toBe('failed');
    expect(at(again, 'metrics.fileSummary.inputFileCount')).toBe(1);

    fs.writeFileSync(path.join(inbox, 'bad.csv'), `${header}X1,Fixed,,PHYSICAL\n`);
    await tickAt(t1 + 105 * minute);
    const fixed = await lastRun(flow.flowId);
    expect(landed(fixed)).toBe(1);
    expect(await manifestOf(fixed)).toEqual(['retry/bad.csv']);
    expect(await landedIds(flow.dataSetId)).toEqual(['K1', 'X1']);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

describe('a source that cannot tell what changed', () => {
  const crm = flowSpecs.find((s) => s.name === 'CRMToAEP')!;
  const rest = flowSpecs.find((s) => s.name === 'RestStorageToAEP')!;
  const paypal = connectionSpecs.find((s) => s.name === 'PayPal')!;
  // A CRM source as AEP describes them: its changes are found only through a delta column.
  const { changeCapture: _capture, ...blind } = { ...paypal, name: 'Some CRM' };

  it('still needs a Copy deltaColumn to run on a schedule, and the 400 names the field', () => {
    expect(scheduledChangesProblem({ flowSpec: crm, frequency: 'minute', hasDeltaColumn: false, sources: [blind] })).toEqual({
      in: 'body',
      path: '/transformations',
      message: expect.stringContaining('"Copy" transformation with a deltaColumn'),
    });
    expect(scheduledChangesProblem({ flowSpec: rest, frequency: 'hour', hasDeltaColumn: false, sources: [blind] })).toMatchObject({ path: '/scheduleParams/frequency' });
  });

  it('may run once, or on a schedule with a delta column', () => {
    expect(scheduledChangesProblem({ flowSpec: crm, frequency: 'once', hasDeltaColumn: false, sources: [blind] })).toBeUndefined();
    expect(scheduledChangesProblem({ flowSpec: crm, frequency: 'minute', hasDeltaColumn: true, sources: [blind] })).toBeUndefined();
    expect(scheduledChangesProblem({ flowSpec: crm, frequency: 'minute', hasDeltaColumn: false, sources: [paypal] })).toBeUndefined();
  });
});
