import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { loyaltyResources, otherOrg, registry } from './support/registry-fixtures.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const placeholder = '<XDM_TENANTID_PLACEHOLDER>';
const full = 'application/vnd.adobe.xed-full+json; version=1';

describe.each(backends)('Schema Registry export and import on $name', (backend) => {
  let api: TestApi;
  let source: Awaited<ReturnType<typeof loyaltyResources>>;
  let payload: Record<string, unknown>[];
  let other: Awaited<ReturnType<typeof otherOrg>>;
  const hexOf = (id: string) => id.split('/').pop();

  beforeAll(async () => {
    api = await startApi(backend);
    source = await loyaltyResources(api);
    other = await otherOrg(api, 'IMPORTER@AdobeOrg');
  });
  afterAll(async () => api?.close());

  it('exports a schema with the tenant components it builds on, dependencies first, tenant id replaced', async () => {
    // Adobe's Postman collection sends an xed-id Accept and a JSON Content-Type on this GET.
    const response = await api.request('GET', `${registry}/rpc/export/${source.schemaAltId}`, { headers: { accept: 'application/vnd.adobe.xed-id+json', 'content-type': 'application/json' } });
    expect(response.status, response.text).toBe(200);
    payload = response.json as Record<string, unknown>[];
    expect(payload.map((doc) => doc['meta:resourceType'])).toEqual(['datatypes', 'mixins', 'schemas']);
    expect(payload.map((doc) => hexOf(String(doc.$id)))).toEqual([source.dataTypeId, source.fieldGroupId, source.schemaId].map(hexOf));
    expect(payload[2]).toMatchObject({ $id: `https://ns.adobe.com/${placeholder}/schemas/${hexOf(source.schemaId)}`, 'meta:altId': `_${placeholder}.schemas.${hexOf(source.schemaId)}`, title: 'Loyalty members' });
    expect(at(payload[1], `definitions.loyalty.properties._${placeholder}.properties.loyalty.$ref`)).toBe(`https://ns.adobe.com/${placeholder}/datatypes/${hexOf(source.dataTypeId)}`);
    const text = JSON.stringify(payload);
    expect(text).not.toContain(api.tenantId);
    expect(text).not.toContain(api.credentials.ims_org);
    for (const doc of payload) expect(Object.keys(doc)).not.toEqual(expect.arrayContaining(['meta:registryMetadata']));
    // The field group alone exports with its data type only.
    const fieldGroup = await api.request('GET', `${registry}/rpc/export/${encodeURIComponent(source.fieldGroupId)}`);
    expect((fieldGroup.json as unknown[]).map((doc) => at(doc, 'meta:resourceType'))).toEqual(['datatypes', 'mixins']);
  });

  it('imports the payload into another org: its tenant id, the same hex ids, references that resolve', async () => {
    const response = await api.request('POST', `${registry}/rpc/import`, { body: payload, headers: other.headers });
    expect(response.status, response.text).toBe(200);
    const imported = response.json as Record<string, unknown>[];
    expect(imported.map((doc) => doc.$id)).toEqual(payload.map((doc) => String(doc.$id).replace(placeholder, other.tenantId)));
    expect(imported[2]).toMatchObject({ imsOrg: other.orgId, 'meta:containerId': 'tenant', 'meta:tenantNamespace': `_${other.tenantId}`, version: '1.0', 'meta:class': 'https://ns.adobe.com/xdm/context/profile' });
    expect(JSON.stringify(imported)).not.toContain(placeholder);
    const schema = await api.request('GET', `${registry}/tenant/schemas/${encodeURIComponent(String(imported[2]?.$id))}`, { headers: { ...other.headers, accept: full } });
    expect(schema.status).toBe(200);
    expect(at(schema.json, `properties._${other.tenantId}.properties.loyalty.properties.tier.enum`)).toEqual(['bronze', 'silver', 'gold']);
    expect(at(schema.json, 'properties.person.meta:referencedFrom')).toBe('https://ns.adobe.com/xdm/context/person');
    // The source org is untouched, and sees nothing of the import.
    expect((await api.request('GET', `${registry}/stats`)).json).toMatchObject({ counts: { schemas: 1, mixins: 1, datatypes: 1 } });
  });

  it('imports into another sandbox of the same org, and again without duplicating what is already there', async () => {
    expect((await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'staging', title: 'Staging', type: 'development' } })).status).toBe(201);
    const first = await api.request('POST', `${registry}/rpc/import`, { body: payload, sandbox: 'staging' });
    expect(first.status, first.text).toBe(200);
    // prod holds these ids already (ids are unique across the store), so staging's copies get ids of their own.
    const [dataType, fieldGroup, schema] = first.json as Record<string, unknown>[];
    expect(schema?.$id).toMatch(new RegExp(`^https://ns\\.adobe\\.com/${api.tenantId}/schemas/[0-9a-f]{48}$`));
    expect(schema?.$id).not.toBe(source.schemaId);
    expect(at(schema, 'allOf.2.$ref')).toBe(fieldGroup?.$id);
    expect(at(fieldGroup, `definitions.loyalty.properties._${api.tenantId}.properties.loyalty.$ref`)).toBe(dataType?.$id);
    const resolved = await api.request('GET', `${registry}/tenant/schemas/${encodeURIComponent(String(schema?.$id))}`, { sandbox: 'staging', headers: { accept: full } });
    expect(at(resolved.json, `properties._${api.tenantId}.properties.loyalty.properties.points.maximum`)).toBe(1000000);
    const again = await api.request('POST', `${registry}/rpc/import`, { body: payload, sandbox: 'staging' });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual(first.json);
    expect((await api.request('GET', `${registry}/stats`, { sandbox: 'staging' })).json).toMatchObject({ counts: { schemas: 1, mixins: 1, datatypes: 1 } });
  });

  it('refuses a resource whose title another resource has, or whose $id exists with other content (XDM-3005-400), creating nothing', async () => {
    const third = await otherOrg(api, 'THIRD@AdobeOrg');
    await api.request('POST', `${registry}/tenant/datatypes`, { body: { title: 'Loyalty card', type: 'object', properties: { other: { type: 'string' } } }, headers: third.headers });
    const titled = await api.request('POST', `${registry}/rpc/import`, { body: payload, headers: third.headers });
    expect(titled.status).toBe(400);
    expect(str(titled.json, 'type')).toMatch(/XDM-3005-400$/);
    expect(str(titled.json, 'detail')).toContain('Title must be unique');
    expect(at(titled.json, 'report.sub-errors.0.path')).toBe('/0/title');
    expect((await api.request('GET', `${registry}/stats`, { headers: third.headers })).json).toMatchObject({ counts: { schemas: 0, mixins: 0, datatypes: 1 } });

    const fieldGroupId = String(payload[1]?.$id).replace(placeholder, other.tenantId);
    const patched = await api.request('PATCH', `${registry}/tenant/fieldgroups/${encodeURIComponent(fieldGroupId)}`, {
      body: [{ op: 'add', path: `/definitions/loyalty/properties/_${other.tenantId}/properties/nickname`, value: { type: 'string' } }],
      headers: other.headers,
    });
    expect(patched.status, patched.text).toBe(200);
    const changed = await api.request('POST', `${registry}/rpc/import`, { body: payload, headers: other.headers });
    expect(str(changed.json, 'type')).toMatch(/XDM-3005-400$/);
    expect(at(changed.json, 'report.sub-errors.0.path')).toBe('/1/$id');
  });

  it('answers unknown ids with 404 and standard resources with 400, in the registry error shape', async () => {
    for (const path of ['/rpc/export/_nope.schemas.0000', `/rpc/export/${encodeURIComponent('https://ns.adobe.com/nope/mixins/1234')}`]) {
      const missing = await api.request('GET', `${registry}${path}`);
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ type: expect.stringMatching(/XDM-1012-404$/), status: 404, title: expect.any(String), detail: expect.stringContaining('not found') });
    }
    const global = await api.request('GET', `${registry}/rpc/export/${encodeURIComponent('https://ns.adobe.com/xdm/context/profile')}`);
    expect(global.status).toBe(400);
    expect(at(global.json, 'report.sub-errors.0')).toMatchObject({ in: 'path', path: 'RESOURCE_ID' });
  });

  it('refuses malformed payloads with 400 naming the field, and writes nothing of a payload that fails part way', async () => {
    const cases: [unknown, string][] = [
      [{ $id: 'x' }, ''],
      [[], ''],
      [['text'], '/0'],
      [[{ title: 'no id' }], '/0/$id'],
      [[{ $id: 'https://ns.adobe.com/xdm/context/profile', title: 'standard' }], '/0/$id'],
      [[{ $id: `https://ns.adobe.com/${placeholder}/widgets/abc`, title: 'odd type' }], '/0/$id'],
      [[{ ...payload[0], 'meta:resourceType': 'schemas' }], '/0/meta:resourceType'],
      [[payload[0], payload[0]], '/1/$id'],
    ];
    for (const [body, path] of cases) {
      const response = await api.request('POST', `${registry}/rpc/import`, { body, headers: other.headers, sandbox: 'prod' });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(str(response.json, 'type')).toMatch(/^https:\/\/ns\.adobe\.com\/aep\/errors\/XDM-\d{4}-400$/);
      expect(at(response.json, 'report.sub-errors.0.path'), JSON.stringify(body)).toBe(path);
    }
    const fourth = await otherOrg(api, 'FOURTH@AdobeOrg');
    // The schema names a field group the payload leaves out and the sandbox does not have.
    const partial = await api.request('POST', `${registry}/rpc/import`, { body: [payload[0], payload[2]], headers: fourth.headers });
    expect(partial.status).toBe(400);
    expect(at(partial.json, 'report.sub-errors.0.path')).toMatch(/^\/1\/allOf\/2/);
    expect((await api.request('GET', `${registry}/stats`, { headers: fourth.headers })).json).toMatchObject({ counts: { schemas: 0, mixins: 0, datatypes: 0 } });
    const broken = JSON.parse(JSON.stringify(payload[1]).replace('"type":"object","properties"', '"type":"objekt","properties"')) as Record<string, unknown>;
    const invalid = await api.request('POST', `${registry}/rpc/import`, { body: [payload[0], broken], headers: fourth.headers });
    expect(invalid.status).toBe(400);
    expect(at(invalid.json, 'report.sub-errors.0.path')).toMatch(/^\/1\/definitions\//);
  });

  it('keeps every answer within the Schema Registry spec', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
