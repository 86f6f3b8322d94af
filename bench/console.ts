/**
 * Console benchmark. A real `tributary serve` (its own process, serving the built console at `/`) holds one
 * sandbox with 1,000 dataflows: one reads a CSV file and has run three times for real (so it has a dataset, batches
 * and run pages with activities), the others were created through the API, and 1,000 finished runs of the last day
 * are seeded into the store beside the server. Debian's chromium, driven by playwright-core over loopback, signs in
 * with the client id and secret, as a person does, and the benchmark times, `--repeat` times each in a fresh
 * browser context (no cache, no session), with the median and the slowest printed:
 *
 * - the first load: opening `/sources` until the sign-in form shows (the document and its assets), then clicking
 *   Sign in until the sources catalog's cards are on screen; and the bytes the document and its assets took;
 * - the dataflows list: clicking Dataflows in the header until its rows show, then typing a flow's name in the
 *   filter box until only that row is left.
 *
 * Each is set against a bare Node script fetching the same things in the same order (the document, its assets
 * side by side, the token, then the API calls the screen makes, pages of a list one after another): what is left
 * of the ratio is the browser's and the console's own work. Then one walk through the screens (sources catalog,
 * dataflows list, a dataflow, a run, datasets, query) counts the requests each makes to `/data/` and `/ims/`
 * until the page has been quiet for half a second. Times are taken by the benchmark around playwright's calls
 * (a few milliseconds of its own each).
 *
 *   npm run bench:console -- --flows 1000 --runs 1000 --repeat 5
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';
import { emptyOutcome } from '../src/engine/run-outcome.js';
import { runDocument, runKind } from '../src/engine/run-document.js';
import type { RunPlan } from '../src/engine/run-plan.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { openStore } from '../src/store/open-store.js';
import { launchBrowser, newPage } from '../test/support/browser.js';
import { benchClient, createCredentials, createTarget, idOf, startServer, stopServer, type BenchClient, type Issued } from './bench-server.js';

const flowCount = Number(argument('--flows') ?? 1000);
const runCount = Number(argument('--runs') ?? 1000);
const repeat = Number(argument('--repeat') ?? 5);
for (const [name, value] of [['--flows', flowCount], ['--runs', runCount], ['--repeat', repeat]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** The bound on what a first visit downloads, gzipped (console/vite.config.ts checks the build against it). */
const budgetKb = 300;
const org = 'BENCH@AdobeOrg';
const sandbox = 'prod';
const csvRows = 500;
const realRuns = 3;
const flowservice = '/data/foundation/flowservice';
const localFilesSpec = 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c';
const cloudStorageFlowSpec = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';
const landingFlow = 'bench landing';
const flowName = (i: number) => `flow ${String(i).padStart(4, '0')}`;
/** The flow the filter is typed for: one of the thousand, found by its whole name. */
const filtered = flowName(Math.min(flowCount - 1, 500));

// ---------------------------------------------------------------------------------------------------------------
// Set-up

