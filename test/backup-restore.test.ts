import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, dropSchemas, postgresUrl } from './support/backends.js';
import { createFileFlow, createFlowFrom, type FlowApi } from './support/file-flow.js';
import { flowservice, restFlowSpec, stripeSpec } from './support/payment-sources.js';
import { startServe, tributaryBin as bin, type ServeProcess } from './support/serve-process.js';
import { startStandInServer, type RunningStandIn } from '../src/standins/standin-server.js';
import { createStripeHandler } from '../src/standins/stripe/api-handler.js';
import { DEFAULT_STRIPE_KEY, StripeAccount, stripeFaultResponses } from '../src/standins/stripe/index.js';
import { at, str, type ApiResponse, type RequestOptions } from './support/test-api.js';

const execute = promisify(execFile);
const backends = await availableBackends();

/** The gateway headers of the development client `serve` creates on its first start (saved in the data directory). */
function devHeaders(dataDir: string): { headers: Record<string, string>; tenantId: string } {
  const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-credentials.json'), 'utf8')) as Record<string, string>;
  return {
    headers: { authorization: `Bearer ${saved.access_token}`, 'x-api-key': str(saved, 'client_id'), 'x-gw-ims-org-id': str(saved, 'ims_org'), 'x-sandbox-name': 'prod' },
    tenantId: str(saved, 'tenant_id'),
  };
}

