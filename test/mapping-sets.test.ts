import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const mappingSets = '/data/foundation/conversion/mappingSets';
const backends = await availableBackends();

describe.each(backends)('Data Prep mapping sets on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  const current = (mappings: unknown[]) => ({
    outputSchema: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
    mappings,
  });

  beforeAll(async () => {
    api = await startApi(backend);
    const schema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema });
    schemaId = str(schema.json, '$id');
  });
  afterAll(async () => api?.close());

  it('accepts the current dialect with attributes, statics and expressions', async () => {
    const created = await api.request('POST', mappingSets, {
      body: current([
        { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
        { sourceType: 'EXPRESSION', source: 'iif(first_name.equals(""), nullify(), upper(first_name))', destination: 'person.name.firstName' },
        { sourceType: 'STATIC', source: 'female', destination: 'person.gender' },
        { sourceType: 'ATTRIBUTE', source: '${E Mail}', destination: 'personalEmail.address' },
      ]),
    });
    expect(created.status).toBe(200);
    const id = str(created.json, 'id');
    const fetched = await api.request('GET', `${mappingSets}/${id}`);
    expect(fetched.json).toMatchObject({
      id,
      version: 0,
      outputSchema: { schemaRef: { id: schemaId } },
      xdmSchema: schemaId,
      mappings: [
        { sourceType: 'text/x.schema-path', source: 'id', destination: '_id', sourceAttribute: 'id', destinationXdmPath: '_id' },
        { sourceType: 'text/x.aep-xl', destination: 'person.name.firstName' },
        { sourceType: 'text/plain', source: 'female' },
        { destination: 'personalEmail.address' },
      ],
    });
    // What a client reads back it can send back as it is: the same rules, one version on.
    const resent = await api.request('PUT', `${mappingSets}/${id}`, { body: fetched.json });
    expect(resent.status).toBe(200);
    const again = await api.request('GET', `${mappingSets}/${id}`);
    expect(at(again.json, 'version')).toBe(1);
    const rules = (body: unknown) => (at(body, 'mappings') as Record<string, unknown>[]).map(({ sourceType, source, destination }) => ({ sourceType, source, destination }));
    expect(rules(again.json)).toEqual(rules(fetched.json));
    const mappings = await api.request('GET', `${mappingSets}/${id}/mappings`);
    expect(mappings.json).toHaveLength(4);
    const one = await api.request('GET', `${mappingSets}/${id}/mappings/${str(mappings.json, '0.id')}`);
    expect(at(one.json, 'destination')).toBe('_id');
  });

  it('lists every invalid mapping at once: unknown paths, type clashes, bad expressions', async () => {
    const response = await api.request('POST', mappingSets, {
      body: current([
        { sourceType: 'ATTRIBUTE', source: 'a', destination: 'person.nickname' },
        { sourceType: 'STATIC', source: 'lots', destination: 'person.birthYear' },
        { sourceType: 'EXPRESSION', source: 'upper(a', destination: 'person.name.lastName' },
        { sourceType: 'EXPRESSION', source: 'explode_everything(a)', destination: 'person.name.middleName' },
        { sourceType: 'STATIC', source: 'x', destination: 'person.gender' },
        { sourceType: 'ATTRIBUTE', source: 'name', destination: 'person.name' },
        { sourceType: 'ATTRIBUTE', source: 'first', destination: 'person.name.firstName' },
      ]),
    });
    expect(response.status).toBe(400);
    expect(str(response.json, 'type')).toMatch(/DPREP-1419-400$/);
    const paths = (at(response.json, 'report.errors') as { path: string; message: string }[]).map((e) => e.path);
    // person.name overlaps the lastName and middleName mappings and the firstName one after it.
    expect([...new Set(paths)]).toEqual(['/mappings/0', '/mappings/1', '/mappings/2', '/mappings/3', '/mappings/4', '/mappings/5', '/mappings/6']);
    expect(str(response.json, 'detail')).toContain('explode_everything');
  });

  it('validates without saving', async () => {
    const response = await api.request('POST', `${mappingSets}/validate`, {
      body: current([
        { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
        { sourceType: 'ATTRIBUTE', source: 'x', destination: 'nope' },
      ]),
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ validationResponse: [{ status: 'SUCCESS', errors: [] }, { status: 'FAILED', errors: [{ destination: 'nope' }] }] });
  });

  it('keeps every version: PUT adds one, GET ?version= reads an old one', async () => {
    const created = await api.request('POST', mappingSets, { body: { xdmSchema: schemaId, mappings: [{ sourceAttribute: 'Product_Id', destinationXdmPath: '_id' }] } });
    const id = str(created.json, 'id');
    const updated = await api.request('PUT', `${mappingSets}/${id}`, { body: current([{ sourceType: 'ATTRIBUTE', source: 'Id', destination: '_id' }]) });
    expect(updated.status).toBe(200);
    expect(at(updated.json, 'version')).toBe(1);
    expect(at((await api.request('GET', `${mappingSets}/${id}?version=0`)).json, 'mappings.0.source')).toBe('Product_Id');
    expect(at((await api.request('GET', `${mappingSets}/${id}`)).json, 'mappings.0.source')).toBe('Id');
    expect((await api.request('GET', `${mappingSets}/${id}?version=5`)).status).toBe(404);
    const list = await api.request('GET', `${mappingSets}?limit=10&start=0`);
    expect(at(list.json, '_page.count')).toBe(2);
  });

  it('validates expressions on their own', async () => {
    const ok = await api.request('POST', '/data/foundation/conversion/languages/el/validate', { body: { expression: 'concat(a, " ", ${b c})' } });
    expect(ok.json).toBe(true);
    const bad = await api.request('POST', '/data/foundation/conversion/languages/el/validate', { body: { expression: 'concat(a, ' } });
    expect(bad.status).toBe(400);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
