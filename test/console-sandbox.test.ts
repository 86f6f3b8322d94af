import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { launchBrowser, newPage, screenshot } from './support/browser.js';
import { serveEnvironment, startServe, type ServeProcess } from './support/serve-process.js';

/**
 * The "done when", as a new user does it, offline: `tributary serve --sandbox` starts the provider
 * stand-ins beside the server; in the console they connect PayPal through the local sandbox account, choose its
 * products, compose a schema and dataset, map, schedule, run the dataflow and watch the run, then query the data,
 * without a provider account, a network or the API docs.
 */
const [backend] = await availableBackends();

describe('the console with `tributary serve --sandbox`', () => {
  const { dataDir, env, dispose } = serveEnvironment(backend!, 'sandboxconsole');
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServe(dataDir, env, ['--sandbox']);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await dispose();
  });

  it('announces the stand-ins and lists them for the signed-in client only', async () => {
    expect(server.output()).toMatch(/Local paypal stand-in on http:\/\/127\.0\.0\.1:\d+/);
    const refused = await fetch(`${server.baseUrl}/tributary/sandbox-accounts`);
    expect(refused.status).toBe(401);
  });

  it('connects PayPal through the local sandbox account and previews its products', async () => {
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-credentials.json'), 'utf8')) as { client_id: string };
    const secret = fs.readFileSync(path.join(dataDir, 'dev-client-secret.txt'), 'utf8').trim();
    page = await newPage(browser);
    await page.goto(server.baseUrl);
    await page.getByLabel('Client id').fill(saved.client_id);
    await page.getByLabel('Client secret').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Add data from PayPal' }).click();
    await page.getByRole('button', { name: 'Use the local sandbox account' }).click();
    await page.getByRole('heading', { name: 'Select data' }).waitFor();
    await page.getByRole('button', { name: /PayPal\.Catalog_Products/ }).click();
    const preview = page.getByRole('table', { name: 'Preview of PayPal.Catalog_Products' });
    await preview.waitFor({ timeout: 60_000 });
    expect(await preview.getByRole('row').count()).toBeGreaterThan(1);
    await screenshot(page, 'sandbox-paypal-preview');
  }, 120_000);

  it('composes a schema and dataset, maps, runs the dataflow, watches the run and queries the products', async () => {
    await page.getByRole('button', { name: 'Use PayPal.Catalog_Products' }).click();
    await page.getByLabel('A new dataset on a new schema').check();
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'XDM Individual Profile' });
    await page.getByRole('list', { name: 'Field groups that fit' }).getByRole('checkbox', { name: 'Demographic Details', exact: true }).check();
    await page.getByLabel('Schema title').fill('PayPal products');
    await page.getByLabel('Dataset name').fill('PayPal products');
    await page.getByRole('button', { name: 'Create the schema and dataset' }).click();

    await page.getByRole('table', { name: 'Mapping rules' }).waitFor();
    for (const row of await page.getByRole('table', { name: 'Mapping rules' }).getByRole('combobox').all()) await row.selectOption('');
    await page.getByLabel('Target field for Product_Id', { exact: true }).selectOption('_id');
    await page.getByLabel('Target field for Product_Name', { exact: true }).selectOption('person.name.fullName');
    await page.getByRole('button', { name: 'Check and preview' }).click();
    await page.getByRole('button', { name: 'Continue to the schedule' }).click();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByLabel('Dataflow name').fill('PayPal products');
    await page.getByRole('button', { name: 'Create the dataflow' }).click();

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    // PayPal's rate (10 requests a second) makes the 100 products' details take a while.
    await page.getByText('Status: Success').waitFor({ timeout: 90_000 });
    await screenshot(page, 'sandbox-paypal-run');

    await page.getByRole('link', { name: 'Query', exact: true }).click();
    await page.getByRole('button', { name: /paypal_products/i }).first().click();
    await page.getByLabel('SQL', { exact: true }).fill(`SELECT count(*) AS products, count(DISTINCT person.name.fullName) AS names FROM ${await page.getByRole('button', { name: /paypal_products/i }).first().textContent()}`);
    await page.getByRole('button', { name: 'Run query' }).click();
    const results = page.getByRole('table', { name: 'Query results' });
    await results.waitFor();
    expect(await results.getByRole('cell', { name: '100', exact: true }).count()).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
