import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { availableBackends } from './support/backends.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { goTo, signedInPage } from './support/console-session.js';
import { createFileFlow, localFilesSpec, runNow, type FileFlow } from './support/file-flow.js';
import { startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

/**
 * The dataflow screens in a real browser: the list, a flow's page with its runs chart and actions, and run pages,
 * checked against what the API holds; a failed run's rejected rows downloaded; a run followed while it runs.
 */
const [backend] = await availableBackends();
const flowservice = '/data/foundation/flowservice';
const extraMappings = [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }];

interface RunFigures {
  id: string;
  metrics: { recordSummary: { inputRecordCount: number; outputRecordCount: number; failedRecordCount: number }; statusSummary: { status: string; errors: { code: string; message: string }[] } };
}

/**
 * A loopback proxy in front of a stand-in that holds every request until `release()`: a run reading through it
 * stays in progress for as long as a test needs to look at it.
 */
async function startGate(target: string): Promise<{ url: string; release: () => void; close: () => Promise<void> }> {
  const waiting: (() => void)[] = [];
  let open = false;
  const server = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (open) forward();
    else waiting.push(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release: () => {
      open = true;
      for (const forward of waiting.splice(0)) forward();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the console: dataflows, their runs and run pages', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let root: string;
  let products: FileFlow;
  let strict: FileFlow;
  let weekly: FileFlow;
  /** Epoch seconds: the weekly flow started a day ago without backfill, so its first run is due a week after. */
  const weeklyStart = Math.floor(Date.now() / 1000) - 86_400;
  let failedRun: unknown;

  const runsOf = async (flowId: string): Promise<RunFigures[]> => {
    const listed = await api.request('GET', `${flowservice}/runs?property=flowId==${flowId}`);
    expect(listed.status, listed.text).toBe(200);
    return at(listed.json, 'items') as RunFigures[];
  };
  const flowState = async (flowId: string) => str((await api.request('GET', `${flowservice}/flows/${flowId}`)).json, 'items.0.state');
  /** The texts of a table's body rows, cell by cell. */
  const rowTexts = (table: ReturnType<Page['getByRole']>) =>
    table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())));

  beforeAll(async () => {
    api = await startApi(backend!);
    browser = await launchBrowser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-console-flows-'));
    fs.writeFileSync(path.join(root, 'products.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00\nP2,E-book,A book,DIGITAL,2024-01-03 11:00:00\nP3,Plan,,SERVICE,2024-01-04 12:00:00\n');
    // The second row's year is not a number: one rejected row of four, which fails a flow that allows none.
    fs.writeFileSync(
      path.join(root, 'dirty.csv'),
      'Product_Id,Product_Name,Description,Type,updatedAt,Year\nD1,One,,PHYSICAL,2024-05-01 00:00:00,1980\nD2,Two,,PHYSICAL,2024-05-02 00:00:00,not a year\nD3,Three,,PHYSICAL,2024-05-03 00:00:00,1990\nD4,Four,,PHYSICAL,2024-05-04 00:00:00,2000\n',
    );
    products = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: 'console products' });
    expect(at(await runNow(api, products.flowId), 'metrics.statusSummary.status')).toBe('success');
    // The second run finds nothing new past the delta column: a run that read and wrote nothing.
    expect(at(await runNow(api, products.flowId), 'metrics.recordSummary.inputRecordCount')).toBe(0);
    strict = await createFileFlow(api, { root, path: 'dirty.csv', format: 'delimited', title: 'console strict', delta: false, extraMappings, options: { errorDiagnosticsEnabled: true } });
    failedRun = await runNow(api, strict.flowId);
    expect(at(failedRun, 'metrics.statusSummary.status')).toBe('failed');
    weekly = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: 'console weekly', scheduleParams: { frequency: 'week', interval: 1, startTime: weeklyStart, backfill: false } });
    // A sandbox with no flows, there before the console signs in (the switcher lists the sandboxes then).
    const sandbox = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'console-empty', title: 'Console empty', type: 'development' } });
    expect(sandbox.status, sandbox.text).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the dataflows with their source, state, last run, next run and records of the last day', async () => {
    page = await signedInPage(browser, api, '/flows');
    await page.getByRole('heading', { name: 'Dataflows', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Dataflows' });
    await table.waitFor();
    const sourceSpec = str((await api.request('GET', `${flowservice}/connectionSpecs/${localFilesSpec}`)).json, 'items.0.name');
    const productRuns = await runsOf(products.flowId);
    const written = productRuns.reduce((sum, run) => sum + run.metrics.recordSummary.outputRecordCount, 0);
    expect(written).toBe(3);
    const lastStatus = async (flow: FileFlow) => ({ success: 'Success', failed: 'Failed' })[str((await api.request('GET', `${flowservice}/flows/${flow.flowId}`)).json, 'items.0.lastRunDetails.state')];
    // The next tick of the weekly flow's grid, in the page's time zone and locale.
    const weeklyNext = await page.evaluate((ms) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms)), (weeklyStart + 7 * 86_400) * 1000);
    const rows = await rowTexts(table);
    // By name; the last run's start time is checked on the flow's page.
    expect(rows.map(([name, source, state, status, , next, records]) => [name, source, state, status, next, records])).toEqual([
      ['flow console products', sourceSpec, 'Enabled', await lastStatus(products), 'one-time', String(written)],
      ['flow console strict', sourceSpec, 'Enabled', await lastStatus(strict), 'one-time', '0'],
      ['flow console weekly', sourceSpec, 'Enabled', 'Never run', weeklyNext, '0'],
    ]);
    expect(rows.map((row) => row[3])).toEqual(['Success', 'Failed', 'Never run']);
    await screenshot(page, 'dataflows-list');

    await page.getByLabel('Filter dataflows').fill('strict');
    await page.getByRole('link', { name: 'flow console products' }).waitFor({ state: 'detached' });
    expect((await rowTexts(table)).map((row) => row[0])).toEqual(['flow console strict']);
    await page.getByLabel('Filter dataflows').fill('');
  });

  it('says a sandbox has no dataflows, and shows nothing of another sandbox', async () => {
    expect(at((await api.request('GET', `${flowservice}/flows`, { sandbox: 'console-empty' })).json, 'items')).toEqual([]);
    await page.getByLabel('Sandbox').selectOption('console-empty');
    await page.getByText('This sandbox has no dataflows yet').waitFor();
    expect(await page.getByRole('link', { name: /flow console/ }).count()).toBe(0);
    await page.getByLabel('Sandbox').selectOption('prod');
    await page.getByRole('link', { name: 'flow console products' }).waitFor();
  });

  it("shows a flow's runs as a chart and a list, newest first, with the API's figures", async () => {
    await page.getByRole('link', { name: 'flow console products' }).click();
    await page.getByRole('heading', { name: 'flow console products', level: 1 }).waitFor();
    expect(page.url()).toBe(`${api.baseUrl}/flows/${products.flowId}`);
    const runs = await runsOf(products.flowId);
    expect(runs).toHaveLength(2);

    await page.getByRole('img', { name: /^Records read, written and failed per run: 2 runs from / }).waitFor();
    // Three bars a run: read, written, failed.
    expect(await page.locator('.runs-chart svg[role="img"] rect[data-series]').count()).toBe(6);
    const figures = (run: RunFigures) => [run.metrics.recordSummary.inputRecordCount, run.metrics.recordSummary.outputRecordCount, run.metrics.recordSummary.failedRecordCount].map(String);
    const chartTable = page.getByRole('table', { name: "Records per run, oldest first (the chart's figures)" });
    expect((await rowTexts(chartTable)).map((row) => row.slice(1))).toEqual([...runs].reverse().map(figures));
    const list = page.getByRole('table', { name: 'Runs, newest first' });
    const listed = await rowTexts(list);
    expect(listed.map((row) => [row[1], ...row.slice(3)])).toEqual(runs.map((run) => ['Success', ...figures(run)]));
    expect(listed.map((row) => row[1])).toEqual(['Success', 'Success']);
    // The newest first: the second run read nothing, the first read the three rows.
    expect(listed.map((row) => row[3])).toEqual(['0', '3']);
    await screenshot(page, 'dataflow-detail');
  });

  it('disables and enables the flow, and the API shows each new state', async () => {
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('The flow is disabled').waitFor();
    expect(await flowState(products.flowId)).toBe('disabled');
    await expect(page.getByRole('button', { name: 'Run now' }).isDisabled()).resolves.toBe(true);
    await page.getByText('Enable the flow to run it.').waitFor();

    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('The flow is enabled.').waitFor();
    expect(await flowState(products.flowId)).toBe('enabled');
    await expect(page.getByRole('button', { name: 'Run now' }).isEnabled()).resolves.toBe(true);
  });

  it("refuses an action on a flow changed since the page read it, in the server's words", async () => {
    // Someone else disables and enables it again: same state, new etag.
    for (const op of ['disable', 'enable']) expect((await api.request('POST', `${flowservice}/flows/${products.flowId}/action?op=${op}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('does not match the current version');
    expect(await flowState(products.flowId)).toBe('enabled');
    // Read again, the page has the new etag, and the same action goes through.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('The flow is disabled').waitFor();
    expect(await flowState(products.flowId)).toBe('disabled');
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('The flow is enabled.').waitFor();
    expect(await flowState(products.flowId)).toBe('enabled');
  });

  it('runs a one-time flow now and follows the run to its end on its page', async () => {
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const runId = page.url().split('/').pop() as string;
    await page.getByText('Status: Success').waitFor();
    const run = await api.request('GET', `${flowservice}/runs/${runId}`);
    expect(at(run.json, 'items.0.flowId')).toBe(products.flowId);
    expect(at(run.json, 'items.0.metrics.statusSummary.status')).toBe('success');
    await page.getByRole('link', { name: 'flow console products' }).waitFor();
    await page.getByText('No row was rejected.').waitFor();
    expect((await runsOf(products.flowId)).map((r) => r.id)).toContain(runId);
  });

  it("shows a failed run's errors and activities, and downloads its rejected rows without the token in a URL", async () => {
    const requests: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));
    await goTo(page, `/flows/${strict.flowId}`);
    await page.getByRole('heading', { name: 'flow console strict', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Runs, newest first' }).getByRole('link').first().click();
    await page.getByText('Status: Failed').waitFor();
    expect(page.url()).toBe(`${api.baseUrl}/runs/${str(failedRun, 'id')}`);

    const errors = at(failedRun, 'metrics.statusSummary.errors') as { code: string; message: string }[];
    expect(errors.map((e) => e.code)).toContain('INGEST-1212-400');
    const shown = await page.locator('ul.errors li').allTextContents();
    expect(shown).toHaveLength(errors.length);
    errors.forEach((error, index) => {
      expect(shown[index]).toContain(error.code);
      expect(shown[index]).toContain(error.message);
    });
    await page.getByRole('heading', { name: 'Copy: reading the source', level: 3 }).waitFor();
    await page.getByRole('heading', { name: 'Promotion: mapping the rows and landing them', level: 3 }).waitFor();
    await page.getByText('conversion_errors_0.json').waitFor();
    await screenshot(page, 'run-page');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download rejected rows' }).click()]);
    expect(download.suggestedFilename()).toBe(`rejected-rows-${str(failedRun, 'id')}.json`);
    expect(download.url()).toMatch(/^blob:/);
    const content = fs.readFileSync(await download.path(), 'utf8');
    const rows = content.trim().split('\n').map((line) => JSON.parse(line) as { _corrupt_record: string; _errors: { code: string }[] });
    expect(rows).toHaveLength(1);
    expect(rows[0]?._corrupt_record).toContain('not a year');
    expect(rows[0]?._corrupt_record).toContain('D2');

    // The files came from the export API with the token in a header; no URL the page asked for carries it.
    const exports = requests.filter((r) => r.url.includes('/data/foundation/export/'));
    expect(exports.length).toBeGreaterThanOrEqual(2);
    const token = exports[0]?.authorization?.replace(/^Bearer /, '') ?? '';
    expect(token.length).toBeGreaterThan(20);
    for (const request of requests) expect(request.url).not.toContain(token);
  });

  it('runs a scheduled flow on its schedule only, and says so', async () => {
    await goTo(page, `/flows/${weekly.flowId}`);
    await page.getByRole('heading', { name: 'flow console weekly', level: 1 }).waitFor();
    await expect(page.getByRole('button', { name: 'Run now' }).isDisabled()).resolves.toBe(true);
    await page.getByText('Run now is for one-time flows; this one runs on its schedule (every week).').waitFor();
    await expect(page.locator('dt:text-is("Schedule") + dd').textContent()).resolves.toMatch(/^Every week, from /);
    await page.getByText('This flow has not run yet.').waitFor();
    // As the API says: only a one-time flow runs on demand.
    expect((await api.request('POST', `${flowservice}/runs`, { body: { flowId: weekly.flowId } })).status).toBe(400);
  });

  it('deletes a flow after asking, and the API no longer has it', async () => {
    const doomed = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: 'console doomed' });
    await goTo(page, `/flows/${doomed.flowId}`);
    await page.getByRole('heading', { name: 'flow console doomed', level: 1 }).waitFor();
    await page.getByText('This flow has not run yet.').waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the dataflow “flow console doomed”?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await api.request('GET', `${flowservice}/flows/${doomed.flowId}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Delete…' }).click();
    await dialog.getByRole('button', { name: 'Delete dataflow' }).click();
    await page.getByRole('heading', { name: 'Dataflows', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'flow console products' }).waitFor();
    expect(await page.getByRole('link', { name: 'flow console doomed' }).count()).toBe(0);
    expect((await api.request('GET', `${flowservice}/flows/${doomed.flowId}`)).status).toBe(404);
  });

  it('says which dataflow id the server does not know', async () => {
    await goTo(page, '/flows/00000000-0000-4000-8000-000000000000');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('00000000-0000-4000-8000-000000000000');
  });

  it("follows a run in progress on its page, with its stage, until it ends", async () => {
    let stripe: StripeStandIn | undefined;
    let gate: Awaited<ReturnType<typeof startGate>> | undefined;
    try {
      stripe = await startStripeStandIn({ clock: new StandInClock(), seed: 11 });
      for (let i = 0; i < 5; i += 1) stripe.account.createCharge({ amount: 500 + i, currency: 'usd' }, { at: Math.floor((Date.now() - (i + 2) * 86_400_000) / 1000) });
      gate = await startGate(stripe.url);
      const flow = await createStripeFlow(api, gate.url, { title: 'console held' });
      const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } });
      expect(started.status, started.text).toBe(201);
      const runId = str(started.json, 'id');
      await goTo(page, `/runs/${runId}`);
      await page.getByText('Status: In progress').waitFor();
      await page.getByText('This page follows the run until it ends.').waitFor();
      await screenshot(page, 'run-in-progress');
      expect(await page.getByRole('progressbar').count()).toBe(1);
      expect(str((await api.request('GET', `${flowservice}/runs/${runId}`)).json, 'items.0.metrics.statusSummary.status')).toBe('inProgress');

      gate.release();
      await page.getByText('Status: Success').waitFor({ timeout: 30_000 });
      expect(await page.getByRole('progressbar').count()).toBe(0);
      const run = await api.request('GET', `${flowservice}/runs/${runId}`);
      expect(at(run.json, 'items.0.metrics.statusSummary.status')).toBe('success');
      expect(at(run.json, 'items.0.metrics.recordSummary.outputRecordCount')).toBe(5);
      await expect(page.locator('dl.facts').first().locator('dt:text-is("Records written") + dd').textContent()).resolves.toBe('5');
      await page.getByRole('heading', { name: 'Copy: reading the source', level: 3 }).waitFor();
      await page.getByRole('table', { name: /^Streams read by/ }).waitFor();
    } finally {
      gate?.release();
      await api.app.engine.idle();
      await gate?.close();
      await stripe?.close();
    }
  }, 60_000);
});
