import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { availableBackends } from './support/backends.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { goTo, signedInPage } from './support/console-session.js';
import { createFileFlow, runNow, type FileFlow } from './support/file-flow.js';
import { requireFreshQueryWorker } from './support/query-workers.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

/**
 * The console's Datasets and Query screens in a real browser, over data a dataflow landed: the datasets list, a
 * dataset's schema tree, batches and preview rows, and SQL with its results grid, CSV download, errors in the
 * server's words, history, the org's query cap and Cancel. What the screens show is checked against the API.
 */
const [backend] = await availableBackends();
const queries = '/data/foundation/query/queries';
const products = [
  'Product_Id,Product_Name,Description,Type,updatedAt',
  'P1,Widget,"A, quoted ""widget""",PHYSICAL,2024-01-02 10:00:00',
  'P2,E-book,A book,DIGITAL,2024-01-03 11:00:00',
  'P3,Service plan,,SERVICE,2024-01-04 12:00:00',
];
/** Counts a trillion rows: runs until it is cancelled (or, far later, times out). */
const endless = 'SELECT count(*) AS n FROM range(1000000000000)';

/** A grid's column names, their types and its rows' cell texts, as the page shows them. */
async function gridOf(table: Locator): Promise<{ headers: string[]; types: string[]; rows: string[][] }> {
  // The header cell shows the column's name, then its type in a span of its own.
  const headers = await table.locator('thead th').evaluateAll((cells) => cells.map((cell) => cell.firstChild?.textContent ?? ''));
  const types = await table.locator('thead th').evaluateAll((cells) => cells.map((cell) => cell.lastChild?.textContent ?? ''));
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return { headers, types, rows };
}

/** Every query the store holds and its state, read from the store itself (the console never learns a cancelled query's id). */
async function storedQueries(api: TestApi): Promise<{ id: string; sql: string; state: string }[]> {
  const rows = await api.store.db.selectFrom('resources').select(['id', 'body']).where('kind', '=', 'query.query').execute();
  return rows.map((row) => {
    const body = JSON.parse(row.body) as { sql?: unknown; state?: unknown };
    return { id: row.id, sql: String(body.sql), state: String(body.state) };
  });
}

