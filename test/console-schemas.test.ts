import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { signedInPage } from './support/console-session.js';
import { localFilesSpec } from './support/file-flow.js';
import { flowservice } from './support/payment-sources.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

/**
 * The Schemas screen in a real browser: the standard library browsed a page at a time and searched, a field
 * group's fields and the classes it is for, a schema composed from a class and a field group (checked against
 * what the registry holds), a dataset made on it, and the wizard's "new dataset on a new schema" target.
 */
const [backend] = await availableBackends();

const registry = '/data/foundation/schemaregistry';
const profileClass = 'https://ns.adobe.com/xdm/context/profile';
const contactDetails = 'https://ns.adobe.com/xdm/context/profile-personal-details';
const summaries = { accept: 'application/vnd.adobe.xed-id+json' };

/** The link texts of the first column of a list table. */
async function titlesIn(page: Page, table: string): Promise<string[]> {
  const rows = page.getByRole('table', { name: table }).getByRole('row');
  await rows.nth(1).waitFor();
  return (await rows.locator('td:first-child').allTextContents()).map((t) => t.trim());
}

/** A tenant schema, as stored (its `allOf`), found by its title through the API. */
async function tenantSchemaTitled(api: TestApi, title: string): Promise<{ $id: string; allOf: { $ref: string }[]; 'meta:class': string }> {
  const list = (await api.request('GET', `${registry}/tenant/schemas`, { headers: summaries })).json as { results: { $id: string; title: string }[] };
  const found = list.results.find((s) => s.title === title);
  expect(found, `no tenant schema titled ${title}`).toBeDefined();
  const response = await api.request('GET', `${registry}/tenant/schemas/${encodeURIComponent(found?.$id ?? '')}`, { headers: { accept: 'application/vnd.adobe.xed+json; version=1' } });
  expect(response.status, response.text).toBe(200);
  return response.json as { $id: string; allOf: { $ref: string }[]; 'meta:class': string };
}

/** Catalog's datasets on a schema, by name. */
async function dataSetsOn(api: TestApi, schemaId: string): Promise<string[]> {
  const body = (await api.request('GET', `/data/foundation/catalog/dataSets?limit=100&properties=name,schemaRef`)).json as Record<string, { name: string; schemaRef?: { id?: string } }>;
  return Object.values(body)
    .filter((d) => d.schemaRef?.id === schemaId)
    .map((d) => d.name);
}

