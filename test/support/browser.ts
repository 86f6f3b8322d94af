import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, which `.ci/run` installs; playwright-core downloads no browser of its own. */
export const chromiumPath = process.env.TRIBUTARY_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of the browser tests: git-ignored, looked at by people, six of them copied to docs/. */
export const screenshotDir = path.resolve('.tmp', 'screenshots');

/**
 * Headless chromium as root on a closed network: no sandbox (root), and none of the background connections it
 * would otherwise try and be refused.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`no chromium at ${chromiumPath}: install Debian's chromium (apt-get install chromium), as .ci/run does, or set TRIBUTARY_CHROMIUM`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page 1280 px wide (the console works from 1024 px), in a fresh context: no cookies, no storage. */
export async function newPage(browser: Browser, options: { width?: number; timezoneId?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 860 }, timezoneId: options.timezoneId ?? 'Europe/Berlin' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
