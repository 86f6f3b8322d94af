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
import { createTarget, idOf, runToEnd, startBenchServer } from './bench-server.js';
import { DEFAULT_STRIPE_KEY } from '../src/standins/stripe/index.js';

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

  // The engine is measured, not Stripe's rate limit: the limit is lifted for this run.
  const server = await startBenchServer(path.join(work, 'data'), { connectorOptions: { rateLimit: { requestsPerSecond: 100_000, burst: 1_000 } } });
  const { post } = server;
  const stripeSpec = 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3';
  const connection = idOf(await post('/flowservice/connections', { name: 'stripe', auth: { specName: 'OAuth2 Refresh Code', params: { host: url, accessToken: key } }, connectionSpec: { id: stripeSpec, version: '1.0' } }));
  const source = idOf(await post('/flowservice/sourceConnections', { name: 'charges', baseConnectionId: connection, data: { format: 'json' }, params: { resourcePath: 'charges' }, connectionSpec: { id: stripeSpec, version: '1.0' } }));
  const { target, mapping } = await createTarget(
    server,
    'charge',
    { amount: { type: 'integer' }, currency: { type: 'string' }, status: { type: 'string' }, paid: { type: 'boolean' }, refunded: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' }, customer: { type: 'string' } },
    [
      ['Id', '_id'], ['Receipt_Email', 'personalEmail.address'], ['Description', 'person.name.fullName'], ['Amount', '$tenant.charge.amount'], ['Currency', '$tenant.charge.currency'],
      ['Status', '$tenant.charge.status'], ['Paid', '$tenant.charge.paid'], ['Refunded', '$tenant.charge.refunded'], ['Created', '$tenant.charge.createdAt'], ['Customer', '$tenant.charge.customer'],
    ],
  );
  const flow = idOf(await post('/flowservice/flows', {
    name: 'bench', flowSpec: { id: '6499120c-0b15-42dc-936e-847ea3c24d72', version: '1.0' }, sourceConnectionIds: [source], targetConnectionIds: [target],
    transformations: [{ name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } }],
    scheduleParams: { startTime: 1567411548, frequency: 'once' },
  }));

  // The reference runs before and after Tributary, and their mean is used, so neither side gets the warmer cache.
  const before = await bareLoop(url, key);
  const started = performance.now();
  await runToEnd(server, flow, served);
  const tributarySeconds = (performance.now() - started) / 1000;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  await server.close();
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
