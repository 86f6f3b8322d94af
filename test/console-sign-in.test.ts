import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { availableBackends } from './support/backends.js';
import { launchBrowser, newPage, screenshot } from './support/browser.js';
import { flowservice, stripeSpec } from './support/payment-sources.js';
import { startApi, type TestApi } from './support/test-api.js';

/**
 * The console in a real browser: signing in (client credentials or a pasted token), the sources catalog, two
 * orgs side by side without one's data showing under the other, and a token renewed before it ends. The console
 * talks to the server only through its public API, as these tests see it do.
 */
const [backend] = await availableBackends();

describe('the console: sign-in, the sources catalog and switching orgs', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A token lives 8 s here, so its renewal (at four fifths of its life) happens while the test looks.
    api = await startApi(backend!, { tokenTtlSeconds: 8 });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const signIn = async (target: Page, clientId: string, secret: string) => {
    await target.getByLabel('Client id').fill(clientId);
    await target.getByLabel('Client secret').fill(secret);
    await target.getByRole('button', { name: 'Sign in' }).click();
  };

  it('says why a wrong secret is refused, in the token endpoint\'s words', async () => {
    page = await newPage(browser);
    await page.goto(api.baseUrl);
    await expect(page.getByRole('heading', { name: 'Sign in to Tributary' }).isVisible()).resolves.toBe(true);
    await signIn(page, api.credentials.client_id, 'not-the-secret');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('invalid client_id or client_secret');
  });

  it('signs in with client credentials and shows the sources by category, with search', async () => {
    await signIn(page, api.credentials.client_id, api.credentials.client_secret);
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    expect(page.url()).toBe(`${api.baseUrl}/sources`);
    for (const category of ['Payments', 'Cloud storage']) await page.getByRole('heading', { name: category, level: 2 }).waitFor();
    for (const source of ['PayPal', 'Stripe', 'Square', 'Local Files']) await page.getByRole('heading', { name: source, level: 3 }).waitFor();
    await screenshot(page, 'sources-catalog');

    await page.getByLabel('Search sources').fill('stri');
    await page.getByRole('heading', { name: 'PayPal', level: 3 }).waitFor({ state: 'detached' });
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Stripe']);
    await page.getByLabel('Search sources').fill('no such source');
    await page.getByText('No source matches').waitFor();
    // The secret is nowhere a script or a later visitor could find it.
    expect(page.url()).not.toContain(api.credentials.client_secret);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).toBe('{}{}');
  });

  it('shows each org its own accounts, and switching orgs shows nothing of the other', async () => {
    // Tokens live 8 s in this file, so the test's own call takes a token issued now, not the one from the start
    // (which the browser launch and the steps before may have outlived).
    const script = await api.app.credentials.create(api.credentials.ims_org, 'org A script');
    const stripe = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'Org A Stripe', auth: { specName: 'OAuth2 Refresh Code', params: { host: 'http://127.0.0.1:9', accessToken: 'sk_test_console' } }, connectionSpec: { id: stripeSpec, version: '1.0' } },
      headers: { authorization: `Bearer ${script.access_token}`, 'x-api-key': script.client_id },
    });
    expect(stripe.status, stripe.text).toBe(201);
    const other = await api.app.credentials.create('CONSOLEB@AdobeOrg', 'org B client');
    await page.getByLabel('Search sources').fill('');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('1 account connected: Org A Stripe').waitFor();

    await page.getByRole('link', { name: 'Add an org' }).click();
    await page.getByLabel('Sign in with an access token').getByLabel('Or paste an access token').fill(other.access_token);
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    expect(await page.getByLabel('Org').inputValue()).toBe('CONSOLEB@AdobeOrg');
    await page.getByRole('heading', { name: 'Stripe', level: 3 }).waitFor();
    expect(await page.getByText('Org A Stripe').count()).toBe(0);

    await page.getByLabel('Org').selectOption(api.credentials.ims_org);
    await page.getByText('1 account connected: Org A Stripe').waitFor();
  });

  it('renews a token before it ends, and goes on reading with the new one', async () => {
    const exchanges: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/ims/token/v3')) exchanges.push(request.method());
    });
    // 8 s tokens are renewed about 6.4 s after they were issued; wait past a whole lifetime.
    await page.waitForTimeout(9_000);
    expect(exchanges.length).toBeGreaterThanOrEqual(1);
    // Reading again works: had the console kept the old token, it would have expired by now.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('1 account connected: Org A Stripe').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  }, 30_000);
});
