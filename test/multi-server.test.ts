import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { crmFlowSpec, flowservice, paypalSpec } from './support/payment-sources.js';
import { serveEnvironment, startServe, type ServeProcess } from './support/serve-process.js';
import { startPayPalStandIn } from '../src/standins/paypal/index.js';
import { at, str } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();

describe.each(backends)('two servers sharing one store and lake on $name', (backend) => {
  const { dataDir, env, dispose } = serveEnvironment(backend, 'two');
  const servers: ServeProcess[] = [];
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) await server.stop();
    await dispose();
  });

  it('a server that starts leaves alone the run another live server is running', { timeout: 60_000 }, async () => {
    const paypal = await startPayPalStandIn({ clientId: 'paypal-client-id', clientSecret: 'paypal-client-secret-value' });
    try {
      paypal.account.addProduct({ id: 'PROD-TWO', name: 'Shared', type: 'DIGITAL', createTime: Date.now() - 3_600_000 });
      const first = await startServe(dataDir, env);
      servers.push(first);
      const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`, 'i').exec(first.output())?.[1] ?? '';
      const headers = { authorization: header('Authorization'), 'x-api-key': header('x-api-key'), 'x-gw-ims-org-id': header('x-gw-ims-org-id'), 'x-sandbox-name': 'prod', 'content-type': 'application/json' };
      const call = async (server: ServeProcess, method: string, url: string, body?: unknown) => {
        const response = await fetch(`${server.baseUrl}${url}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        const text = await response.text();
        if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
        return text === '' ? undefined : (JSON.parse(text) as unknown);
      };
      const post = async (url: string, body: unknown, field = 'id') => str(await call(first, 'POST', url, body), field);
      const connection = await post(`${flowservice}/connections`, { ...tutorial.paypalBaseConnection, auth: { ...tutorial.paypalBaseConnection.auth, params: { ...tutorial.paypalBaseConnection.auth.params, host: paypal.url } } });
      const source = await post(`${flowservice}/sourceConnections`, { name: 'products', baseConnectionId: connection, data: { format: 'tabular' }, params: { tableName: 'PayPal.Catalog_Products' }, connectionSpec: { id: paypalSpec, version: '1.0' } });
      const tenant = str(await call(first, 'GET', '/data/foundation/schemaregistry/stats'), 'tenantId');
      const group = await post('/data/foundation/schemaregistry/tenant/fieldgroups', tutorial.productFieldGroup(tenant), '$id');
      const schemaId = await post('/data/foundation/schemaregistry/tenant/schemas', { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: group }] }, '$id');
      const dataSetId = (await post('/data/foundation/catalog/dataSets', tutorial.dataSet(schemaId), '0')).split('/').pop() as string;
      const target = await post(`${flowservice}/targetConnections`, tutorial.targetConnection(schemaId, dataSetId, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'));
      const mapping = await post('/data/foundation/conversion/mappingSets', tutorial.mappingSet(schemaId, `_${tenant}.`));
      const flow = await post(`${flowservice}/flows`, { ...tutorial.flow(source, target, mapping), flowSpec: { id: crmFlowSpec, version: '1.0' }, scheduleParams: { startTime: 1567411548, frequency: 'once' } });

      // PayPal answers slowly: the first server's run is still reading when the second server starts.
      paypal.setFaults({ rate: 1, kinds: ['slow'], slowMs: 3_000 });
      const runId = await post(`${flowservice}/runs`, { flowId: flow });
      const deadline = Date.now() + 20_000;
      while (paypal.stats.requests === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await startServe(dataDir, env);
      servers.push(second);
      expect(at(await call(second, 'GET', `${flowservice}/runs/${runId}`), 'items.0.metrics.statusSummary.status')).toBe('inProgress');
      expect(fs.existsSync(path.join(dataDir, 'staging', runId))).toBe(true);
      await second.stop();

      paypal.setFaults(null);
      let status = 'inProgress';
      while (status === 'inProgress' && Date.now() < deadline + 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = at(await call(first, 'GET', `${flowservice}/runs/${runId}`), 'items.0.metrics.statusSummary.status') as string;
      }
      expect(status).toBe('success');
      await first.stop();
    } finally {
      await paypal.close();
    }
  });
});
