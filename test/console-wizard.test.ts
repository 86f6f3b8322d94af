import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { signedInPage } from './support/console-session.js';
import { latestRows, runNow } from './support/file-flow.js';
import { flowservice } from './support/payment-sources.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

/**
 * The console's sources workflow in a real browser, as a person does it: a Local Files account made from the
 * spec's auth form and tested, a CSV chosen in the explore tree and previewed, an existing dataset, the mapping
 * (matched by name, the rest chosen by hand, checked by the server), a schedule, and the review that creates the
 * dataflow. The flow it made then runs and lands the file's rows.
 */
const [backend] = await availableBackends();

/** A dataset named `name` on a schema of its own: the tutorial's Profile schema with the product field group. */
async function productDataSet(api: TestApi, name: string): Promise<string> {
  const post = async (url: string, body: unknown, field: string) => {
    const response = await api.request('POST', url, { body });
    expect(response.status, response.text).toBe(201);
    return str(response.json, field);
  };
  const group = await post('/data/foundation/schemaregistry/tenant/fieldgroups', tutorial.productFieldGroup(api.tenantId), '$id');
  const schemaId = await post('/data/foundation/schemaregistry/tenant/schemas', { ...tutorial.targetSchema, title: name, allOf: [...tutorial.targetSchema.allOf, { $ref: group }] }, '$id');
  return (await post('/data/foundation/catalog/dataSets', { ...tutorial.dataSet(schemaId), name }, '0')).split('/').pop() as string;
}

