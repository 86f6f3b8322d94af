/**
 * Unions, as AEP documents them (xdm/api/unions.md): schemas tagged `union` join the union of their class, which
 * the registry lists under /tenant/unions and resolves like a schema; enabling needs a primary identity.
 * Also the lookup Accept forms and `meta:class` in a schema body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const registry = '/data/foundation/schemaregistry';
const xed = 'application/vnd.adobe.xed+json; version=1';
const full = 'application/vnd.adobe.xed-full+json; version=1';
const profile = 'https://ns.adobe.com/xdm/context/profile';
const profileUnion = `${profile}__union`;
const backends = await availableBackends();

describe.each(backends)('Schema Registry unions on $name', (backend) => {
  let api: TestApi;
  let personSchema: { id: string; altId: string };
  const get = (path: string, accept: string | undefined) => api.request('GET', `${registry}${path}`, { headers: { accept } });
  const createSchema = async (title: string, allOf: string[], extra: Record<string, unknown> = {}) => {
    const response = await api.request('POST', `${registry}/tenant/schemas`, { body: { title, type: 'object', allOf: allOf.map(($ref) => ({ $ref })), ...extra } });
    return response;
  };
  const enable = async (altId: string) => api.request('PATCH', `${registry}/tenant/schemas/${altId}`, { body: [{ op: 'add', path: '/meta:immutableTags', value: ['union'] }] });

  beforeAll(async () => {
    api = await startApi(backend);
    const created = await createSchema('People', [profile, 'https://ns.adobe.com/xdm/context/profile-person-details']);
    personSchema = { id: str(created.json, '$id'), altId: str(created.json, 'meta:altId') };
  });
  afterAll(async () => api?.close());

  it('has no unions before a schema is enabled', async () => {
    const list = await get('/tenant/unions', 'application/vnd.adobe.xed-id+json');
    expect(list.json).toMatchObject({ results: [] });
    expect(at((await get('/stats', undefined)).json, 'counts.unions')).toBe(0);
  });

  it('refuses to enable a schema for Profile without a primary identity, naming meta:immutableTags', async () => {
    const response = await enable(personSchema.altId);
    expect(response.status).toBe(400);
    expect(at(response.json, 'report.errors.0.path')).toBe('/meta:immutableTags');
    expect(response.text).toContain('primary identity');
  });

  it('enables it once a primary identity descriptor exists, and lists the class\'s union', async () => {
    const descriptor = await api.request('POST', `${registry}/tenant/descriptors`, {
      body: { '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': personSchema.id, 'xdm:sourceVersion': 1, 'xdm:sourceProperty': '/person/name/fullName', 'xdm:namespace': 'Email', 'xdm:property': 'xdm:code', 'xdm:isPrimary': true },
    });
    expect(descriptor.status, descriptor.text).toBe(201);
    const enabled = await enable(personSchema.altId);
    expect(enabled.status, enabled.text).toBe(200);
    expect(at(enabled.json, 'meta:immutableTags')).toEqual(['union']);
    const list = await get('/tenant/unions', 'application/vnd.adobe.xed-id+json');
    expect(list.json).toMatchObject({ results: [{ $id: profileUnion, 'meta:altId': '_xdm.context.profile__union', title: `Union object for ${profile}` }] });
    expect(at((await get('/stats', undefined)).json, 'counts.unions')).toBe(1);
  });

  it('imports an enabled schema again into its own sandbox: the one there is reused, checked with its primary identity', async () => {
    const exported = await api.request('GET', `${registry}/rpc/export/${personSchema.altId}`);
    expect(exported.status, exported.text).toBe(200);
    expect(at(exported.json, '0.meta:immutableTags')).toEqual(['union']);
    const imported = await api.request('POST', `${registry}/rpc/import`, { body: exported.json });
    expect(imported.status, imported.text).toBe(200);
    expect(at(imported.json, '0.$id')).toBe(personSchema.id);
    expect(at((await get('/stats', undefined)).json, 'counts.schemas')).toBe(1);
  });

  it('gathers every member\'s field groups and the union fields, by $id or alt id, through /unions and /schemas', async () => {
    // identityMap is a primary identity too: this one can be enabled as it is created.
    const second = await createSchema('Contacts', [profile, 'https://ns.adobe.com/xdm/context/profile-personal-details', 'https://ns.adobe.com/xdm/context/identitymap'], { 'meta:immutableTags': ['union'] });
    expect(second.status, second.text).toBe(201);
    const union = await get(`/tenant/unions/${encodeURIComponent(profileUnion)}`, xed);
    expect(union.status).toBe(200);
    expect(union.json).toMatchObject({ $id: profileUnion, 'meta:resourceType': 'unions', 'meta:class': profile, 'meta:containerId': 'tenant', imsOrg: api.credentials.ims_org });
    const refs = (at(union.json, 'allOf') as { $ref: string }[]).map((entry) => entry.$ref);
    expect(refs[0]).toBe(profile);
    expect(refs).toEqual(expect.arrayContaining(['https://ns.adobe.com/xdm/context/profile-person-details', 'https://ns.adobe.com/xdm/context/profile-personal-details', 'https://ns.adobe.com/xdm/context/identitymap', 'https://ns.adobe.com/xdm/context/profile-segmentation', 'https://ns.adobe.com/xdm/data/record-timeseries-events']));
    expect(new Set(refs).size).toBe(refs.length);
    const resolved = await get('/tenant/unions/_xdm.context.profile__union', full);
    expect(Object.keys(at(resolved.json, 'properties') as object)).toEqual(expect.arrayContaining(['person', 'homeAddress', 'identityMap', 'segmentMembership', 'timeSeriesEvents', '_id']));
    const viaSchemas = await get(`/tenant/schemas/${encodeURIComponent(profileUnion)}`, xed);
    expect(viaSchemas.json).toEqual(union.json);
    expect(api.contractViolations).toEqual([]);
  });

  it('keeps one union per class, and unions read-only', async () => {
    const events = await createSchema('Events', ['https://ns.adobe.com/xdm/context/experienceevent'], { 'meta:immutableTags': ['union'] });
    expect(events.status, events.text).toBe(201);
    const list = await get('/tenant/unions?orderby=title', 'application/vnd.adobe.xed-id+json');
    expect((at(list.json, 'results') as { $id: string }[]).map((u) => u.$id).sort()).toEqual(['https://ns.adobe.com/xdm/context/experienceevent__union', profileUnion]);
    const write = await api.request('POST', `${registry}/tenant/unions`, { body: { title: 'mine', type: 'object', allOf: [{ $ref: profile }] } });
    expect(write.status).toBe(400);
    const untag = await api.request('PATCH', `${registry}/tenant/schemas/${personSchema.altId}`, { body: [{ op: 'remove', path: '/meta:immutableTags' }] });
    expect(untag.status).toBe(400);
    expect((await get('/tenant/unions/_xdm.context.nothing__union', xed)).status).toBe(404);
    expect((await get('/global/unions', 'application/vnd.adobe.xed-id+json')).json).toMatchObject({ results: [] });
  });
});

describe.each(backends)('Schema Registry lookups and meta:class on $name', (backend) => {
  let api: TestApi;
  const get = (path: string, accept: string | undefined) => api.request('GET', `${registry}${path}`, { headers: accept === undefined ? {} : { accept } });

  beforeAll(async () => {
    api = await startApi(backend);
  });
  afterAll(async () => api?.close());

  it('answers a lookup with xed-id, versioned or not, with the resource\'s summary, as Adobe\'s collection asks', async () => {
    for (const accept of ['application/vnd.adobe.xed-id+json', 'application/vnd.adobe.xed-id+json; version=1']) {
      const response = await get('/global/classes/_xdm.context.profile', accept);
      expect(response.status, accept).toBe(200);
      expect(response.json).toEqual({ $id: profile, 'meta:altId': '_xdm.context.profile', version: '1.0', title: 'XDM Individual Profile' });
    }
  });

  it('gives AEP\'s documented errors: a version is required for full documents, a media type at all', async () => {
    const unversioned = await get('/global/classes/_xdm.context.profile', 'application/vnd.adobe.xed-full+json');
    expect(unversioned.status).toBe(400);
    expect(str(unversioned.json, 'type')).toMatch(/XDM-1007-400$/);
    expect((await get('/global/classes/_xdm.context.profile', 'application/json')).status).toBe(406);
    expect((await get('/global/classes/_xdm.context.profile', undefined)).status).toBe(406);
  });

  it('accepts meta:class naming the allOf class by $id, alt id or bare id, and refuses another class naming both', async () => {
    const cls = await api.request('POST', `${registry}/tenant/classes`, { body: { title: 'Sales record', type: 'object', allOf: [{ $ref: 'https://ns.adobe.com/xdm/data/record' }] } });
    const classId = str(cls.json, '$id');
    const bare = classId.split('/').pop() ?? '';
    for (const [n, name] of [classId, str(cls.json, 'meta:altId'), `schema://${bare}`].entries()) {
      const schema = await api.request('POST', `${registry}/tenant/schemas`, { body: { title: `Sales ${n}`, type: 'object', allOf: [{ $ref: classId }], 'meta:class': name } });
      expect(schema.status, `${name}: ${schema.text}`).toBe(201);
      expect(at(schema.json, 'meta:class')).toBe(classId);
    }
    const wrong = await api.request('POST', `${registry}/tenant/schemas`, { body: { title: 'Sales wrong', type: 'object', allOf: [{ $ref: classId }], 'meta:class': profile } });
    expect(wrong.status).toBe(400);
    expect(at(wrong.json, 'report.errors.0.path')).toBe('/meta:class');
    expect(wrong.text).toContain(profile);
    expect(wrong.text).toContain(classId);
  });
});
