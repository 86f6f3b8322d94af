import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { launchBrowser } from './support/browser.js';
import { goTo, signedInPage } from './support/console-session.js';
import { createFileFlow, runNow } from './support/file-flow.js';
import { startApi, str, type TestApi } from './support/test-api.js';

/**
 * Every control of every screen has a name a screen reader can say, and the console can be worked from the
 * keyboard. Checked on the accessibility tree chromium builds, at the 1024 px the console promises.
 */
const [backend] = await availableBackends();
const longSandboxTitle = 'Staging for the European accounts team';

/** The controls in an ARIA snapshot that have no accessible name: `- button` rather than `- button "Sign out"`. */
function unnamedControls(snapshot: string): string[] {
  return snapshot.split('\n').filter((line) => /^\s*- (button|textbox|combobox|checkbox|link|searchbox|spinbutton|radio|switch)(\s*\[[^\]]*\])?:?\s*$/.test(line));
}

describe('the console is labelled and keyboard-reachable', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let root: string;
  let flowId: string;
  let runId: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-console-a11y-'));
    fs.writeFileSync(path.join(root, 'p.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nP1,Widget,,PHYSICAL,2024-01-02 10:00:00\n');
    api = await startApi(backend!);
    const flow = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'a11y' });
    flowId = flow.flowId;
    runId = str(await runNow(api, flowId), 'id');
    browser = await launchBrowser();
    // A sandbox whose title is longer than the header's switcher, there before the console signs in.
    expect((await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'a11y-long', title: longSandboxTitle, type: 'development' } })).status).toBe(201);
    page = await signedInPage(browser, api, '/sources', { width: 1024 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('names every control on every screen, with no sideways scrolling at 1024 px', async () => {
    // The check itself finds an unnamed control, and passes a named one.
    expect(unnamedControls('- button\n- button "Sign out"\n  - combobox [disabled]\n- textbox "SQL": SELECT 1')).toEqual(['- button', '  - combobox [disabled]']);
    const localFiles = '/sources/f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c/new';
    for (const [screen, ready] of [
      ['/sources', 'Sources'],
      [localFiles, 'Add data from Local Files'],
      ['/flows', 'Dataflows'],
      [`/flows/${flowId}`, 'flow a11y'],
      [`/runs/${runId}`, undefined],
      ['/datasets', 'Datasets'],
      ['/query', 'Query'],
      ['/schemas/global/classes', 'Schemas'],
    ] as const) {
      await goTo(page, screen);
      if (ready) await page.getByRole('heading', { name: ready, level: 1 }).waitFor();
      else await page.getByText('Status:').waitFor();
      await page.waitForLoadState('networkidle');
      expect(unnamedControls(await page.locator('body').ariaSnapshot()), screen).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), screen).toBeLessThanOrEqual(1024);
    }
  });

  it('keeps the header on one line at 1024 px with a long sandbox title, which the switcher\'s tooltip says whole', async () => {
    await goTo(page, '/sources');
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    const sandbox = page.getByLabel('Sandbox');
    await page.waitForFunction(() => [...document.querySelectorAll('header.top select')].some((s) => (s as HTMLSelectElement).options.length > 1));
    await sandbox.selectOption('a11y-long');
    await expect.poll(() => sandbox.getAttribute('title'), { timeout: 15_000 }).toBe(longSandboxTitle);
    // On one line, every part of the header overlaps every other vertically: none starts below another's end.
    const boxes = await page.evaluate(() => [...document.querySelectorAll('header.top > *')].map((element) => element.getBoundingClientRect()).map(({ top, bottom }) => ({ top, bottom })));
    expect(boxes.length).toBeGreaterThan(4);
    expect(Math.max(...boxes.map((b) => b.top))).toBeLessThan(Math.min(...boxes.map((b) => b.bottom)));
    await sandbox.selectOption('prod');
  });

  it('reaches a source and starts adding data from the keyboard alone', async () => {
    await goTo(page, '/sources');
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    // Tab through the page until the PayPal card's link has the focus, then press Enter.
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Add data from PayPal'; i += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
    }
    expect(focused).toBe('Add data from PayPal');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add data from PayPal', level: 1 }).waitFor();
  });
});