/** Starts a run of the flow and polls it every 100 ms until it ends; throws unless it landed `expected` rows. */
async function runToEnd(client: BenchClient, flowId: string, expected: number): Promise<void> {
  const runId = idOf(await client.post('/flowservice/runs', { flowId }));
  const started = performance.now();
  while (performance.now() - started < 120_000) {
    const response = await fetch(`${client.base}${flowservice}/runs/${runId}`, { headers: client.headers });
    const run = ((await response.json()) as { items: { metrics: { statusSummary: { status: string }; recordSummary: { outputRecordCount?: number } } }[] }).items[0];
    const status = run?.metrics.statusSummary.status;
    if (status === 'success' || status === 'failed') {
      if (status !== 'success' || run?.metrics.recordSummary.outputRecordCount !== expected) throw new Error(`the run did not land ${expected} rows: ${JSON.stringify(run?.metrics)}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} had not ended after 2 minutes`);
}

/** Runs as the engine records them (its run document, finished), spread over the flows, all in the last 24 hours. */
async function seedRuns(dataDir: string, client: BenchClient, flowIds: string[]): Promise<void> {
  const sandboxId = ((await (await fetch(`${client.base}/data/foundation/sandbox-management/sandboxes/${sandbox}`, { headers: client.headers })).json()) as { id: string }).id;
  const scope = { orgId: org, sandboxId };
  // The server's own store, opened beside it: SQLite takes a second writer between the server's transactions.
  const store = await openStore({ dataDir });
  try {
    const runs = new RunsRepository(store.db);
    // From 23 hours ago, one every 40 s: the newest seeded run is older than the real ones.
    const first = Date.now() - 23 * 3_600_000;
    for (let i = 0; i < runCount; i += 1) {
      const flowId = flowIds[i % flowIds.length] as string;
      const createdAt = first + i * 40_000;
      const plan = { flowId, flowSpec: { id: cloudStorageFlowSpec, version: '1.0' }, scope: { ...scope, sandboxName: sandbox }, actor: { clientId: 'bench', userId: 'bench' }, source: {}, target: {}, window: { start: null, end: createdAt } } as unknown as RunPlan;
      const runId = crypto.randomUUID();
      const etag = `"${crypto.randomUUID()}"`;
      const outcome = { ...emptyOutcome(createdAt, plan.window), status: i % 7 === 0 ? ('failed' as const) : ('success' as const), completedAt: createdAt + 5_000, inputRecords: 1000, outputRecords: 1000 };
      await runs.insert(scope, flowId, { kind: runKind, id: runId, body: runDocument(plan, runId, etag, createdAt, outcome), secret: null, etag, createdAt, updatedAt: createdAt });
    }
  } finally {
    await store.close();
  }
}

/** The sandbox the benchmark measures: `flowCount` flows, `realRuns` real runs of one of them, `runCount` seeded runs. */
async function seed(client: BenchClient, dataDir: string, files: string): Promise<void> {
  const lines = ['id,name,price'];
  for (let i = 0; i < csvRows; i += 1) lines.push(`P${i},Product ${i},${(i % 97) + 0.5}`);
  fs.writeFileSync(path.join(files, 'products.csv'), `${lines.join('\n')}\n`);
  const { post } = client;
  const connection = idOf(await post('/flowservice/connections', { name: 'files', auth: { specName: 'Local Directory', params: { rootPath: files } }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
  const source = idOf(await post('/flowservice/sourceConnections', { name: 'products', baseConnectionId: connection, data: { format: 'delimited' }, params: { path: 'products.csv' }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
  const { target, mapping } = await createTarget(client, 'product', { name: { type: 'string' }, price: { type: 'number' } }, [['id', '_id'], ['name', '$tenant.product.name'], ['price', '$tenant.product.price']]);
  // One-time flows due in a year: the scheduler leaves them alone, and they run only when asked.
  const startTime = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const flowOf = async (name: string) => idOf(await post('/flowservice/flows', {
    name, flowSpec: { id: cloudStorageFlowSpec, version: '1.0' }, sourceConnectionIds: [source], targetConnectionIds: [target],
    transformations: [{ name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } }], scheduleParams: { startTime, frequency: 'once' },
  }));
  const landing = await flowOf(landingFlow);
  for (let i = 0; i < realRuns; i += 1) {
    // A run reads the files changed since the last one ended: the file is changed again for each.
    const now = new Date();
    fs.utimesSync(path.join(files, 'products.csv'), now, now);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await runToEnd(client, landing, csvRows);
  }
  // The other flows through the API, four requests at a time.
  const flowIds: string[] = [];
  let next = 1;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < flowCount) {
      const i = next;
      next += 1;
      flowIds.push(await flowOf(flowName(i)));
    }
  }));
  await seedRuns(dataDir, client, flowIds.length > 0 ? flowIds : [landing]);
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** A page's requests: the API calls by screen, the others (document, assets), and whether any is under way. */
class Traffic {
  screen = '';
  readonly calls: { screen: string; method: string; path: string }[] = [];
  /** The document and assets, by the screen that asked for them. */
  readonly files: { screen: string; request: Request }[] = [];
  private open = 0;
  private lastAt = performance.now();

  constructor(page: Page, base: string) {
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) return;
      this.open += 1;
      this.lastAt = performance.now();
      const url = new URL(request.url());
      if (url.pathname.startsWith('/data/') || url.pathname.startsWith('/ims/')) this.calls.push({ screen: this.screen, method: request.method(), path: `${url.pathname}${url.search}` });
      else this.files.push({ screen: this.screen, request });
    });
    const ended = (request: Request) => {
      if (!request.url().startsWith(base)) return;
      this.open -= 1;
      this.lastAt = performance.now();
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
  }

  /** Resolves once no request is under way and none has begun or ended for `ms`. */
  async quiet(ms = 500): Promise<void> {
    const started = performance.now();
    while (this.open > 0 || performance.now() - this.lastAt < ms) {
      if (performance.now() - started > 30_000) throw new Error(`the page did not go quiet in 30 s (${this.open} requests under way)`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  of(screen: string) {
    return this.calls.filter((call) => call.screen === screen);
  }

  filesOf(screen: string): Request[] {
    return this.files.filter((file) => file.screen === screen).map((file) => file.request);
  }
}

/** The sources catalog on screen: its cards, not only its title. */
const catalogShown = (page: Page) => page.getByRole('heading', { name: 'Local Files', level: 3 }).waitFor();
const flowRows = 'table[aria-labelledby="dataflows-title"] tbody tr';

interface FirstLoad {
  formMs: number;
  catalogMs: number;
  page: Page;
  traffic: Traffic;
}

/** A fresh context opens `/sources`, shows the sign-in form, signs in and shows the catalog. */
async function firstLoad(browser: Browser, base: string, issued: Issued): Promise<FirstLoad> {
  const page = await newPage(browser);
  const traffic = new Traffic(page, base);
  traffic.screen = 'sources catalog';
  const opened = performance.now();
  await page.goto(`${base}/sources`);
  await page.getByLabel('Client secret').waitFor();
  const formMs = performance.now() - opened;
  await page.getByLabel('Client id').fill(issued.client_id);
  await page.getByLabel('Client secret').fill(issued.client_secret);
  const clicked = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await catalogShown(page);
  return { formMs, catalogMs: performance.now() - clicked, page, traffic };
}

/** What the document and its assets took on the wire (the server sends them as they are), and gzipped. */
async function fileBytes(files: Request[]): Promise<{ count: number; sent: number; body: number; gzipped: number }> {
  let sent = 0;
  let body = 0;
  let gzipped = 0;
  for (const request of files) {
    const sizes = await request.sizes();
    sent += sizes.responseHeadersSize + sizes.responseBodySize;
    const content = (await request.response())?.body();
    const bytes = content ? await content : Buffer.alloc(0);
    body += bytes.length;
    gzipped += gzipSync(bytes).length;
  }
  return { count: files.length, sent, body, gzipped };
}

/** The gateway headers the console sends, with a token of the org. */
function gatewayHeaders(token: string, clientId: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-api-key': clientId, 'x-gw-ims-org-id': org, 'x-sandbox-name': sandbox, accept: 'application/json' };
}

/** Every item of a Flow Service list, page after page as `_links.next` leads, counting the requests. */
async function listAllBare(base: string, headers: Record<string, string>, listPath: string, calls: { n: number }): Promise<unknown[]> {
  const items: unknown[] = [];
  let next: string | undefined = `${flowservice}${listPath}`;
  while (next !== undefined) {
    calls.n += 1;
    const response = await fetch(`${base}${next}`, { headers });
    if (!response.ok) throw new Error(`GET ${next} answered ${response.status}`);
    const body = (await response.json()) as { items?: unknown[]; _links?: { next?: { href?: string } } };
    items.push(...(body.items ?? []));
    const href = body._links?.next?.href;
    next = href === undefined ? undefined : href.startsWith('/data/') ? href : `${flowservice}${href}`;
  }
  return items;
}

/**
 * The reference for the first load: the document, its assets side by side, the token for the client id and
 * secret, then the header's and the catalog's API calls side by side, each answer read whole (and JSON parsed).
 */
async function bareFirstLoad(base: string, issued: Issued, assets: string[]): Promise<{ ms: number; calls: number }> {
  const calls = { n: 0 };
  const started = performance.now();
  const document = await fetch(`${base}/sources`, { headers: { accept: 'text/html' } });
  if (!(await document.text()).includes('<div id="app">')) throw new Error('the document is not the console');
  await Promise.all(assets.map(async (asset) => (await fetch(asset)).arrayBuffer()));
  calls.n += 1;
  const token = await fetch(`${base}/ims/token/v3`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: issued.client_id, client_secret: issued.client_secret }),
  });
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const headers = gatewayHeaders(accessToken, issued.client_id);
  await Promise.all([
    (async () => {
      calls.n += 1;
      await (await fetch(`${base}/data/foundation/sandbox-management/sandboxes`, { headers })).json();
    })(),
    listAllBare(base, headers, '/connectionSpecs', calls),
    listAllBare(base, headers, '/connections', calls),
  ]);
  return { ms: performance.now() - started, calls: calls.n };
}

/** The reference for the dataflows list: the three listings the screen reads, side by side, each timed too. */
async function bareFlowList(base: string, issued: Issued): Promise<{ ms: number; calls: number; flows: number; parts: number[] }> {
  const calls = { n: 0 };
  const headers = gatewayHeaders(issued.access_token, issued.client_id);
  const started = performance.now();
  const timed = async (listPath: string) => {
    const items = await listAllBare(base, headers, listPath, calls);
    return { items, ms: performance.now() - started };
  };
  const parts = await Promise.all([timed('/flows'), timed('/connectionSpecs'), timed(`/runs?property=createdAt>=${Date.now() - 86_400_000}&limit=1000`)]);
  return { ms: performance.now() - started, calls: calls.n, flows: parts[0]?.items.length ?? 0, parts: parts.map((part) => part.ms) };
}

/** One `GET /flows?limit=1000`: every flow in one round trip, for comparison. */
async function oneListing(base: string, issued: Issued): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${flowservice}/flows?limit=1000`, { headers: gatewayHeaders(issued.access_token, issued.client_id) });
  await response.json();
  if (!response.ok) throw new Error(`GET /flows?limit=1000 answered ${response.status}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
const figures = (values: number[]) => `median ${ms(median(values))}   max ${ms(Math.max(...values))}`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The calls of one screen, grouped: `GET /flowservice/flows ×10`. */
function callSummary(calls: { method: string; path: string }[]): string {
  const groups = new Map<string, number>();
  for (const call of calls) {
    const short = call.path.split('?')[0]?.replace('/data/foundation', '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{24}/g, ':id') ?? call.path;
    const key = `${call.method} ${short}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => (n === 1 ? key : `${key} ×${n}`)).join(', ');
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-console-bench-'));
  const dataDir = path.join(work, 'data');
  const files = path.join(work, 'files');
  fs.mkdirSync(files);
  const env = { ...process.env, TRIBUTARY_SECRET_KEY: 'bench', TRIBUTARY_LOG_LEVEL: 'warn', TRIBUTARY_FILE_ROOTS: `${org}=${files}` };
  const issued = createCredentials(dataDir, org, env);
  const { child, base } = await startServer(dataDir, env);
  let browser: Browser | undefined;
  try {
    const client = benchClient(base, issued);
    const seeding = performance.now();
    await seed(client, dataDir, files);
    console.log(`input: ${flowCount.toLocaleString('en-US')} flows in one sandbox (one of them ran ${realRuns} times for real, landing ${csvRows} rows each time), ${runCount.toLocaleString('en-US')} runs of the last day seeded; set up in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    browser = await launchBrowser();
    console.log(`${repeat} repetitions of each timing, each in a fresh browser context; chromium ${browser.version()}, over loopback\n`);

    // First load.
    const forms: number[] = [];
    const catalogs: number[] = [];
    const totals: number[] = [];
    let bytes: Awaited<ReturnType<typeof fileBytes>> | undefined;
    let assets: string[] = [];
    let firstLoadCalls = 0;
    for (let i = 0; i < repeat; i += 1) {
      const load = await firstLoad(browser, base, issued);
      forms.push(load.formMs);
      catalogs.push(load.catalogMs);
      totals.push(load.formMs + load.catalogMs);
      await load.traffic.quiet();
      if (i === 0) {
        const files = load.traffic.filesOf('sources catalog');
        bytes = await fileBytes(files);
        assets = files.map((request) => request.url()).filter((url) => url.includes('/assets/'));
        firstLoadCalls = load.traffic.calls.length;
      }
      await load.page.context().close();
    }
    const bareLoads: number[] = [];
    let bareLoadCalls = 0;
    for (let i = 0; i < repeat; i += 1) {
      const bare = await bareFirstLoad(base, issued, assets);
      bareLoads.push(bare.ms);
      bareLoadCalls = bare.calls;
    }
    console.log('first load: open /sources until the sign-in form shows, then Sign in until the catalog\'s cards show');
    console.log(`  console   sign-in form   ${figures(forms)}`);
    console.log(`  console   catalog        ${figures(catalogs)}`);
    console.log(`  console   both           ${figures(totals)}   (${firstLoadCalls} API calls)`);
    console.log(`  bare fetch, same files, token and calls   ${figures(bareLoads)}   (${bareLoadCalls} API calls)`);
    console.log(`  ratio console/bare (medians): ${(median(totals) / median(bareLoads)).toFixed(1)}`);
    if (bytes) {
      const within = bytes.gzipped / 1024 <= budgetKb && bytes.sent / 1024 <= budgetKb;
      console.log(`  document + ${bytes.count - 1} assets: ${kb(bytes.sent)} on the wire (headers included; the server does not compress), ${kb(bytes.body)} of bodies, ${kb(bytes.gzipped)} gzipped; budget ${budgetKb} KB gzipped: ${within ? 'within' : 'OVER'}`);
    }

    // The dataflows list.
    const rowsShown: number[] = [];
    const filterAnswered: number[] = [];
    let listCalls = 0;
    for (let i = 0; i < repeat; i += 1) {
      const load = await firstLoad(browser, base, issued);
      await load.traffic.quiet();
      const { page, traffic } = load;
      traffic.screen = 'dataflows list';
      const clicked = performance.now();
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dataflows' }).click();
      await page.locator(flowRows).first().waitFor();
      rowsShown.push(performance.now() - clicked);
      const rows = await page.locator(flowRows).count();
      if (rows !== flowCount) throw new Error(`the dataflows list shows ${rows} rows, not ${flowCount}`);
      const typed = performance.now();
      await page.getByLabel('Filter dataflows').fill(filtered);
      await page.waitForFunction(([selector, name]) => {
        const left = document.querySelectorAll(selector as string);
        return left.length === 1 && (left[0]?.textContent ?? '').includes(name as string);
      }, [flowRows, filtered], { polling: 'raf' });
      filterAnswered.push(performance.now() - typed);
      await traffic.quiet();
      listCalls = traffic.of('dataflows list').length;
      await page.context().close();
    }
    const bareLists: number[] = [];
    const single: number[] = [];
    let bareListCalls = 0;
    const bareParts: number[][] = [[], [], []];
    for (let i = 0; i < repeat; i += 1) {
      const bare = await bareFlowList(base, issued);
      if (bare.flows !== flowCount) throw new Error(`the bare listing read ${bare.flows} flows, not ${flowCount}`);
      bareLists.push(bare.ms);
      bareListCalls = bare.calls;
      bare.parts.forEach((partMs, index) => bareParts[index]?.push(partMs));
      single.push(await oneListing(base, issued));
    }
    console.log(`\ndataflows list: click Dataflows until its ${flowCount.toLocaleString('en-US')} rows show, then type "${filtered}" in the filter until one row is left`);
    console.log(`  console   rows shown     ${figures(rowsShown)}   (${listCalls} API calls)`);
    console.log(`  console   filter         ${figures(filterAnswered)}`);
    console.log(`  bare fetch, same calls   ${figures(bareLists)}   (${bareListCalls} API calls)`);
    const [flowsPart, specsPart, runsPart] = bareParts.map((values) => ms(median(values)).trim());
    console.log(`    its three listings, side by side, ended after (medians): /flows ${flowsPart}, /connectionSpecs ${specsPart}, /runs of the last day ${runsPart}`);
    console.log(`  ratio console/bare (medians, rows shown): ${(median(rowsShown) / median(bareLists)).toFixed(1)}`);
    console.log(`  for comparison, one GET /flows?limit=1000: ${figures(single)}`);

    // One walk through the screens, counting each one's API calls.
    const walk = await firstLoad(browser, base, issued);
    const { page, traffic } = walk;
    await traffic.quiet();
    const nav = page.getByRole('navigation', { name: 'Sections' });
    const screen = async (name: string, go: () => Promise<void>, shown: () => Promise<void>) => {
      traffic.screen = name;
      await go();
      await shown();
      await traffic.quiet();
    };
    await screen('dataflows list', () => nav.getByRole('link', { name: 'Dataflows' }).click(), () => page.locator(flowRows).first().waitFor());
    await screen('dataflow page', () => page.getByRole('link', { name: landingFlow }).click(), () => page.getByRole('table', { name: 'Runs, newest first' }).waitFor());
    await screen('run page', () => page.getByRole('table', { name: 'Runs, newest first' }).getByRole('link').first().click(), () => page.getByText('Status: Success').waitFor());
    await screen('datasets', () => nav.getByRole('link', { name: 'Datasets' }).click(), () => page.getByRole('table', { name: 'Datasets' }).waitFor());
    await screen('query', () => nav.getByRole('link', { name: 'Query' }).click(), () => page.locator('.table-list li').first().waitFor());
    console.log('\nAPI calls per screen (to /data/ and /ims/, until the page is quiet for 0.5 s; the catalog\'s include signing in and the header)');
    for (const name of ['sources catalog', 'dataflows list', 'dataflow page', 'run page', 'datasets', 'query']) {
      const calls = traffic.of(name);
      const ims = calls.filter((call) => call.path.startsWith('/ims/')).length;
      // The files a screen loads the first time it shows (the document for the first, a lazy chunk for others).
      const loaded = await fileBytes(traffic.filesOf(name));
      const extra = loaded.count === 0 ? '' : ` (and ${loaded.count} file${loaded.count === 1 ? '' : 's'}, ${kb(loaded.gzipped)} gzipped)`;
      console.log(`  ${name.padEnd(16)} ${String(calls.length).padStart(3)}  (/data/ ${calls.length - ims}, /ims/ ${ims})${extra}: ${callSummary(calls)}`);
    }
    await page.context().close();
  } finally {
    await browser?.close();
    await stopServer(child);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
