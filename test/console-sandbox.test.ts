import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { launchBrowser, newPage, screenshot } from './support/browser.js';
import { serveEnvironment, startServe, type ServeProcess } from './support/serve-process.js';

/**
 * A new user's first minutes, offline: `tributary serve --sandbox` starts the provider stand-ins beside the server,
 * the console offers "use the local sandbox account" for PayPal, and its tables and rows are there to choose,
 * with no provider account and no network.
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
});
