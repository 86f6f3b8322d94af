/**
 * API ingestion benchmark: N Stripe charges (default 500k) served by the Stripe stand-in, ingested by a
 * Tributary dataflow (REST stream engine → staging → 10-field mapping → Parquet batch), and in the same run the
 * same pages fetched by a bare loop of HTTP requests that only parses the JSON. Prints records/s of both and,
 * as its last line, the ratio Tributary/bare loop.
 *
 *   npm run bench:api -- --charges 500000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/server/app.js';
import { MasterKey } from '../src/secrets/master-key.js';
import { openStore } from '../src/store/open-store.js';
import { DEFAULT_STRIPE_KEY } from '../test/support/standins/stripe/index.js';

const charges = Number(argument('--charges') ?? 500_000);
if (!Number.isInteger(charges) || charges < 1) throw new Error('--charges must be a positive integer');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** The reference: every page of charges, newest first, 100 at a time, parsed and counted, nothing else. */
async function bareLoop(url: string, key: string): Promise<{ seconds: number; records: number }> {
  const started = performance.now();
  let records = 0;
  let after: string | undefined;
  for (;;) {
    const response = await fetch(`${url}/v1/charges?limit=100${after ? `&starting_after=${after}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
    const page = JSON.parse(await response.text()) as { data: { id: string }[]; has_more: boolean };
    records += page.data.length;
    if (!page.has_more) break;
    after = page.data[page.data.length - 1]?.id;
  }
  return { seconds: (performance.now() - started) / 1000, records };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-api-bench-'));
  const worker = new Worker(new URL('./stripe-standin-worker.js', import.meta.url), { workerData: { charges } });
  const { url, charges: served } = await new Promise<{ url: string; charges: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  console.log(`input: ${served} Stripe charges from the stand-in`);
  const key = DEFAULT_STRIPE_KEY;

  const dataDir = path.join(work, 'data');
  const store = await openStore({ dataDir });
  // The engine is measured, not Stripe's rate limit: the limit is lifted for this run.
  const app = await buildApp({ store, masterKey: MasterKey.fromSecret('bench'), dataDir, connectorOptions: { rateLimit: { requestsPerSecond: 100_000, burst: 1_000 } } });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const credentials = await app.credentials.create('BENCH@AdobeOrg');
  const headers = { authorization: `Bearer ${credentials.access_token}`, 'x-api-key': credentials.client_id, 'x-gw-ims-org-id': credentials.ims_org, 'content-type': 'application/json' };
  const post = async (url: string, body: unknown): Promise<Record<string, unknown> | unknown[]> => {
    const response = await fetch(`${base}/data/foundation${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await response.json()) as Record<string, unknown> | unknown[];
    if (response.status >= 300) throw new Error(`POST ${url}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const id = (value: Record<string, unknown> | unknown[], field = 'id') => String((value as Record<string, unknown>)[field]);
  const tenant = `_${credentials.tenant_id}`;
  const stripeSpec = 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3';
  const connection = id(await post('/flowservice/connections', { name: 'stripe', auth: { specName: 'OAuth2 Refresh Code', params: { host: url, accessToken: key } }, connectionSpec: { id: stripeSpec, version: '1.0' } }));
  const source = id(await post('/flowservice/sourceConnections', { name: 'charges', baseConnectionId: connection, data: { format: 'json' }, params: { resourcePath: 'charges' }, connectionSpec: { id: stripeSpec, version: '1.0' } }));
  const group = id(await post('/schemaregistry/tenant/fieldgroups', {
    title: 'Charge fields', type: 'object', 'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/profile'],
    definitions: { charge: { properties: { [tenant]: { type: 'object', properties: { charge: { type: 'object', properties: {
      amount: { type: 'integer' }, currency: { type: 'string' }, status: { type: 'string' }, paid: { type: 'boolean' }, refunded: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' }, customer: { type: 'string' },
    } } } } } } },
    allOf: [{ $ref: '#/definitions/charge' }],
  }), '$id');
  const schema = id(await post('/schemaregistry/tenant/schemas', { title: 'Charges', type: 'object', allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' }, { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' }, { $ref: group }] }), '$id');
  const dataSet = String((await post('/catalog/dataSets', { name: 'charges', schemaRef: { id: schema, contentType: 'application/vnd.adobe.xed-full+json;version=1' } }) as string[])[0]).split('/').pop() as string;
  const target = id(await post('/flowservice/targetConnections', { name: 'lake', data: { schema: { id: schema, version: 'application/vnd.adobe.xed-full+json;version=1' } }, params: { dataSetId: dataSet }, connectionSpec: { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', version: '1.0' } }));
  const mapping = id(await post('/conversion/mappingSets', { outputSchema: { schemaRef: { id: schema, contentType: 'application/vnd.adobe.xed-full+json;version=1' } }, mappings: [
    { sourceType: 'ATTRIBUTE', source: 'Id', destination: '_id' },
    { sourceType: 'ATTRIBUTE', source: 'Receipt_Email', destination: 'personalEmail.address' },
    { sourceType: 'ATTRIBUTE', source: 'Description', destination: 'person.name.fullName' },
    { sourceType: 'ATTRIBUTE', source: 'Amount', destination: `${tenant}.charge.amount` },
    { sourceType: 'ATTRIBUTE', source: 'Currency', destination: `${tenant}.charge.currency` },
    { sourceType: 'ATTRIBUTE', source: 'Status', destination: `${tenant}.charge.status` },
    { sourceType: 'ATTRIBUTE', source: 'Paid', destination: `${tenant}.charge.paid` },
    { sourceType: 'ATTRIBUTE', source: 'Refunded', destination: `${tenant}.charge.refunded` },
    { sourceType: 'ATTRIBUTE', source: 'Created', destination: `${tenant}.charge.createdAt` },
    { sourceType: 'ATTRIBUTE', source: 'Customer', destination: `${tenant}.charge.customer` },
  ] }));
  const flow = id(await post('/flowservice/flows', {
    name: 'bench', flowSpec: { id: '6499120c-0b15-42dc-936e-847ea3c24d72', version: '1.0' }, sourceConnectionIds: [source], targetConnectionIds: [target],
    transformations: [{ name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } }],
    scheduleParams: { startTime: 1567411548, frequency: 'once' },
  }));

  // The reference runs before and after Tributary, and their mean is used, so neither side gets the warmer cache.
  const before = await bareLoop(url, key);
  const started = performance.now();
  const run = id(await post('/flowservice/runs', { flowId: flow }));
  await app.engine.idle();
  const tributarySeconds = (performance.now() - started) / 1000;
  const result = (await (await fetch(`${base}/data/foundation/flowservice/runs/${run}`, { headers })).json()) as { items: { metrics: { recordSummary: { outputRecordCount: number }; statusSummary: { status: string } } }[] };
  const metrics = result.items[0]?.metrics;
  if (metrics?.statusSummary.status !== 'success' || metrics.recordSummary.outputRecordCount !== served) {
    throw new Error(`the benchmark run did not land every charge: ${JSON.stringify(metrics)}`);
  }
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  await app.server.close();
  await store.close();
  const after = await bareLoop(url, key);
  if (before.records !== served || after.records !== served) throw new Error(`the bare loop saw ${before.records} and ${after.records} charges, not ${served}`);
  worker.postMessage('close');
  fs.rmSync(work, { recursive: true, force: true });

  const bareSeconds = (before.seconds + after.seconds) / 2;
  const line = (name: string, seconds: number) => `${name.padEnd(10)} ${seconds.toFixed(2)} s   ${Math.round(served / seconds).toLocaleString('en-US')} records/s`;
  console.log(line('tributary', tributarySeconds), `  peak RSS ${rss} MB (whole process: server and bare loop; the stand-in runs in a worker thread)`);
  console.log(line('bare loop', bareSeconds), `  (runs of ${before.seconds.toFixed(2)} s before and ${after.seconds.toFixed(2)} s after)`);
  console.log(`ratio tributary/bare: ${(bareSeconds / tributarySeconds).toFixed(2)}`);
}

await main();