describe('the console: the Schemas screen', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    api = await startApi(backend!);
    browser = await launchBrowser();
    page = await signedInPage(browser, api);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('pages through the standard classes as the registry does, and finds XDM Individual Profile by search', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Schemas' }).click();
    await page.getByRole('heading', { name: 'Schemas', exact: true }).waitFor();
    // The sandbox has no schemas yet: the empty state says so.
    await page.getByText('This sandbox has no schemas yet').waitFor();
    await page.getByRole('navigation', { name: 'Kinds' }).getByRole('link', { name: 'Classes' }).click();
    await page.getByRole('navigation', { name: 'Container' }).getByRole('link', { name: 'Standard library' }).click();
    const table = 'Classes of the standard library';

    const first = (await api.request('GET', `${registry}/global/classes?orderby=title&limit=50`, { headers: summaries })).json as { results: { title: string }[]; _page: { next: string } };
    expect(await titlesIn(page, table)).toEqual(first.results.map((r) => r.title));
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('status').filter({ hasText: 'Page 2' }).waitFor();
    const second = (await api.request('GET', `${registry}/global/classes?orderby=title&limit=50&start=${encodeURIComponent(first._page.next)}`, { headers: summaries })).json as { results: { title: string }[] };
    expect(await titlesIn(page, table)).toEqual(second.results.map((r) => r.title));
    // 91 classes: the second page is the last.
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('status').filter({ hasText: 'Page 1' }).waitFor();

    // Typed in lower case: the search ignores case.
    await page.getByLabel('Search classes by title').fill('individual profile');
    await page.waitForURL(/\?q=individual/);
    await page.getByRole('table', { name: table }).getByRole('row').nth(2).waitFor({ state: 'detached' });
    expect(await titlesIn(page, table)).toEqual(['XDM Individual Profile']);
    await screenshot(page, 'schemas');

    await page.getByLabel('Search classes by title').fill('no such class anywhere');
    await page.getByText('No class of the standard library has “no such class anywhere” in its title.').waitFor();
  });

  it("opens a field group: its fields as a tree and the classes it extends", async () => {
    await page.getByRole('navigation', { name: 'Kinds' }).getByRole('link', { name: 'Field groups' }).click();
    await page.getByLabel('Search field groups by title').fill('Personal Contact');
    await page.getByRole('link', { name: 'Personal Contact Details', exact: true }).click();
    await page.getByRole('heading', { name: 'Personal Contact Details' }).waitFor();
    const extended = page.getByRole('list', { name: 'Classes it extends' });
    await extended.getByRole('link', { name: 'XDM Individual Profile' }).waitFor();
    expect(await extended.getByRole('link').allTextContents()).toEqual(['XDM Individual Profile', 'XDM ExperienceEvent']);
    const fields = page.getByRole('list', { name: 'Schema fields' });
    await fields.getByRole('button', { name: 'personalEmail' }).click();
    await page.getByRole('list', { name: 'Fields of personalEmail' }).getByText('address', { exact: true }).waitFor();
    // The class's page, reached from the field group's.
    await extended.getByRole('link', { name: 'XDM Individual Profile' }).click();
    await page.getByRole('heading', { name: 'XDM Individual Profile' }).waitFor();
    await page.getByRole('list', { name: 'Schema fields' }).getByText('personID', { exact: true }).waitFor();
  });

  it('composes a schema from the Profile class and Personal Contact Details, as the registry then holds it', async () => {
    await page.getByRole('link', { name: 'Compose a schema from this class' }).click();
    await page.getByRole('heading', { name: 'Compose a schema' }).waitFor();
    expect(await page.getByLabel('Class', { exact: true }).inputValue()).toBe(profileClass);
    const groups = page.getByRole('list', { name: 'Field groups that fit' });
    await groups.getByRole('checkbox').first().waitFor();
    // Only field groups meant for the Profile class (or any class) are offered.
    const eventOnly = (await api.request('GET', `${registry}/global/fieldgroups/${encodeURIComponent('https://ns.adobe.com/xdm/context/experienceevent-environment-details')}`, { headers: summaries })).json;
    expect(await groups.getByRole('checkbox', { name: str(eventOnly, 'title'), exact: true }).count()).toBe(0);
    await page.getByLabel(/Find a field group/).fill('contact');
    await groups.getByRole('checkbox', { name: 'Personal Contact Details', exact: true }).check();
    await page.getByRole('list', { name: 'Chosen field groups' }).getByText('Personal Contact Details').waitFor();
    await page.getByLabel('Schema title').fill('Console customers');
    await screenshot(page, 'schema-compose');
    await page.getByRole('button', { name: 'Create the schema' }).click();
    await page.getByText('Schema “Console customers” created.').waitFor();
    await page.getByRole('list', { name: 'Schema fields' }).getByRole('button', { name: 'personalEmail' }).waitFor();

    const schema = await tenantSchemaTitled(api, 'Console customers');
    expect(schema['meta:class']).toBe(profileClass);
    expect(schema.allOf.map((entry) => entry.$ref)).toEqual([profileClass, contactDetails]);
  });

  it("refuses a second schema with the same title, with the registry's message and field", async () => {
    await page.getByRole('button', { name: 'Compose another schema' }).click();
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'XDM Individual Profile' });
    await page.getByLabel('Schema title').fill('Console customers');
    await page.getByRole('button', { name: 'Create the schema' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/titled "Console customers" already exists/);
    expect(await alert.textContent()).toContain('Field: /title');
  });

  it("creates a dataset from the schema's page, which Catalog then holds", async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Schemas' }).click();
    await page.getByRole('link', { name: 'Console customers' }).click();
    await page.getByRole('heading', { name: 'Console customers' }).waitFor();
    await page.getByRole('list', { name: 'Field groups' }).getByRole('link', { name: 'Personal Contact Details' }).waitFor();
    await page.getByText('No dataset uses this schema yet.').waitFor();
    await page.getByLabel('Dataset name').fill('Console customers dataset');
    await page.getByRole('button', { name: 'Create a dataset' }).click();
    await page.getByText('Dataset created:').waitFor();
    await page.getByRole('list', { name: 'Datasets on this schema' }).getByRole('link', { name: 'Console customers dataset' }).waitFor();

    const schema = await tenantSchemaTitled(api, 'Console customers');
    expect(await dataSetsOn(api, schema.$id)).toEqual(['Console customers dataset']);
    // The dataset's page shows the new schema's fields.
    await page.getByRole('list', { name: 'Datasets on this schema' }).getByRole('link', { name: 'Console customers dataset' }).click();
    await page.getByRole('heading', { name: 'Console customers dataset' }).waitFor();
    await page.getByRole('list', { name: 'Schema fields' }).getByRole('button', { name: 'personalEmail' }).waitFor();
  });
});

