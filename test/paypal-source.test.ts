import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom, lakeRows, runNow } from './support/file-flow.js';
import { StandInClock } from './support/standins/standin-server.js';
import { startPayPalStandIn, type PayPalStandIn } from './support/standins/paypal/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const flowservice = '/data/foundation/flowservice';
const paypalSpec = '221c7626-58f6-4eec-8ee2-042b0226f03b';
const crmFlowSpec = '14518937-270c-4525-bdec-c2ba7cce3860';
/** Short waits between retries: the stand-in's faults are many, the test's time is not. */
const quickRetries = { attempts: 8, statuses: [408, 429, 500, 502, 503, 504], baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5_000 };

describe.each(backends)('the PayPal source against the PayPal stand-in on $name', (backend) => {
  let api: TestApi;
  let paypal: PayPalStandIn;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));

  beforeAll(async () => {
    paypal = await startPayPalStandIn({ clock, seed: 7 });
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries });
  });
  afterAll(async () => {
    await api?.close();
    await paypal?.close();
  });

  const connect = async (title: string): Promise<string> => {
    const response = await api.request('POST', `${flowservice}/connections`, {
      body: { name: `PayPal ${title}`, auth: { specName: 'Client-Id-Secret Based Authentication', params: { host: paypal.url, ...paypal.credentials } }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    expect(response.status, response.text).toBe(201);
    return str(response.json, 'id');
  };
  const source = async (connection: string, table: string): Promise<string> => {
    const response = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: table, baseConnectionId: connection, data: { format: 'tabular' }, params: { tableName: table }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    expect(response.status, response.text).toBe(201);
    return str(response.json, 'id');
  };

  it('lands PayPal.Catalog_Products, detail fields included, through the tutorial\'s flow', async () => {
    paypal.account.addProduct({ id: 'PROD-1', name: 'Widget', description: 'A widget', type: 'PHYSICAL', category: 'SOFTWARE', createTime: '2026-05-01T10:00:00Z' });
    paypal.account.addProduct({ id: 'PROD-2', name: 'E-book', type: 'DIGITAL', createTime: '2026-05-02T10:00:00Z' });
    const flow = await createFlowFrom(api, await source(await connect('products'), 'PayPal.Catalog_Products'), { title: 'paypal products', flowSpecId: crmFlowSpec });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary'), JSON.stringify(at(run, 'metrics.statusSummary'))).toMatchObject({ status: 'success' });
    const product = `_${api.tenantId}.product`;
    const rows = await lakeRows(api, flow.dataSetId, `_id, ${product}.name AS name, ${product}.type AS type, ${product}.description AS description`);
    expect(rows).toEqual([
      { _id: 'PROD-1', name: 'Widget', type: 'PHYSICAL', description: 'A widget' },
      { _id: 'PROD-2', name: 'E-book', type: 'DIGITAL', description: null },
    ]);
    const streams = at(run, 'activities.0.statusSummary.extensions.streams') as Record<string, unknown>[];
    expect(streams[0]).toMatchObject({ stream: 'Catalog_Products', records: 2, requests: 3 });
  });
});