/** Polls until `check` holds; the bound only stops a broken test from hanging, it is not what is tested. */
async function waitFor(what: string, check: () => Promise<boolean>, boundMs = 60_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the console: datasets and queries', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let root: string;
  let flow: FileFlow;
  let table: string;
  let tenant: string;
  let emptyDataSetId: string;

  beforeAll(async () => {
    requireFreshQueryWorker();
    // One query at a time for the org, so that the cap (429) can be reached with a single running query.
    api = await startApi(backend!, { query: { perOrg: 1 } });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-console-query-'));
    fs.writeFileSync(path.join(root, 'products.csv'), `${products.join('\n')}\n`);
    flow = await createFileFlow(api, { root, path: 'products.csv', format: 'delimited', title: 'console products' });
    expect(at(await runNow(api, flow.flowId), 'metrics.statusSummary.status')).toBe('success');
    const dataSet = await api.request('GET', `/data/foundation/catalog/dataSets/${flow.dataSetId}`);
    table = str(dataSet.json, `${flow.dataSetId}.tags.adobe/pqs/table.0`);
    tenant = `_${api.tenantId}`;
    // A dataset nothing has landed in yet, and a sandbox with no datasets at all.
    const empty = await api.request('POST', '/data/foundation/catalog/dataSets', { body: { ...tutorial.dataSet(flow.schemaId), name: 'dataset still empty' } });
    expect(empty.status, empty.text).toBe(201);
    emptyDataSetId = str(empty.json, '0').split('/').pop()!;
    const sandbox = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'console-dev', title: 'Console dev', type: 'development' } });
    expect(sandbox.status, sandbox.text).toBeLessThan(300);
    browser = await launchBrowser();
    page = await signedInPage(browser, api, '/datasets');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the datasets with their table and last batch', async () => {
    await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
    const row = page.getByRole('table', { name: 'Datasets' }).getByRole('row').filter({ hasText: 'dataset console products' });
    await row.waitFor();
    expect(table).toBe('dataset_console_products');
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual(['dataset console products', table, 'success', expect.any(String)]);
    await page.getByLabel('Search datasets').fill('no such dataset');
    await page.getByText('No dataset matches').waitFor();
    await page.getByLabel('Search datasets').fill('');
  });

  it('shows a dataset: its schema tree, its batches and its first rows from the lake', async () => {
    await page.getByRole('link', { name: 'dataset console products' }).click();
    await page.getByRole('heading', { name: 'dataset console products', level: 1 }).waitFor();
    expect(page.url()).toBe(`${api.baseUrl}/datasets/${flow.dataSetId}`);

    // The schema tree: the tenant's object opens onto the product fields the mapping writes, with their types.
    await page.getByRole('button', { name: tenant, exact: true }).click();
    await page.getByRole('list', { name: `Fields of ${tenant}` }).getByRole('button', { name: 'product', exact: true }).click();
    const productFields = page.getByRole('list', { name: `Fields of ${tenant}.product` });
    await productFields.waitFor();
    expect(await productFields.getByRole('listitem').allTextContents()).toEqual(['namestring', 'descriptionstring', 'typestring']);
    await expect(page.getByRole('button', { name: tenant, exact: true }).getAttribute('aria-expanded')).resolves.toBe('true');
    // A search shows the matching fields where they sit, opened.
    await page.getByLabel('Find a field').fill('birthyear');
    await page.getByRole('list', { name: 'Fields of person' }).getByText('birthYear').waitFor();
    await page.getByLabel('Find a field').fill('');

    // The batches, as Catalog holds them.
    const batches = await api.request('GET', `/data/foundation/catalog/batches?dataSet=${flow.dataSetId}`);
    const [batchId] = Object.keys(batches.json as object);
    expect(at(batches.json, `${batchId}.status`)).toBe('success');
    const batchRow = page.getByRole('table', { name: 'Batches' }).getByRole('row').filter({ hasText: batchId! });
    await batchRow.waitFor();
    const cells = await batchRow.getByRole('cell').allTextContents();
    expect(cells.slice(0, 4)).toEqual([batchId, 'success', '3', '0']);

    // The preview: the rows the query service reads from the lake, fields of objects as columns of their own.
    const preview = page.getByRole('table', { name: 'Preview rows' });
    await preview.waitFor();
    const grid = await gridOf(preview);
    expect(grid.headers).toEqual(['_id', `${tenant}.product.name`, `${tenant}.product.description`, `${tenant}.product.type`]);
    expect(grid.types).toEqual(['VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR']);
    expect(grid.rows.map((r) => r[1]).sort()).toEqual(['E-book', 'Service plan', 'Widget']);
    expect(grid.rows.find((r) => r[0] === 'P1')).toEqual(['P1', 'Widget', 'A, quoted "widget"', 'PHYSICAL']);
    await screenshot(page, 'datasets');
  });

  it('shows a dataset without batches as empty, and an unknown one in the server\'s words', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('link', { name: 'dataset still empty' }).click();
    await page.getByRole('heading', { name: 'dataset still empty', level: 1 }).waitFor();
    expect(page.url()).toBe(`${api.baseUrl}/datasets/${emptyDataSetId}`);
    await page.getByText('No batch has landed in this dataset yet.').waitFor();
    await page.getByText('No batch has landed in this dataset successfully yet').waitFor();
    expect(await page.getByRole('table', { name: 'Preview rows' }).count()).toBe(0);

    await goTo(page, '/datasets/0123456789abcdef01234567');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const answer = await api.request('GET', '/data/foundation/catalog/dataSets/0123456789abcdef01234567');
    expect(answer.status).toBe(404);
    await expect(alert.textContent()).resolves.toContain(str(answer.json, 'detail'));
  });

  it('runs a SELECT from the editor (Ctrl+Enter) and shows the rows the API answers', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Query' }).click();
    await page.getByRole('heading', { name: 'Query', level: 1 }).waitFor();
    const editor = page.getByLabel('SQL', { exact: true });
    // Choosing a table in an empty editor writes a whole statement; in a statement, its name at the caret.
    await page.getByRole('button', { name: table, exact: true }).click();
    await expect(editor.inputValue()).resolves.toBe(`SELECT * FROM ${table} LIMIT 100`);
    await editor.fill('SELECT * FROM  ORDER BY _id');
    await editor.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(14, 14));
    await page.getByRole('button', { name: table, exact: true }).click();
    const sql = `SELECT * FROM ${table} ORDER BY _id`;
    await expect(editor.inputValue()).resolves.toBe(sql);

    await editor.press('Control+Enter');
    const results = page.getByRole('table', { name: 'Query results' });
    await results.waitFor();
    await expect(page.locator('.result-count').textContent()).resolves.toMatch(/^3 rows in \d/);
    const expected = await api.request('POST', queries, { body: { dbName: 'prod:all', sql } });
    expect(expected.status, expected.text).toBe(202);
    const apiRows = at(expected.json, 'rows') as { _id: string; [tenantField: string]: unknown }[];
    const grid = await gridOf(results);
    expect(grid.headers).toEqual(['_id', `${tenant}.product.name`, `${tenant}.product.description`, `${tenant}.product.type`]);
    expect(grid.rows).toEqual(
      apiRows.map((row) => {
        const product = (row[tenant] as { product: Record<string, string | null> }).product;
        return [row._id, product.name, product.description ?? 'null', product.type];
      }),
    );
    expect(grid.rows[2]).toEqual(['P3', 'Service plan', 'null', 'SERVICE']);
    await screenshot(page, 'query');
  });

  it('downloads the rows as CSV, quoted as RFC 4180 has it', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^query-[0-9a-f-]{36}\.csv$/);
    const file = await download.path();
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        `_id,${tenant}.product.name,${tenant}.product.description,${tenant}.product.type`,
        'P1,Widget,"A, quoted ""widget""",PHYSICAL',
        'P2,E-book,A book,DIGITAL',
        'P3,Service plan,,SERVICE',
        '',
      ].join('\r\n'),
    );
  });

  it("shows a bad statement's error in the server's words, naming /sql", async () => {
    await page.getByLabel('SQL', { exact: true }).fill('SELEC nonsense');
    await page.getByRole('button', { name: 'Run query' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const answer = await api.request('POST', queries, { body: { dbName: 'prod:all', sql: 'SELEC nonsense' } });
    expect(answer.status).toBe(400);
    const text = await alert.textContent();
    expect(text).toContain(str(answer.json, 'report.errors.0.message'));
    expect(text).toContain('QUERY-1002-400');
    expect(text).toContain('Field: /sql');
    expect(await page.getByRole('table', { name: 'Query results' }).count()).toBe(0);
  });

  it('cuts a long result, says so, and pages through the rows it kept', async () => {
    await page.getByLabel('SQL', { exact: true }).fill('SELECT range AS n FROM range(12000)');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByText('more rows than the server keeps').waitFor();
    await expect(page.locator('.result-count').textContent()).resolves.toMatch(/^10,000 rows/);
    const pages = page.getByRole('navigation', { name: 'Query results pages' });
    await expect(pages.textContent()).resolves.toContain('Rows 1–100 of 10,000');
    await pages.getByRole('button', { name: 'Next rows' }).click();
    await pages.getByText('Rows 101–200 of 10,000').waitFor();
    const grid = await gridOf(page.getByRole('table', { name: 'Query results' }));
    expect(grid.types).toEqual(['BIGINT']);
    expect(grid.rows[0]).toEqual(['100']);
  });

  it('opens an earlier query from the history, reading its rows again from the server', async () => {
    const history = page.getByRole('region', { name: 'History' });
    const sql = `SELECT * FROM ${table} ORDER BY _id`;
    const entries = history.getByRole('button');
    // Newest first: the long result, the failure, then the SELECT.
    expect(await entries.allTextContents()).toEqual([
      expect.stringMatching(/^SELECT range AS n FROM range\(12000\).*10,000 rows$/),
      expect.stringMatching(/^SELEC nonsense.*failed$/),
      expect.stringMatching(new RegExp(`^${sql.replace(/[*()]/g, '\\$&')}.*3 rows$`)),
    ]);
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/results')) reads.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await entries.nth(2).click();
    await expect(page.getByLabel('SQL', { exact: true }).inputValue()).resolves.toBe(sql);
    const results = page.getByRole('table', { name: 'Query results' });
    await results.getByRole('cell', { name: 'Service plan' }).waitFor();
    expect((await gridOf(results)).rows.map((r) => r[0])).toEqual(['P1', 'P2', 'P3']);
    const earlier = (await storedQueries(api)).filter((q) => q.sql === sql && q.state === 'SUCCESS');
    expect(reads.length).toBe(1);
    expect(earlier.map((q) => `GET ${queries}/${q.id}/results`)).toContain(reads[0]);

    // A failed one comes back with its error.
    await entries.nth(1).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Field: /sql');
    await expect(page.getByLabel('SQL', { exact: true }).inputValue()).resolves.toBe('SELEC nonsense');
  });

  it("shows the server's answer when the org runs as many queries as it may", async () => {
    const hangingUp = new AbortController();
    const running = fetch(`${api.baseUrl}${queries}`, {
      method: 'POST',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ dbName: 'prod:all', sql: endless }),
      signal: hangingUp.signal,
    }).catch((error: unknown) => error);
    try {
      await waitFor('the query in progress', async () => (await storedQueries(api)).some((q) => q.sql === endless && q.state === 'IN_PROGRESS'));
      await page.getByLabel('SQL', { exact: true }).fill('SELECT 1 AS one');
      await page.getByRole('button', { name: 'Run query' }).click();
      const alert = page.getByRole('alert');
      await expect(alert.textContent()).resolves.toContain('Your org already runs 1 queries on this server');
    } finally {
      hangingUp.abort();
      await running;
    }
    await waitFor('the query cancelled', async () => !(await storedQueries(api)).some((q) => q.state === 'IN_PROGRESS' || q.state === 'SUBMITTED'));
  }, 90_000);

  it('cancels a running query, and the server stops it', async () => {
    const before = new Set((await storedQueries(api)).map((q) => q.id));
    await page.getByLabel('SQL', { exact: true }).fill(endless);
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByRole('status').filter({ hasText: 'Running…' }).waitFor();
    await expect(page.getByRole('button', { name: 'Run query' }).isDisabled()).resolves.toBe(true);
    let id: string | undefined;
    await waitFor('the query in progress', async () => {
      id = (await storedQueries(api)).find((q) => !before.has(q.id) && q.state === 'IN_PROGRESS')?.id;
      return id !== undefined;
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled: the console hung up on the query').waitFor();
    await waitFor('the query cancelled on the server', async () => (await storedQueries(api)).find((q) => q.id === id)?.state === 'CANCELLED');
    const lookedUp = await api.request('GET', `${queries}/${id}`);
    expect(at(lookedUp.json, 'state')).toBe('CANCELLED');
    await expect(page.getByRole('region', { name: 'History' }).getByRole('button').first().textContent()).resolves.toMatch(/cancelled$/);
    // The org's one place is free again.
    await page.getByLabel('SQL', { exact: true }).fill('SELECT 1 AS one');
    await page.getByLabel('SQL', { exact: true }).press('Control+Enter');
    await expect((async () => {
      await page.getByRole('table', { name: 'Query results' }).waitFor();
      return gridOf(page.getByRole('table', { name: 'Query results' }));
    })()).resolves.toEqual({ headers: ['one'], types: ['INTEGER'], rows: [['1']] });
  }, 90_000);

  it('keeps the history and the editor per sandbox, and shows an empty sandbox as empty', async () => {
    const history = page.getByRole('region', { name: 'History' });
    await page.getByLabel('Sandbox').selectOption('console-dev');
    await page.getByText('This sandbox has no datasets yet: run a dataflow to land some.').waitFor();
    await history.getByText('The queries you run here are listed here').waitFor();
    await expect(page.getByLabel('SQL', { exact: true }).inputValue()).resolves.toBe('');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Datasets' }).click();
    await page.getByText('This sandbox has no datasets yet.').waitFor();

    await page.getByLabel('Sandbox').selectOption('prod');
    await page.getByRole('link', { name: 'dataset console products' }).click();
    await page.getByRole('button', { name: 'Query this dataset' }).click();
    await page.getByRole('heading', { name: 'Query', level: 1 }).waitFor();
    await expect(page.getByLabel('SQL', { exact: true }).inputValue()).resolves.toBe(`SELECT * FROM ${table} LIMIT 100`);
    // The six queries run in prod above, newest first.
    await expect(history.getByRole('button').count()).resolves.toBe(6);
  });

  it('fits a 1024 px wide window: wide rows scroll inside their grid, not the page', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    const pageScrollsSideways = () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    await page.getByLabel('SQL', { exact: true }).fill(`SELECT *, repeat('wide ', 60) AS wide, * FROM ${table}`);
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByRole('table', { name: 'Query results' }).waitFor();
    expect(await pageScrollsSideways()).toBe(false);
    await screenshot(page, 'query-1024');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('link', { name: 'dataset console products' }).click();
    await page.getByRole('table', { name: 'Preview rows' }).waitFor();
    await page.getByRole('table', { name: 'Batches' }).waitFor();
    expect(await pageScrollsSideways()).toBe(false);
  });
});
