import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const registry = '/data/foundation/schemaregistry';
const full = 'application/vnd.adobe.xed-full+json; version=1';
const backends = await availableBackends();

describe.each(backends)('Schema Registry on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  let altId: string;
  let groupId: string;
  const get = (path: string, accept: string | undefined) => api.request('GET', `${registry}${path}`, { headers: { accept } });

  beforeAll(async () => {
    api = await startApi(backend);
    const group = await api.request('POST', `${registry}/tenant/mixins`, { body: tutorial.productFieldGroup(api.tenantId) });
    groupId = str(group.json, '$id');
    const schema = await api.request('POST', `${registry}/tenant/schemas`, {
      body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: groupId }] },
    });
    schemaId = str(schema.json, '$id');
    altId = str(schema.json, 'meta:altId');
  });
  afterAll(async () => api?.close());

  it('reports the tenant id in /stats, as clients read it from there', async () => {
    const stats = await get('/stats', undefined);
    expect(stats.json).toMatchObject({ imsOrg: api.credentials.ims_org, tenantId: api.tenantId, counts: { schemas: 1, mixins: 1 } });
    expect(at(stats.json, 'classUsage')).toHaveProperty(['https://ns.adobe.com/xdm/context/profile']);
  });

  it('resolves a schema fully with xed-full: standard fields, data types and tenant fields', async () => {
    const response = await get(`/tenant/schemas/${altId}`, full);
    expect(response.status).toBe(200);
    const properties = at(response.json, 'properties') as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['_id', 'person', 'personalEmail', 'homeAddress', `_${api.tenantId}`, '_repo']));
    expect(at(response.json, 'properties.person.properties.name.properties.firstName.type')).toBe('string');
    expect(at(response.json, 'properties.person.meta:referencedFrom')).toBe('https://ns.adobe.com/xdm/context/person');
    expect(at(response.json, `properties._${api.tenantId}.properties.product.properties.type.meta:xdmType`)).toBe('string');
    expect(at(response.json, 'allOf')).toBeUndefined();
  });

  it('looks schemas up by URL-encoded $id as well as by altId, and strips text with -notext', async () => {
    const raw = await get(`/tenant/schemas/${encodeURIComponent(schemaId)}`, 'application/vnd.adobe.xed+json; version=1');
    expect(at(raw.json, 'allOf.0.$ref')).toBe('https://ns.adobe.com/xdm/context/profile');
    const notext = await get(`/tenant/schemas/${altId}`, 'application/vnd.adobe.xed-full-notext+json; version=1');
    expect(at(notext.json, 'title')).toBeUndefined();
    expect(at(notext.json, 'properties.person.properties.name.title')).toBeUndefined();
    expect(at(notext.json, `properties._${api.tenantId}.properties.product.properties.description.type`)).toBe('string');
    expect(at(notext.json, 'properties.person.properties.name.properties.firstName.type')).toBe('string');
  });

  it('requires a versioned Accept on lookups and the right version', async () => {
    const unversioned = await get(`/tenant/schemas/${altId}`, 'application/vnd.adobe.xed+json');
    expect(str(unversioned.json, 'type')).toMatch(/XDM-1007-400$/);
    const plain = await get(`/tenant/schemas/${altId}`, 'application/json');
    expect(plain.status).toBe(406);
    const later = await get(`/tenant/schemas/${altId}`, 'application/vnd.adobe.xed+json; version=2');
    expect(str(later.json, 'type')).toMatch(/XDM-1012-404$/);
  });

  it('serves the global container: classes by altId, field groups under both names, behaviors', async () => {
    const profile = await get('/global/classes/_xdm.context.profile', 'application/vnd.adobe.xed+json; version=1');
    expect(profile.json).toMatchObject({ $id: 'https://ns.adobe.com/xdm/context/profile', title: 'XDM Individual Profile', 'meta:containerId': 'global' });
    const viaMixins = await get(`/global/mixins/${encodeURIComponent('https://ns.adobe.com/xdm/context/profile-person-details')}`, full);
    const viaFieldGroups = await get(`/global/fieldgroups/${encodeURIComponent('https://ns.adobe.com/xdm/context/profile-person-details')}`, full);
    expect(viaMixins.json).toEqual(viaFieldGroups.json);
    const behaviors = await get('/global/behaviors', 'application/vnd.adobe.xed-id+json');
    expect(at(behaviors.json, 'results')).toHaveLength(3);
    const globalGroups = await get('/global/fieldgroups?property=meta:intendedToExtend==https://ns.adobe.com/xdm/context/profile', 'application/vnd.adobe.xed-id+json');
    expect((at(globalGroups.json, 'results') as unknown[]).length).toBeGreaterThanOrEqual(3);
  });

  it('lists with xed-id summaries, orderby and start paging, and refuses unknown Accept types', async () => {
    for (const title of ['Zulu schema', 'Mike schema']) await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title } });
    const page = await get('/tenant/schemas?orderby=title&limit=2', 'application/vnd.adobe.xed-id+json');
    expect(page.json).toMatchObject({ results: [{ title: 'Mike schema' }, { title: 'PayPal target XDM schema' }], _page: { orderby: 'title', next: 'Zulu schema', count: 2 } });
    expect(Object.keys(at(page.json, 'results.0') as object).sort()).toEqual(['$id', 'meta:altId', 'title', 'version']);
    const rest = await get('/tenant/schemas?orderby=title&limit=2&start=Zulu%20schema', 'application/vnd.adobe.xed-id+json');
    expect(rest.json).toMatchObject({ results: [{ title: 'Zulu schema' }], _page: { next: null } });
    const wrong = await get('/tenant/schemas', 'application/vnd.adobe.unknown+json');
    expect(str(wrong.json, 'type')).toMatch(/XDM-1006-400$/);
  });

  it('refuses unknown references, field groups meant for another class, and duplicate titles', async () => {
    const unknown = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title: 'u', allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: 'https://ns.adobe.com/nope' }] } });
    expect(unknown.status).toBe(400);
    expect(at(unknown.json, 'report.sub-errors.0.path')).toBe('/allOf/1/$ref');
    const wrongClass = await api.request('POST', `${registry}/tenant/schemas`, {
      body: { title: 'w', type: 'object', allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: 'https://ns.adobe.com/xdm/context/experienceevent-commerce' }] },
    });
    expect(wrongClass.status).toBe(400);
    expect(str(wrongClass.json, 'detail')).toContain('experienceevent-commerce');
    const duplicate = await api.request('POST', `${registry}/tenant/schemas`, { body: tutorial.targetSchema });
    expect(duplicate.status).toBe(409);
  });

  it('accepts only plain values in enums (they reach SQL when data is validated)', async () => {
    const group = tutorial.productFieldGroup(api.tenantId);
    const bad = JSON.parse(JSON.stringify(group).replace('"type":{"type":"string"}', '"type":{"type":"string","enum":[1,["CAST((SELECT 1) AS INT)"]]}'));
    const response = await api.request('POST', `${registry}/tenant/fieldgroups`, { body: { ...bad, title: 'enum injection' } });
    expect(response.status).toBe(400);
    expect(str(response.json, 'detail')).toContain('enum');
  });

  it('keeps custom fields under the tenant namespace', async () => {
    const group = tutorial.productFieldGroup(api.tenantId);
    const response = await api.request('POST', `${registry}/tenant/fieldgroups`, {
      body: { ...group, title: 'outside namespace', definitions: { product: { properties: { product: { type: 'string' } } } } },
    });
    expect(response.status).toBe(400);
    expect(str(response.json, 'detail')).toContain(`_${api.tenantId}`);
  });

  it('creates identity descriptors on real fields only, one primary per schema', async () => {
    const descriptor = {
      '@type': 'xdm:descriptorIdentity',
      'xdm:sourceSchema': schemaId,
      'xdm:sourceVersion': 1,
      'xdm:sourceProperty': '/personalEmail/address',
      'xdm:namespace': 'Email',
      'xdm:property': 'xdm:code',
      'xdm:isPrimary': true,
    };
    const created = await api.request('POST', `${registry}/tenant/descriptors`, { body: descriptor });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ...descriptor, '@id': expect.stringMatching(/^[0-9a-f]{40}$/), 'meta:containerId': 'tenant' });
    const second = await api.request('POST', `${registry}/tenant/descriptors`, { body: descriptor });
    expect(second.status).toBe(400);
    const missing = await api.request('POST', `${registry}/tenant/descriptors`, { body: { ...descriptor, 'xdm:isPrimary': false, 'xdm:sourceProperty': '/nowhere' } });
    expect(at(missing.json, 'report.sub-errors.0.path')).toBe('/xdm:sourceProperty');
    const list = await get('/tenant/descriptors', 'application/vnd.adobe.xdm-id+json');
    expect(list.json).toEqual({ 'xdm:descriptorIdentity': [str(created.json, '@id')] });
    const withDesc = await get(`/tenant/schemas/${altId}`, 'application/vnd.adobe.xed-full-desc+json; version=1');
    expect(at(withDesc.json, 'meta:descriptors')).toHaveLength(1);
  });

  it('answers a lookup with the media type it chose, whatever else Accept lists', async () => {
    const response = await get(`/tenant/schemas/${altId}`, 'text/html; q=0.9, application/vnd.adobe.xed-full+json; version=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.adobe\.xed-full\+json; version=1/);
  });

  it('pages past runs of equal sort values without repeating them', async () => {
    const seen: string[] = [];
    let start: string | null = '';
    for (let page = 0; start !== null && page < 20; page += 1) {
      const response: { json: unknown } = await get(`/global/datatypes?orderby=version&limit=2${start ? `&start=${encodeURIComponent(start)}` : ''}`, 'application/vnd.adobe.xed-id+json');
      seen.push(...(at(response.json, 'results') as { $id: string }[]).map((r) => r.$id));
      start = at(response.json, '_page.next') as string | null;
    }
    expect(start).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses breaking changes to a schema that a dataset uses, but allows additions', async () => {
    const other = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title: 'Evolving schema' } });
    const otherAlt = str(other.json, 'meta:altId');
    await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(str(other.json, '$id')) });
    const removal = await api.request('PATCH', `${registry}/tenant/schemas/${otherAlt}`, { body: [{ op: 'remove', path: '/allOf/3' }, { op: 'remove', path: '/allOf/2' }] });
    expect(removal.status).toBe(400);
    expect(str(removal.json, 'detail')).toContain('personalEmail');
    const addition = await api.request('PATCH', `${registry}/tenant/schemas/${otherAlt}`, { body: [{ op: 'add', path: '/allOf/-', value: { $ref: groupId } }] });
    expect(addition.status).toBe(200);
  });

  it('bumps the version on PATCH and PUT, and refuses deleting what is in use', async () => {
    const patched = await api.request('PATCH', `${registry}/tenant/schemas/${altId}`, { body: [{ op: 'replace', path: '/description', value: 'changed' }] });
    expect(at(patched.json, 'version')).toBe('1.1');
    const inUse = await api.request('DELETE', `${registry}/tenant/mixins/${encodeURIComponent(groupId)}`);
    expect(inUse.status).toBe(400);
    await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(schemaId) });
    const schemaInUse = await api.request('DELETE', `${registry}/tenant/schemas/${altId}`);
    expect(schemaInUse.status).toBe(400);
    expect(str(schemaInUse.json, 'detail')).toContain('dataset');
    const globalDelete = await api.request('DELETE', `${registry}/tenant/classes/_xdm.context.profile`);
    expect(globalDelete.status).toBe(404);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
