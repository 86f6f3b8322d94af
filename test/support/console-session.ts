import type { Browser, Page } from 'playwright-core';
import { newPage } from './browser.js';
import type { TestApi } from './test-api.js';

/**
 * A fresh page signed in to the console as the test API's client (client id and secret), on `path`: opened
 * first, as a deep link, since signing in leads back to it. Later moves must stay in the page (links, or
 * `goTo`): a reload signs out, the session living in the page's memory only.
 */
export async function signedInPage(browser: Browser, api: TestApi, path = '/sources', options: { width?: number; timezoneId?: string } = {}): Promise<Page> {
  const page = await newPage(browser, options);
  await page.goto(`${api.baseUrl}${path}`);
  await page.getByLabel('Client id').fill(api.credentials.client_id);
  await page.getByLabel('Client secret').fill(api.credentials.client_secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Moves the console to `path` without reloading the page, as its own links do. */
export async function goTo(page: Page, path: string): Promise<void> {
  await page.evaluate((target) => {
    history.pushState(null, '', target);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}
