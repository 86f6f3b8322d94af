import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { crmFlowSpec, flowservice, paypalSpec, quickRetries } from './support/payment-sources.js';
import { createFlowFrom, lakeRows, latestRows, runNow } from './support/file-flow.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { startPayPalStandIn, type PayPalStandIn } from '../src/standins/paypal/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

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

  /** A transactions flow: `_id` the transaction id, the product fields its status, amount and event code. */
  const transactionsFlow = async (title: string) =>
    createFlowFrom(api, await source(await connect(title), 'PayPal.Transactions'), {
      title,
      flowSpecId: crmFlowSpec,
      columns: { id: 'Transaction_Id', name: 'Transaction_Status', description: 'Transaction_Amount_Value', type: 'Transaction_Event_Code' },
      deltaColumn: { name: 'Transaction_Updated_Date' },
    });
  /** Each transaction's newest status. */
  const latest = async (dataSetId: string) => {
    const rows = await latestRows(api, dataSetId, `_id, _${api.tenantId}.product.name AS status`);
    return Object.fromEntries(rows.map((r) => [r._id as string, r.status as string]));
  };

  it('reads transactions incrementally: lagging ones land later, a changed status lands again, nothing twice', async () => {
    const hour = 3_600_000;
    const t0 = clock.now();
    const ids = {
      old: paypal.account.addTransaction({ initiatedAt: t0 - 20 * 24 * hour, amount: '10.00', status: 'P', visibilityLagMs: 0 }),
      pending: paypal.account.addTransaction({ initiatedAt: t0 - 2 * 24 * hour, amount: '20.00', status: 'P', visibilityLagMs: 0 }),
      // Initiated an hour ago and still inside PayPal's reporting lag: invisible to the first run.
      late: paypal.account.addTransaction({ initiatedAt: t0 - hour, amount: '30.00', status: 'S', visibilityLagMs: 2 * hour }),
    };
    // Settled now: the first run's watermark becomes now, later than the lagging transaction's own stamp.
    paypal.account.setTransactionStatus(ids.old, 'S');
    clock.advance(5 * 60_000);
    const flow = await transactionsFlow('paypal transactions');
    const first = await runNow(api, flow.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(await latest(flow.dataSetId)).toEqual({ [ids.old]: 'S', [ids.pending]: 'P' });

    // (Less than a day: the test client's Tributary token lives one day on this clock.)
    clock.advance(20 * hour);
    paypal.account.setTransactionStatus(ids.pending, "S");
    const fresh = paypal.account.addTransaction({ initiatedAt: clock.now() - 10 * hour, amount: '40.00', status: 'S', visibilityLagMs: 0 });
    // An on-demand run reads up to a minute before it starts.
    clock.advance(5 * 60_000);
    const second = await runNow(api, flow.flowId);
    expect(at(second, 'metrics.statusSummary.status')).toBe('success');
    // Only what is new or changed lands: the settled payment, the late one and the fresh one.
    expect(at(second, 'metrics.recordSummary.outputRecordCount')).toBe(3);
    expect(await latest(flow.dataSetId)).toEqual({ [ids.old]: 'S', [ids.pending]: 'S', [ids.late]: 'S', [fresh]: 'S' });

    const third = await runNow(api, flow.flowId);
    expect(at(third, 'metrics.recordSummary.outputRecordCount')).toBe(0);
  });

  it('lands the same rows with faults on one request in ten as without them', async () => {
    const start = clock.now() - 40 * 24 * 3_600_000;
    for (let i = 0; i < 600; i += 1) paypal.account.addTransaction({ id: `FAULTTEST${String(i).padStart(8, '0')}`, initiatedAt: start + i * 3_600_000, amount: `${i}.00`, status: 'S', visibilityLagMs: 0 });
    const clean = await transactionsFlow('transactions without faults');
    expect(at(await runNow(api, clean.flowId), 'metrics.statusSummary.status')).toBe('success');

    paypal.setFaults({ rate: 0.1, kinds: ['rate-limit', 'server-error', 'drop', 'expired-token'], seed: 11, retryAfterSeconds: 0 });
    try {
      const faulty = await transactionsFlow('transactions with faults');
      const run = await runNow(api, faulty.flowId);
      expect(at(run, 'metrics.statusSummary'), JSON.stringify(at(run, 'metrics.statusSummary'))).toMatchObject({ status: 'success' });
      expect(await latest(faulty.dataSetId)).toEqual(await latest(clean.dataSetId));
      const streams = at(run, 'activities.0.statusSummary.extensions.streams.0') as { retries: number; rateLimited: number };
      expect(streams.retries).toBeGreaterThan(0);
      expect(Object.values(paypal.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      paypal.setFaults(null);
    }
  });

  it('explores the account: its tables, a table\'s columns, and a live preview', async () => {
    paypal.account.addProduct({ id: 'PROD-PREVIEW', name: 'Preview me', type: 'SERVICE', createTime: '2026-05-03T10:00:00Z' });
    const connection = await connect('explore');
    const root = await api.request('GET', `${flowservice}/connections/${connection}/explore?objectType=root`);
    expect(root.status, root.text).toBe(200);
    expect(root.json).toEqual(['Catalog_Products', 'Transactions', 'Balances', 'Disputes'].map((t) => ({ type: 'table', name: `PayPal.${t}`, path: `PayPal.${t}`, canPreview: true, canFetchSchema: true })));
    const table = await api.request('GET', `${flowservice}/connections/${connection}/explore?objectType=table&object=PayPal.Catalog_Products`);
    expect(at(table.json, 'schema.columns.0')).toEqual({ name: 'Product_Id', type: 'string', xdm: { type: 'string' } });
    expect(at(table.json, 'schema.columns.7')).toEqual({ name: 'Create_Time', type: 'string', 'meta:xdmType': 'date-time', xdm: { type: 'string', format: 'date-time' } });
    expect(at(table.json, 'data')).toBeUndefined();
    const preview = await api.request('GET', `${flowservice}/connections/${connection}/explore?objectType=table&object=PayPal.Catalog_Products&preview=true`);
    expect(preview.status, preview.text).toBe(200);
    expect((at(preview.json, 'data') as { Product_Id: string }[]).map((r) => r.Product_Id)).toContain('PROD-PREVIEW');
    const unknown = await api.request('GET', `${flowservice}/connections/${connection}/explore?objectType=table&object=PayPal.Nope`);
    expect(unknown.status).toBe(400);
    expect(str(unknown.json, 'detail')).toContain('PayPal.Catalog_Products');
  });

  it('tests a connection: working credentials, a wrong secret and an unreachable host, never echoing the secret', async () => {
    const good = await api.request('GET', `${flowservice}/connections/${await connect('test good')}/test`);
    expect(good.json).toEqual({ status: 'ok', message: 'connected to PayPal' });
    const wrongSecret = 'EWrongSecretValue-123';
    const badConnection = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'PayPal bad', auth: { specName: 'Client-Id-Secret Based Authentication', params: { host: paypal.url, clientId: paypal.credentials.clientId, clientSecret: wrongSecret } }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    const bad = await api.request('GET', `${flowservice}/connections/${str(badConnection.json, 'id')}/test`);
    expect(bad.json).toMatchObject({ status: 'failed', message: expect.stringContaining('refused the client id and secret') });
    expect(bad.text).not.toContain(wrongSecret);
    expect((await api.request('GET', `${flowservice}/connections/${str(badConnection.json, 'id')}`)).text).not.toContain(wrongSecret);
    const nowhere = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'PayPal nowhere', auth: { specName: 'Client-Id-Secret Based Authentication', params: { host: 'http://127.0.0.1:9', ...paypal.credentials } }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    const unreachable = await api.request('GET', `${flowservice}/connections/${str(nowhere.json, 'id')}/test`);
    expect(unreachable.json).toMatchObject({ status: 'failed', message: expect.stringMatching(/failed \d+ times/) });
    const plainHttp = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'PayPal plain', auth: { specName: 'Client-Id-Secret Based Authentication', params: { host: 'http://api-m.paypal.com', ...paypal.credentials } }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    expect((await api.request('GET', `${flowservice}/connections/${str(plainHttp.json, 'id')}/test`)).json).toMatchObject({ status: 'failed', message: expect.stringContaining('must use https') });
  });

  it('reads Balances as a snapshot and Disputes through PayPal\'s next-page links', async () => {
    paypal.account.setBalances([{ currency: 'USD', total: '1250.00', available: '1000.00', primary: true }, { currency: 'EUR', total: '80.50' }], clock.now() - 3_600_000);
    for (let i = 0; i < 60; i += 1) paypal.account.addDispute({ id: `PP-D-${String(i).padStart(4, '0')}`, amount: `${i + 1}.00`, createTime: clock.now() - (i + 2) * 3_600_000 });
    clock.advance(5 * 60_000);
    const balances = await createFlowFrom(api, await source(await connect('balances'), 'PayPal.Balances'), {
      title: 'paypal balances', flowSpecId: crmFlowSpec, columns: { id: 'Currency', name: 'Total_Balance_Value', description: 'Available_Balance_Value', type: 'Currency' },
    });
    expect(at(await runNow(api, balances.flowId), 'metrics.statusSummary.status')).toBe('success');
    expect(await latestRows(api, balances.dataSetId, `_id, _${api.tenantId}.product.name AS total`)).toEqual([{ _id: 'EUR', total: '80.5' }, { _id: 'USD', total: '1250.0' }]);

    const disputes = await createFlowFrom(api, await source(await connect('disputes'), 'PayPal.Disputes'), {
      title: 'paypal disputes', flowSpecId: crmFlowSpec, columns: { id: 'Dispute_Id', name: 'Status', description: 'Dispute_Amount_Value', type: 'Reason' },
    });
    const run = await runNow(api, disputes.flowId);
    expect(at(run, 'metrics.statusSummary.status')).toBe('success');
    expect(at(run, 'activities.0.statusSummary.extensions.streams.0')).toMatchObject({ records: 60, requests: 2 });
    const rows = await latestRows(api, disputes.dataSetId, '_id');
    expect(rows.map((r) => r._id)).toEqual(Array.from({ length: 60 }, (_, i) => `PP-D-${String(i).padStart(4, '0')}`));
  });

  it('splits a transaction window PayPal finds too large (RESULTSET_TOO_LARGE) until each half fits', async () => {
    const small = await startPayPalStandIn({ clock, seed: 8, maxResultSetSize: 40 });
    try {
      const start = clock.now() - 20 * 24 * 3_600_000;
      for (let i = 0; i < 150; i += 1) small.account.addTransaction({ initiatedAt: start + i * 3_600_000, amount: '1.00', status: 'S', visibilityLagMs: 0 });
      const connection = await api.request('POST', `${flowservice}/connections`, {
        body: { name: 'PayPal small', auth: { specName: 'Client-Id-Secret Based Authentication', params: { host: small.url, ...small.credentials } }, connectionSpec: { id: paypalSpec, version: '1.0' } },
      });
      const flow = await createFlowFrom(api, await source(str(connection.json, 'id'), 'PayPal.Transactions'), {
        title: 'split transactions', flowSpecId: crmFlowSpec, columns: { id: 'Transaction_Id', name: 'Transaction_Status', description: 'Transaction_Amount_Value', type: 'Transaction_Event_Code' },
      });
      const run = await runNow(api, flow.flowId);
      expect(at(run, 'metrics.statusSummary.status')).toBe('success');
      expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(150);
      expect(at(run, 'activities.0.statusSummary.extensions.streams.0.windowsSplit')).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});
