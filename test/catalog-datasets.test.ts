import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const dataSets = '/data/foundation/catalog/dataSets';
const backends = await availableBackends();

describe.each(backends)('Catalog datasets on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    api = await startApi(backend);
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema });
    schemaId = str(schema.json, '$id');
    for (const name of ['Orders', 'Customers', 'Payments']) {
      const created = await api.request('POST', dataSets, { body: { ...tutorial.dataSet(schemaId), name, tags: { team: ['payments'] } } });
      ids.push(str(created.json, '0').split('/').pop() as string);
    }
  });
  afterAll(async () => api?.close());

  it('answers lists and lookups as objects keyed by id', async () => {
    const list = await api.request('GET', `${dataSets}?orderBy=asc:name`);
    expect(Object.keys(list.json as object)).toHaveLength(3);
    expect(Object.values(list.json as object).map((d: { name: string }) => d.name)).toEqual(['Customers', 'Orders', 'Payments']);
    const one = await api.request('GET', `${dataSets}/${ids[0]}`);
    expect(one.json).toMatchObject({ [ids[0]!]: { name: 'Orders', schemaRef: { id: schemaId }, imsOrg: api.credentials.ims_org, version: '1.0.0', tags: { team: ['payments'] } } });
  });

  it('pages with limit and start, projects with properties, filters by name and property', async () => {
    const page = await api.request('GET', `${dataSets}?orderBy=desc:name&limit=1&start=1&properties=name,nothing`);
    expect(page.json).toEqual({ [ids[0]!]: { name: 'Orders' } });
    const named = await api.request('GET', `${dataSets}?name=Orders,Payments&properties=name`);
    expect(Object.keys(named.json as object).sort()).toEqual([ids[0], ids[2]].sort());
    const property = await api.request('GET', `${dataSets}?property=name~^Cust&properties=name`);
    expect(Object.values(property.json as object)).toEqual([{ name: 'Customers' }]);
    const tagged = await api.request('GET', `${dataSets}?tags=team:payments&properties=name`);
    expect(Object.keys(tagged.json as object)).toHaveLength(3);
    const untagged = await api.request('GET', `${dataSets}?tags=team:finance&properties=name`);
    expect(untagged.json).toEqual({});
    const simple = await api.request('GET', `${dataSets}?name=!Orders&properties=name`);
    expect(Object.values(simple.json as object).map((d: { name: string }) => d.name).sort()).toEqual(['Customers', 'Payments']);
    expect((await api.request('GET', `${dataSets}?limit=0`)).status).toBe(400);
    expect((await api.request('GET', `${dataSets}?limit=101`)).status).toBe(400);
  });

  it('refuses a dataset whose schema does not exist, naming the field', async () => {
    const response = await api.request('POST', dataSets, { body: tutorial.dataSet('https://ns.adobe.com/nobody/schemas/0') });
    expect(response.status).toBe(400);
    expect(at(response.json, 'report.errors.0.path')).toBe('/schemaRef/id');
  });

  it('updates with a partial object or JSON Patch, bumping the version', async () => {
    const partial = await api.request('PATCH', `${dataSets}/${ids[0]}`, { body: { description: 'all orders' } });
    expect(partial.json).toEqual([`@/dataSets/${ids[0]}`]);
    const patch = await api.request('PATCH', `${dataSets}/${ids[0]}`, {
      body: [{ op: 'add', path: '/tags/unifiedProfile', value: ['enabled:true'] }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(patch.status).toBe(200);
    const fetched = await api.request('GET', `${dataSets}/${ids[0]}`);
    expect(at(fetched.json, `${ids[0]}.description`)).toBe('all orders');
    expect(at(fetched.json, `${ids[0]}.tags.unifiedProfile`)).toEqual(['enabled:true']);
    expect(at(fetched.json, `${ids[0]}.version`)).toBe('1.0.2');
    const readOnly = await api.request('PATCH', `${dataSets}/${ids[0]}`, { body: { imsOrg: 'OTHER@AdobeOrg' } });
    expect(readOnly.status).toBe(400);
  });

  it('deletes a dataset', async () => {
    const deleted = await api.request('DELETE', `${dataSets}/${ids[1]}`);
    expect(deleted.status).toBe(200);
    expect((await api.request('GET', `${dataSets}/${ids[1]}`)).status).toBe(404);
  });

  it('lists no batches before any run', async () => {
    const batches = await api.request('GET', '/data/foundation/catalog/batches');
    expect(batches.json).toEqual({});
    expect((await api.request('GET', '/data/foundation/catalog/batches/5e8918669cbbee18ad9771f3')).status).toBe(404);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