/** Requests to a `serve` process, shaped as the flow helpers want them. */
function clientOf(server: ServeProcess, headers: Record<string, string>, tenantId: string): FlowApi {
  return {
    tenantId,
    request: async (method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse> => {
      const response = await fetch(`${server.baseUrl}${url}`, {
        method,
        headers: { ...headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.headers as Record<string, string> | undefined) },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined };
    },
  };
}

/** Waits for a run to leave `queued`/`inProgress`; a run that never does fails the test after a minute. */
async function finishedRun(api: FlowApi, runId: string): Promise<unknown> {
  for (let polls = 0; polls < 600; polls += 1) {
    const run = at((await api.request('GET', `${flowservice}/runs/${runId}`)).json, 'items.0');
    const status = at(run, 'metrics.statusSummary.status');
    if (status !== 'inProgress' && status !== 'queued') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not finish within a minute`);
}

async function startRun(api: FlowApi, flowId: string): Promise<string> {
  const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId } });
  expect(started.status, started.text).toBe(201);
  return str(started.json, 'id');
}

async function query(api: FlowApi, sql: string): Promise<unknown> {
  const answer = await api.request('POST', '/data/foundation/query/queries', { body: { dbName: 'prod:all', sql } });
  expect(answer.status, answer.text).toBe(202);
  return at(answer.json, 'rows');
}

/**
 * A Stripe stand-in whose customer list waits while `hold` is on: a run reading it stays in progress until the
 * test lets it go, so a backup can be taken in the middle of it.
 */
async function heldStripe(): Promise<RunningStandIn & { hold(): void; release(): void; waiting(): number }> {
  const account = new StripeAccount({ seed: 7 });
  account.createCustomer({ name: 'Ada', email: 'ada@example.com' });
  const handler = createStripeHandler({ state: account.state, apiKeys: new Set([DEFAULT_STRIPE_KEY]) });
  let gate: Promise<void> | undefined;
  let open = () => undefined as void;
  let waiting = 0;
  const server = await startStandInServer(async (request) => {
    if (gate && request.url.pathname === '/v1/customers') {
      waiting += 1;
      await gate;
    }
    return handler(request);
  }, stripeFaultResponses(account));
  return {
    ...server,
    hold: () => {
      gate = new Promise((resolve) => (open = () => resolve()));
    },
    release: () => {
      gate = undefined;
      open();
    },
    waiting: () => waiting,
  };
}

describe.each(backends)('tributary backup and restore, from $name', (backend) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-backup-cli-'));
  const files = path.join(work, 'files');
  const original = path.join(work, 'original');
  const restored = path.join(work, 'restored');
  const archive = path.join(work, 'backup.tar');
  const schemas = backend.name === 'postgres' ? [`t_${crypto.randomBytes(6).toString('hex')}`, `t_${crypto.randomBytes(6).toString('hex')}`] : [];
  const envFor = (schema: string | undefined) => ({
    ...process.env,
    TRIBUTARY_LOG_LEVEL: 'warn',
    TRIBUTARY_SECRET_KEY: '',
    TRIBUTARY_FILE_ROOTS: files,
    DATABASE_URL: schema ? postgresUrl : '',
    TRIBUTARY_DATABASE_SCHEMA: schema ?? '',
  });
  const originalEnv = envFor(schemas[0]);
  const restoredEnv = envFor(schemas[1]);
  let stripe: Awaited<ReturnType<typeof heldStripe>>;
  let server: ServeProcess;
  let api: FlowApi;
  let headers: Record<string, string>;
  let table: string;
  let stripeConnection: string;
  let stripeRun: string;
  /** What the original server answered while the backup was taken. */
  const expected: Record<string, unknown> = {};
  const views = (tenantId: string) => ({
    rows: `SELECT _id, _${tenantId}.product.name AS name FROM ${table} ORDER BY _id, name`,
    latest: `SELECT _id, _${tenantId}.product.name AS name FROM ${table}_latest ORDER BY _id`,
    lists: ['/flowservice/flows', '/flowservice/connections', '/flowservice/sourceConnections', '/catalog/dataSets', '/catalog/batches?limit=100', '/conversion/mappingSets', '/schemaregistry/tenant/schemas'],
  });

  /** The flows as the original listed them, but for the held run, which the restored server has failed since. */
  const interrupted = (flows: unknown) => {
    const items = at(flows, 'items') as { lastRunDetails?: { id: string } }[];
    return {
      ...(flows as object),
      items: items.map((flow) => (flow.lastRunDetails?.id === stripeRun ? { ...flow, lastRunDetails: { ...flow.lastRunDetails, state: 'failed', completedAtUTC: expect.any(Number) } } : flow)),
    };
  };

  beforeAll(async () => {
    fs.mkdirSync(files);
    stripe = await heldStripe();
  });
  afterAll(async () => {
    stripe?.release();
    // A server a test stopped has exited already: waiting for its exit again would never end.
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    await stripe?.close();
    await dropSchemas(schemas);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('backs up a running server in the middle of a run', async () => {
    server = await startServe(original, originalEnv);
    const dev = devHeaders(original);
    headers = dev.headers;
    api = clientOf(server, headers, dev.tenantId);

    // Two runs of a file flow: two batches, the second updating a record of the first.
    fs.writeFileSync(path.join(files, 'products.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,,PHYSICAL,2024-01-02 10:00:00\nP2,Book,,DIGITAL,2024-01-03 10:00:00\n');
    const flow = await createFileFlow(api, { root: files, path: 'products.csv', format: 'delimited', title: 'backed up' });
    expect(at(await finishedRun(api, await startRun(api, flow.flowId)), 'metrics.statusSummary.status')).toBe('success');
    fs.appendFileSync(path.join(files, 'products.csv'), 'P1,Widget v2,,PHYSICAL,2024-02-01 10:00:00\nP3,Lamp,,PHYSICAL,2024-02-02 10:00:00\n');
    expect(at(await finishedRun(api, await startRun(api, flow.flowId)), 'metrics.statusSummary.status')).toBe('success');
    const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${flow.dataSetId}`);
    table = str(dataSet.json, `${flow.dataSetId}.tags.adobe/pqs/table.0`);

    // A Stripe flow, whose connection holds a sealed secret; its run is held in the middle of reading.
    const connection = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'Stripe', auth: { specName: 'OAuth2 Refresh Code', params: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY } }, connectionSpec: { id: stripeSpec, version: '1.0' } },
    });
    expect(connection.status, connection.text).toBe(201);
    stripeConnection = str(connection.json, 'id');
    expect((await api.request('GET', `${flowservice}/connections/${stripeConnection}/test`)).json).toEqual({ status: 'ok', message: 'connected to Stripe' });
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: 'Stripe customers', baseConnectionId: stripeConnection, data: { format: 'json' }, params: { resourcePath: 'customers' }, connectionSpec: { id: stripeSpec, version: '1.0' } },
    });
    const stripeFlow = await createFlowFrom(api, str(source.json, 'id'), { title: 'stripe customers', flowSpecId: restFlowSpec, columns: { id: 'Id', name: 'Name', description: 'Email', type: 'Description' } });
    stripe.hold();
    stripeRun = await startRun(api, stripeFlow.flowId);
    for (let polls = 0; stripe.waiting() === 0; polls += 1) {
      if (polls > 300) throw new Error('the Stripe run never asked for customers');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const { stdout } = await execute(process.execPath, [bin, 'backup', '--data-dir', original, '--output', archive, '--json'], { env: originalEnv });
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    // Both connections' auth params are sealed: the folder's and Stripe's.
    expect(summary).toMatchObject({ snapshots: 1, batches: 2, sealedSecrets: 2, keyIncluded: false });
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);

    // What the original answers now is what the backup holds: the held run has landed nothing yet.
    const { rows, latest, lists } = views(dev.tenantId);
    expected.rows = await query(api, rows);
    expected.latest = await query(api, latest);
    for (const list of lists) expected[list] = (await api.request('GET', `/data/foundation${list}`)).json;
    expect(expected.latest).toEqual([{ _id: 'P1', name: 'Widget v2' }, { _id: 'P2', name: 'Book' }, { _id: 'P3', name: 'Lamp' }]);

    stripe.release();
    expect(at(await finishedRun(api, stripeRun), 'metrics.statusSummary.status'), 'the held run goes on after the backup').toBe('success');
    await server.stop();
  });

  it('refuses to restore sealed secrets without the key, and leaves no directory', async () => {
    const failure = await execute(process.execPath, [bin, 'restore', archive, '--data-dir', restored], { env: restoredEnv }).catch((error: { stderr: string; code: number }) => error);
    expect('code' in failure && failure.code).toBe(1);
    expect('stderr' in failure ? failure.stderr : '').toMatch(/sealed connection secret\(s\), and not the master key that opens them.*--key-file/);
    expect(fs.existsSync(restored)).toBe(false);
  });

  it('restores into a new data directory whose server answers the same', async () => {
    const { stdout } = await execute(process.execPath, [bin, 'restore', archive, '--data-dir', restored, '--key-file', path.join(original, 'secret.key'), '--json'], { env: restoredEnv });
    expect(JSON.parse(stdout)).toMatchObject({ backend: backend.name, batches: 2, key: 'key file' });
    expect(fs.statSync(restored).mode & 0o777).toBe(0o700);
    server = await startServe(restored, restoredEnv);
    expect(server.output(), 'a restored directory is no first start').not.toContain('First start');
    api = clientOf(server, headers, api.tenantId);

    const { rows, latest, lists } = views(api.tenantId);
    expect(await query(api, rows)).toEqual(expected.rows);
    expect(await query(api, latest)).toEqual(expected.latest);
    for (const list of lists) expect((await api.request('GET', `/data/foundation${list}`)).json, list).toEqual(list === '/flowservice/flows' ? interrupted(expected[list]) : expected[list]);

    // The run in flight during the backup landed nothing in it, and the restored server says it was interrupted.
    const run = await finishedRun(api, stripeRun);
    expect(at(run, 'metrics.statusSummary')).toMatchObject({ status: 'failed', errors: [{ code: 'CONNECTOR-2001-500' }] });
    // The runs' index (`flow_runs`) came back with them, and recovery updated it: the SQL listing finds the two
    // finished runs and the interrupted one, failed.
    const listed = async (filter: string) => ((at((await api.request('GET', `${flowservice}/runs?property=${filter}&property=createdAt>=0`)).json, 'items') as { id: string }[]) ?? []).map((r) => r.id);
    expect(await listed('metrics.statusSummary.status==failed')).toEqual([stripeRun]);
    expect(await listed('metrics.statusSummary.status==success')).toHaveLength(2);
    // The sealed secret opens with the restored key.
    expect((await api.request('GET', `${flowservice}/connections/${stripeConnection}/test`)).json).toEqual({ status: 'ok', message: 'connected to Stripe' });
    await server.stop();
  });
});
