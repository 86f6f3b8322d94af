import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const sandboxes = '/data/foundation/sandbox-management/sandboxes';
const connections = '/data/foundation/flowservice/connections';
const backends = await availableBackends();

describe.each(backends)('sandboxes and org isolation on $name', (backend) => {
  let api: TestApi;
  let connectionId: string;

  beforeAll(async () => {
    api = await startApi(backend);
    const created = await api.request('POST', connections, { body: tutorial.paypalBaseConnection });
    connectionId = str(created.json, 'id');
  });
  afterAll(async () => api?.close());

  it('lists the production sandbox every org has', async () => {
    const response = await api.request('GET', sandboxes);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ sandboxes: [{ name: 'prod', type: 'production', state: 'active', isDefault: true }] });
  });

  it('pages the list with limit and offset, both or neither, following _links', async () => {
    for (const name of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']) {
      expect((await api.request('POST', sandboxes, { body: { name, title: name, type: 'development' } })).status).toBe(201);
    }
    const whole = await api.request('GET', sandboxes);
    expect(whole.json).toMatchObject({ _page: { limit: 50, count: 6 }, _links: {} });
    const names = (at(whole.json, 'sandboxes') as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(['prod', 'page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
    const paged: string[] = [];
    let path: string | undefined = `${sandboxes}?limit=4&offset=1`;
    for (let pages = 0; path !== undefined; pages += 1) {
      expect(pages, 'pages followed').toBeLessThan(5);
      const page = await api.request('GET', path);
      expect(page.status, page.text).toBe(200);
      paged.push(...(at(page.json, 'sandboxes') as { name: string }[]).map((s) => s.name));
      if (pages === 0) expect(page.json).toMatchObject({ _page: { limit: 4, count: 4 }, _links: { next: { href: `${sandboxes}?limit=4&offset=5` }, prev: { href: `${sandboxes}?limit=4&offset=0` } } });
      path = at(page.json, '_links.next.href') as string | undefined;
    }
    expect(paged).toEqual(names.slice(1));
    const past = await api.request('GET', `${sandboxes}?limit=4&offset=40`);
    expect(past.json).toMatchObject({ sandboxes: [], _page: { limit: 4, count: 0 } });
    for (const [query, field] of [['limit=2', 'offset'], ['offset=3', 'limit'], ['limit=0&offset=0', 'limit'], ['limit=1001&offset=0', 'limit'], ['limit=2&offset=-1', 'offset']] as const) {
      const refused = await api.request('GET', `${sandboxes}?${query}`);
      expect(refused.status, query).toBe(400);
      expect(JSON.stringify(at(refused.json, 'report.errors')), query).toContain(field);
    }
    for (const name of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']) expect((await api.request('DELETE', `${sandboxes}/${name}`)).status).toBe(200);
  });

  it('creates a development sandbox whose objects are separate from prod', async () => {
    const created = await api.request('POST', sandboxes, { body: { name: 'dev-1', title: 'Development 1', type: 'development' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'dev-1', type: 'development', state: 'active' });
    expect((await api.request('GET', `${connections}/${connectionId}`, { sandbox: 'dev-1' })).status).toBe(404);
    const list = await api.request('GET', connections, { sandbox: 'dev-1' });
    expect(at(list.json, 'items')).toEqual([]);
    expect((await api.request('GET', `${connections}/${connectionId}`)).status).toBe(200);
  });

  it('refuses a duplicate sandbox name and a bad one', async () => {
    expect((await api.request('POST', sandboxes, { body: { name: 'dev-1', title: 'again', type: 'development' } })).status).toBe(409);
    const bad = await api.request('POST', sandboxes, { body: { name: 'Dev One', title: 'x', type: 'development' } });
    expect(bad.status).toBe(400);
    expect(at(bad.json, 'report.errors.0.path')).toBe('/name');
  });

  it('deletes a development sandbox with its objects, but never prod', async () => {
    await api.request('POST', connections, { body: tutorial.paypalBaseConnection, sandbox: 'dev-1' });
    const deleted = await api.request('DELETE', `${sandboxes}/dev-1`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ name: 'dev-1', state: 'deleted' });
    expect((await api.request('GET', connections, { sandbox: 'dev-1' })).status).toBe(404);
    expect((await api.request('DELETE', `${sandboxes}/prod`)).status).toBe(400);
  });

  it('refuses to delete a base connection that source connections are built on', async () => {
    const created = await api.request('POST', '/data/foundation/flowservice/sourceConnections', { body: tutorial.sourceConnection(connectionId) });
    const refused = await api.request('DELETE', `${connections}/${connectionId}`);
    expect(refused.status).toBe(400);
    expect(str(refused.json, 'detail')).toContain(str(created.json, 'id'));
  });

  it('hides one org\'s objects from another org', async () => {
    const other = await api.app.credentials.create('OTHERORG@AdobeOrg');
    const headers = {
      authorization: `Bearer ${other.access_token}`,
      'x-api-key': other.client_id,
      'x-gw-ims-org-id': other.ims_org,
    };
    const response = await api.request('GET', `${connections}/${connectionId}`, { headers });
    expect(response.status).toBe(404);
    expect(str(response.json, 'type')).toMatch(/FLOW-1439-404$/);
    expect(other.tenant_id).not.toBe(api.tenantId);
  });
});