describe("the console: the wizard's new dataset on a new schema", () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let root: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-console-schemas-'));
    fs.writeFileSync(path.join(root, 'customers.csv'), 'Id,personalEmail_address,mobilePhone_number\nC1,ada@example.com,+44 1\nC2,alan@example.com,+44 2\n');
    api = await startApi(backend!);
    const response = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'Customer exports', auth: { specName: 'Local Directory', params: { rootPath: root } }, connectionSpec: { id: localFilesSpec, version: '1.0' } },
    });
    expect(response.status, response.text).toBe(201);
    browser = await launchBrowser();
    page = await signedInPage(browser, api);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('composes a schema and a dataset in the Target step, and maps the CSV to the new fields', async () => {
    await page.getByRole('link', { name: 'Add data from Local Files' }).click();
    await page.getByRole('button', { name: 'Use Customer exports' }).click();
    await page.getByRole('heading', { name: 'Select data' }).waitFor();
    await page.getByRole('button', { name: /customers\.csv/ }).click();
    await page.getByRole('table', { name: 'Preview of customers.csv' }).waitFor();
    await page.getByRole('button', { name: 'Use customers.csv' }).click();

    await page.getByRole('heading', { name: 'Target dataset' }).waitFor();
    await page.getByLabel('A new dataset on a new schema').check();
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'XDM Individual Profile' });
    await page.getByRole('list', { name: 'Field groups that fit' }).getByRole('checkbox', { name: 'Personal Contact Details', exact: true }).check();
    await page.getByLabel('Schema title').fill('Wizard customers');
    await page.getByLabel('Dataset name').fill('Customers from the wizard');
    await page.getByRole('button', { name: 'Create the schema and dataset' }).click();

    await page.getByRole('table', { name: 'Mapping rules' }).waitFor();
    // The new schema's fields are the targets, matched by name.
    expect(await page.getByLabel('Target field for personalEmail_address').inputValue()).toBe('personalEmail.address');
    expect(await page.getByLabel('Target field for mobilePhone_number').inputValue()).toBe('mobilePhone.number');

    const schema = await tenantSchemaTitled(api, 'Wizard customers');
    expect(schema.allOf.map((entry) => entry.$ref)).toEqual([profileClass, contactDetails]);
    expect(await dataSetsOn(api, schema.$id)).toEqual(['Customers from the wizard']);
    const flows = at((await api.request('GET', `${flowservice}/flows`)).json, 'items') as unknown[];
    expect(flows).toHaveLength(0);
  });
});
