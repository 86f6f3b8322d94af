import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { crmFlowSpec, flowservice, quickRetries, squareSpec } from './support/payment-sources.js';
import { createFlowFrom, latestRows, runNow } from './support/file-flow.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { startSquareStandIn, type SquareStandIn } from '../src/standins/square/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const day = 86_400_000;

describe.each(backends)('the Square source against the Square stand-in on $name', (backend) => {
  let api: TestApi;
  let square: SquareStandIn;
  let connection: string;
  let secondShop: string;
  const clock = new StandInClock(Date.parse('2026-06-01T12:00:00Z'));

  beforeAll(async () => {
    square = await startSquareStandIn({ clock, seed: 9 });
    secondShop = square.account.addLocation({ name: 'Second shop' }).id;
    api = await startApi(backend, { now: () => clock.now(), retryPolicy: quickRetries, tokenTtlSeconds: 365 * 86_400 });
    const created = await api.request('POST', `${flowservice}/connections`, {
      body: {
        name: 'Square',
        auth: { specName: 'OAuth2 Refresh Code', params: { host: square.url, clientId: square.tokens.clientId, clientSecret: square.tokens.clientSecret, accessToken: square.accessToken, refreshToken: square.tokens.refreshToken } },
        connectionSpec: { id: squareSpec, version: '1.0' },
      },
    });
    expect(created.status, created.text).toBe(201);
    connection = str(created.json, 'id');
  });
  afterAll(async () => {
    await api?.close();
    await square?.close();
  });

  const squareFlow = async (title: string, table: string, columns: { name: string; description: string; type: string }) => {
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: title, baseConnectionId: connection, data: { format: 'tabular' }, params: { tableName: `Square.${table}` }, connectionSpec: { id: squareSpec, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    return createFlowFrom(api, str(source.json, 'id'), { title, flowSpecId: crmFlowSpec, columns: { id: 'Id', ...columns } });
  };
  const latest = (dataSetId: string) => latestRows(api, dataSetId, `_id, _${api.tenantId}.product.name AS name`);
  const run = async (flowId: string) => {
    clock.advance(5 * 60_000);
    const result = await runNow(api, flowId);
    expect(at(result, 'metrics.statusSummary'), JSON.stringify(at(result, 'metrics.statusSummary'))).toMatchObject({ status: 'success' });
    return result;
  };
  const storedCredentials = async () => {
    const row = await api.store.db.selectFrom('resources').select('secret').where('id', '=', connection).executeTakeFirstOrThrow();
    return api.openSecret(row.secret as string) as Record<string, string>;
  };

  it('reads payments of every location, then only the changed ones, renewing an expired token and keeping the rotated one', async () => {
    const [main, second] = [square.account.mainLocation.id, secondShop];
    const open = square.account.createPayment({ amount: 1000, status: 'APPROVED', locationId: main });
    const other = square.account.createPayment({ amount: 2000, locationId: second });
    const flow = await squareFlow('square payments', 'Payments', { name: 'Status', description: 'Location_Id', type: 'Currency' });
    await run(flow.flowId);
    expect(await latest(flow.dataSetId)).toEqual([{ _id: open.id, name: 'APPROVED' }, { _id: other.id, name: 'COMPLETED' }].sort((a, b) => (a._id < b._id ? -1 : 1)));

    clock.advance(day);
    square.account.completePayment(open.id);
    const fresh = square.account.createPayment({ amount: 3000, locationId: second });
    const firstRefreshToken = (await storedCredentials()).refreshToken;
    square.expireTokens();
    const second2 = await run(flow.flowId);
    expect(at(second2, 'metrics.recordSummary.outputRecordCount')).toBe(2);
    expect(await latest(flow.dataSetId)).toEqual([{ _id: open.id, name: 'COMPLETED' }, { _id: other.id, name: 'COMPLETED' }, { _id: fresh.id, name: 'COMPLETED' }].sort((a, b) => (a._id < b._id ? -1 : 1)));
    // The renewal rotated the refresh token: the new one is stored (sealed), the old one is dead at Square.
    const stored = await storedCredentials();
    expect(stored.refreshToken).not.toBe(firstRefreshToken);
    expect(stored.refreshToken).toBe(square.tokens.refreshToken);
    const raw = await api.store.db.selectFrom('resources').select(['secret', 'body']).where('id', '=', connection).executeTakeFirstOrThrow();
    expect(`${raw.secret} ${raw.body}`).not.toContain(stored.refreshToken);
    expect((await api.request('GET', `${flowservice}/connections/${connection}`)).text).not.toContain(stored.refreshToken);

    // Expired again: the next renewal must use the stored, rotated token.
    square.expireTokens();
    await run(flow.flowId);
  });

  it('marks deleted catalog objects deleted, and finds deleted customers with its weekly full read', async () => {
    const kept = square.account.createCatalogItem({ name: 'Coffee', variations: [{ name: 'Cup', price: 300 }] });
    const dropped = square.account.createCatalogItem({ name: 'Tea', variations: [{ name: 'Pot', price: 500 }] });
    const catalog = await squareFlow('square catalog', 'Catalog_Objects', { name: 'Name', description: 'Type', type: 'Type' });
    await run(catalog.flowId);
    square.account.deleteCatalogObject(dropped.id);
    const after = await run(catalog.flowId);
    expect(at(after, 'activities.0.statusSummary.extensions.deletedRecordCount')).toBeGreaterThanOrEqual(1);
    expect((await latest(catalog.dataSetId)).filter((r) => r.name !== null)).toEqual([{ _id: kept.id, name: 'Coffee' }]);

    const ada = square.account.createCustomer({ given_name: 'Ada' });
    const bob = square.account.createCustomer({ given_name: 'Bob' });
    const customers = await squareFlow('square customers', 'Customers', { name: 'Given_Name', description: 'Email_Address', type: 'Reference_Id' });
    await run(customers.flowId);
    square.account.deleteCustomer(bob.id);
    await run(customers.flowId);
    // Square does not say a customer was deleted: until the weekly full read, Bob still shows.
    expect((await latest(customers.dataSetId)).map((r) => r.name)).toEqual([ada.id, bob.id].sort().map((id) => (id === ada.id ? 'Ada' : 'Bob')));
    clock.advance(8 * day);
    const reconciled = await run(customers.flowId);
    expect(JSON.stringify(at(reconciled, 'activities.0.statusSummary.extensions.notices'))).toContain('whole table was read');
    expect(await latest(customers.dataSetId)).toEqual([{ _id: ada.id, name: 'Ada' }]);
  });

  it('lands the same payments with faults on one request in ten (429, 500, dropped connections, expired tokens) as without them', async () => {
    for (let i = 0; i < 300; i += 1) square.account.createPayment({ amount: 100 + i, locationId: i % 2 === 0 ? square.account.mainLocation.id : secondShop });
    const columns = { name: 'Status', description: 'Location_Id', type: 'Currency' };
    const clean = await squareFlow('payments without faults', 'Payments', columns);
    await run(clean.flowId);
    square.setFaults({ rate: 0.1, kinds: ['rate-limit', 'server-error', 'drop', 'expired-token'], seed: 4, retryAfterSeconds: 0 });
    try {
      const faulty = await squareFlow('payments with faults', 'Payments', columns);
      const result = await run(faulty.flowId);
      expect(at(result, 'activities.0.statusSummary.extensions.streams.0.retries')).toBeGreaterThan(0);
      const rows = await latest(faulty.dataSetId);
      expect(rows.length).toBeGreaterThanOrEqual(300);
      expect(rows).toEqual(await latest(clean.dataSetId));
    } finally {
      square.setFaults(null);
    }
  });

  it('explores the account: tables, typed columns and a live preview of up to 100 payments', async () => {
    const here = square.account.createPayment({ amount: 4200, locationId: secondShop });
    // A window's end is exclusive: on a clock that stands still, what changed this very moment is not in it yet.
    clock.advance(60_000);
    const explore = (query: string) => api.request('GET', `${flowservice}/connections/${connection}/explore?${query}`);
    expect((await explore('objectType=root')).json).toEqual(['Payments', 'Refunds', 'Customers', 'Orders', 'Catalog_Objects', 'Locations'].map((t) => ({ type: 'table', name: `Square.${t}`, path: `Square.${t}`, canPreview: true, canFetchSchema: true })));
    const preview = await explore('objectType=table&object=Square.Payments&preview=true');
    expect(preview.status, preview.text).toBe(200);
    expect(at(preview.json, 'schema.columns.2')).toEqual({ name: 'Updated_At', type: 'string', 'meta:xdmType': 'date-time', xdm: { type: 'string', format: 'date-time' } });
    const rows = at(preview.json, 'data') as { Id: string; Location_Id: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(100);
    expect(rows.every((r) => [square.account.mainLocation.id, secondShop].includes(r.Location_Id))).toBe(true);
    // Alone (no earlier payments), the preview reaches the second shop's payment.
    if (rows.length < 100) expect(rows.map((r) => r.Id)).toContain(here.id);
    expect((await api.request('GET', `${flowservice}/connections/${connection}/test`)).json).toEqual({ status: 'ok', message: 'connected to Square' });
  });
});