describe('the console: adding data from a CSV file, from the catalog to a dataflow', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let root: string;
  let dataSetId: string;
  const dataSetName = 'Products from the console';

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-console-wizard-'));
    fs.mkdirSync(path.join(root, 'exports'));
    fs.writeFileSync(path.join(root, 'exports', 'products.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00\nP2,E-book,A book,DIGITAL,2024-01-03 11:00:00\n');
    api = await startApi(backend!);
    dataSetId = await productDataSet(api, dataSetName);
    browser = await launchBrowser();
    page = await signedInPage(browser, api);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('connects an account from the auth form and tests it; a wrong folder is refused with the reason', async () => {
    await page.getByRole('link', { name: 'Add data from Local Files' }).click();
    await page.getByRole('heading', { name: 'Add data from Local Files' }).waitFor();
    await page.getByLabel('Account name').fill('Exports folder');
    await page.getByLabel('rootPath').fill(path.join(root, 'no-such-folder'));
    await page.getByRole('button', { name: 'Connect and test' }).click();
    const refused = await page.getByRole('alert').textContent();
    expect(refused).toMatch(/no-such-folder|not|cannot|exist/i);

    await page.getByLabel('Account name').fill('Exports folder');
    await page.getByLabel('rootPath').fill(root);
    await page.getByRole('button', { name: 'Connect and test' }).click();
    await page.getByRole('heading', { name: 'Select data' }).waitFor();
    const connections = at((await api.request('GET', `${flowservice}/connections`)).json, 'items') as { name: string }[];
    expect(connections.map((c) => c.name)).toContain('Exports folder');
  });

  it('explores the folder, previews the file, and takes an existing dataset', async () => {
    await page.getByRole('button', { name: /exports/ }).click();
    await page.getByRole('button', { name: /products\.csv/ }).click();
    const preview = page.getByRole('table', { name: 'Preview of products.csv' });
    await preview.waitFor();
    expect(await preview.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Product_Id'), expect.stringContaining('updatedAt')]));
    expect(await preview.getByRole('cell', { name: 'Widget', exact: true }).count()).toBe(1);
    await screenshot(page, 'wizard-select-data');
    await page.getByRole('button', { name: 'Use products.csv' }).click();
    await page.getByRole('button', { name: `Land in ${dataSetName}` }).click();
    await page.getByRole('table', { name: 'Mapping rules' }).waitFor();
  });

  it('matches columns by name, checks the mapping with the server, and names a bad rule', async () => {
    const tenant = `_${api.tenantId}`;
    const target = (column: string) => page.getByLabel(`Target field for ${column}`);
    // Matched by name: the product name lands in the tenant's product.name.
    expect(await target('Product_Name').inputValue()).toBe(`${tenant}.product.name`);
    await target('Product_Id').selectOption('_id');
    await target('Description').selectOption(`${tenant}.product.description`);
    await target('Type').selectOption(`${tenant}.product.type`);
    await target('updatedAt').selectOption('');
    // A calculated field the server refuses: the reason shows beside the rule.
    await page.getByRole('button', { name: 'Add a calculated field' }).click();
    await page.getByLabel('Expression 6', { exact: true }).fill('no_such_function(Product_Name)');
    await page.getByLabel('Target field for expression 6').selectOption(`${tenant}.product.description`);
    await page.getByRole('button', { name: 'Check and preview' }).click();
    await page.getByRole('table', { name: 'Mapping rules' }).getByRole('alert').first().waitFor();
    await screenshot(page, 'wizard-mapping');
    await page.getByLabel('Target field for expression 6').selectOption('');
    await page.getByRole('button', { name: 'Check and preview' }).click();
    // The sample rows as the server maps them.
    const mapped = page.getByRole('table', { name: 'Preview of the mapped rows' });
    await mapped.waitFor();
    expect(await mapped.getByRole('cell', { name: 'Widget', exact: true }).count()).toBe(1);
    expect(await mapped.getByRole('cell', { name: 'P2', exact: true }).count()).toBe(1);
    await screenshot(page, 'wizard-mapping');
    await page.getByRole('button', { name: 'Continue to the schedule' }).click();
    await page.getByRole('heading', { name: 'Schedule' }).waitFor();
  });

  it('checks the schedule as it is typed, reviews, and creates a dataflow that lands the file', async () => {
    await page.getByLabel('Frequency').selectOption('minute');
    await page.getByLabel('Interval').fill('5');
    await page.getByText('at least 15 for minute').waitFor();
    expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    await page.getByLabel('Frequency').selectOption('once');
    await page.getByLabel(/Delta column/).selectOption('updatedAt');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Review' }).waitFor();
    await page.getByLabel('Dataflow name').fill('Products from the exports folder');
    await page.getByRole('button', { name: 'Create the dataflow' }).click();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    const flowId = page.url().split('/').pop() as string;

    const flow = (await api.request('GET', `${flowservice}/flows/${flowId}`)).json;
    expect(at(flow, 'items.0.name')).toBe('Products from the exports folder');

    // The dataflow's page runs it, the run's page follows it, and the query screen shows what landed.
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByText('Status: Success').waitFor();
    await screenshot(page, 'wizard-run');
    expect(await latestRows(api, dataSetId, `_id, ${`_${api.tenantId}`}.product.name AS name`)).toEqual([
      { _id: 'P1', name: 'Widget' },
      { _id: 'P2', name: 'E-book' },
    ]);
    const dataSet = (await api.request('GET', `/data/foundation/catalog/dataSets/${dataSetId}`)).json;
    const table = str(dataSet, `${dataSetId}.tags.adobe/pqs/table.0`);
    await page.getByRole('link', { name: 'Query', exact: true }).click();
    await page.getByLabel('SQL').fill(`SELECT _id, _${api.tenantId}.product.name AS name FROM ${table} ORDER BY _id`);
    await page.getByRole('button', { name: 'Run query' }).click();
    const results = page.getByRole('table', { name: 'Query results' });
    await results.waitFor();
    expect(await results.getByRole('cell', { name: 'Widget', exact: true }).count()).toBe(1);
    expect(await results.getByRole('cell', { name: 'E-book', exact: true }).count()).toBe(1);
  });
});

describe('the console: adding data from the Stripe stand-in', () => {
  let api: TestApi;
  let stripe: StripeStandIn;
  let browser: Browser;
  let page: Page;
  let dataSetId: string;

  beforeAll(async () => {
    const clock = new StandInClock(Date.now());
    stripe = await startStripeStandIn({ clock, seed: 7 });
    for (let i = 0; i < 30; i += 1) stripe.account.createCharge({ amount: 500 + i, currency: 'usd', description: `Order ${i}` }, { at: Math.floor((clock.now() - (i + 2) * 3_600_000) / 1000) });
    api = await startApi(backend!);
    dataSetId = await productDataSet(api, 'Stripe charges');
    browser = await launchBrowser();
    page = await signedInPage(browser, api);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await stripe?.close();
  });

  it('goes from the Stripe card to a dataflow that lands the charges', async () => {
    await page.getByRole('link', { name: 'Add data from Stripe' }).click();
    await page.getByLabel('Account name').fill('Stripe test mode');
    await page.getByLabel('host').fill(stripe.url);
    await page.getByLabel('accessToken').fill(DEFAULT_STRIPE_KEY);
    // The key is masked as it is typed.
    expect(await page.getByLabel('accessToken').getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Connect and test' }).click();
    await page.getByRole('heading', { name: 'Select data' }).waitFor();

    await page.getByRole('button', { name: /Stripe\.Charges/ }).click();
    const preview = page.getByRole('table', { name: 'Preview of Stripe.Charges' });
    await preview.waitFor();
    expect(await preview.getByRole('cell', { name: 'Order 0', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Use Stripe.Charges' }).click();
    await page.getByRole('button', { name: 'Land in Stripe charges' }).click();
    await page.getByRole('table', { name: 'Mapping rules' }).waitFor();

    const tenant = `_${api.tenantId}`;
    const target = (column: string) => page.getByLabel(`Target field for ${column}`, { exact: true });
    for (const row of await page.getByRole('table', { name: 'Mapping rules' }).getByRole('combobox').all()) await row.selectOption('');
    await target('Id').selectOption('_id');
    await target('Description').selectOption(`${tenant}.product.description`);
    await target('Status').selectOption(`${tenant}.product.name`);
    await target('Currency').selectOption(`${tenant}.product.type`);
    await page.getByRole('button', { name: 'Check and preview' }).click();
    await page.getByRole('button', { name: 'Continue to the schedule' }).click();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByRole('button', { name: 'Create the dataflow' }).click();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    const flowId = page.url().split('/').pop() as string;

    const run = await runNow(api, flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    const rows = await latestRows(api, dataSetId, `_id, ${tenant}.product.description AS description`);
    expect(rows).toHaveLength(30);
    expect(rows.map((r) => r.description)).toContain('Order 0');
    // The key reached the server sealed, and the console never showed it back.
    const connections = JSON.stringify((await api.request('GET', `${flowservice}/connections`)).json);
    expect(connections).not.toContain(DEFAULT_STRIPE_KEY);
  });
});
