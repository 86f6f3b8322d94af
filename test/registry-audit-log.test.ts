import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { loyaltyResources, otherOrg, registry } from './support/registry-fixtures.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

interface Entry {
  id: string;
  updatedUser: string;
  clientId: string;
  imsOrg: string;
  sandboxId: string;
  updatedTime: string;
  requestId: string;
  updates: { id: string; xdmType: string; action: string; path: string; value?: unknown }[];
}

describe.each(backends)('Schema Registry audit log on $name', (backend) => {
  let api: TestApi;
  let resources: Awaited<ReturnType<typeof loyaltyResources>>;
  const auditLog = async (id: string, headers?: Record<string, string>) => {
    const response = await api.request('GET', `${registry}/rpc/auditlog/${encodeURIComponent(id)}`, headers ? { headers } : {});
    expect(response.status, response.text).toBe(200);
    return response.json as Entry[];
  };
  const namespace = () => `/definitions/loyalty/properties/_${api.tenantId}/properties`;

  beforeAll(async () => {
    api = await startApi(backend);
    resources = await loyaltyResources(api);
  });
  afterAll(async () => api?.close());

  it('records a create with who made it, when, and the resource it created', async () => {
    const [created, ...older] = await auditLog(resources.fieldGroupId);
    expect(older).toEqual([]);
    expect(created).toMatchObject({
      id: resources.fieldGroupId,
      clientId: api.credentials.client_id,
      imsOrg: api.credentials.ims_org,
      updatedUser: expect.any(String),
      sandboxId: expect.any(String),
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      updates: [{ id: resources.fieldGroupId, xdmType: 'mixins', action: 'add', path: '', value: expect.objectContaining({ title: 'Loyalty details' }) }],
    });
    expect(created?.updatedTime).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/);
  });

  it('records PUT and PATCH with the paths they changed, most recent first', async () => {
    const id = encodeURIComponent(resources.fieldGroupId);
    const current = await api.request('GET', `${registry}/tenant/fieldgroups/${id}`, { headers: { accept: 'application/vnd.adobe.xed+json; version=1' } });
    const body = structuredClone(current.json) as Record<string, unknown>;
    body.description = 'Loyalty programme membership';
    const put = await api.request('PUT', `${registry}/tenant/fieldgroups/${id}`, { body });
    expect(put.status, put.text).toBe(200);
    const patch = await api.request('PATCH', `${registry}/tenant/fieldgroups/${id}`, {
      body: [
        { op: 'add', path: `${namespace()}/nickname`, value: { type: 'string', title: 'Nickname' } },
        { op: 'remove', path: `${namespace()}/memberSince` },
      ],
    });
    expect(patch.status, patch.text).toBe(200);
    const [patched, replaced, created] = await auditLog(resources.fieldGroupId);
    expect(patched?.updates).toEqual([
      { id: resources.fieldGroupId, xdmType: 'mixins', action: 'remove', path: `${namespace()}/memberSince`, value: { type: 'string', format: 'date', 'meta:xdmType': 'date' } },
      { id: resources.fieldGroupId, xdmType: 'mixins', action: 'add', path: `${namespace()}/nickname`, value: { type: 'string', title: 'Nickname', 'meta:xdmType': 'string' } },
    ]);
    expect(replaced?.updates).toEqual([{ id: resources.fieldGroupId, xdmType: 'mixins', action: 'replace', path: '/description', value: 'Loyalty programme membership' }]);
    expect(created?.updates[0]?.path).toBe('');
    expect(new Set([patched?.requestId, replaced?.requestId, created?.requestId]).size).toBe(3);
    // Looked up by altId, the log is the same.
    expect(await auditLog(str(put.json, 'meta:altId'))).toEqual(await auditLog(resources.fieldGroupId));
  });

  it("shows a schema the changes of the tenant components it builds on, made since it exists", async () => {
    const entries = await auditLog(resources.schemaAltId);
    expect(entries.map((e) => e.id)).toEqual([resources.schemaId, resources.schemaId, resources.schemaId]);
    expect(entries.map((e) => e.updates[0]?.id)).toEqual([resources.fieldGroupId, resources.fieldGroupId, resources.schemaId]);
    expect(entries[2]?.updates[0]).toMatchObject({ xdmType: 'schemas', action: 'add', path: '' });
  });

  it('keeps the log of a deleted resource, ending with its removal, across a restart', async () => {
    expect((await api.request('DELETE', `${registry}/tenant/schemas/${encodeURIComponent(resources.schemaId)}`)).status).toBe(204);
    await api.restart();
    const [removed, ...rest] = await auditLog(resources.schemaAltId);
    expect(removed?.updates).toEqual([{ id: resources.schemaId, xdmType: 'schemas', action: 'remove', path: '', value: expect.objectContaining({ title: 'Loyalty members' }) }]);
    expect(rest).toHaveLength(1);
    expect((await auditLog(resources.fieldGroupId)).length).toBe(3);
  });

  it('records resources an import creates, in the importing org only', async () => {
    const payload = await api.request('GET', `${registry}/rpc/export/${encodeURIComponent(resources.fieldGroupId)}`);
    const other = await otherOrg(api, 'AUDITED@AdobeOrg');
    const imported = await api.request('POST', `${registry}/rpc/import`, { body: payload.json, headers: other.headers });
    expect(imported.status, imported.text).toBe(200);
    const fieldGroupId = str(imported.json, '1.$id');
    const entries = await auditLog(fieldGroupId, other.headers);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ imsOrg: other.orgId, updates: [{ action: 'add', path: '', xdmType: 'mixins' }] });
    const dataTypeEntries = await auditLog(str(imported.json, '0.$id'), other.headers);
    expect(dataTypeEntries[0]?.requestId).toBe(entries[0]?.requestId);
    expect((await api.request('GET', `${registry}/rpc/auditlog/${encodeURIComponent(fieldGroupId)}`)).status).toBe(404);
  });

  it('answers 404 in the registry error shape for an id with neither a resource nor a history, and [] for a standard one', async () => {
    const missing = await api.request('GET', `${registry}/rpc/auditlog/_${api.tenantId}.mixins.0123456789abcdef`);
    expect(missing.status).toBe(404);
    expect(str(missing.json, 'type')).toMatch(/XDM-1012-404$/);
    expect(at(missing.json, 'report.id')).toBe(`_${api.tenantId}.mixins.0123456789abcdef`);
    expect(await auditLog('https://ns.adobe.com/xdm/context/profile')).toEqual([]);
  });

  it('keeps every answer within the Schema Registry spec', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
