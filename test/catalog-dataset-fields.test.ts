import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { catalog, eventDataSet, ingestRecords, profileDataSet } from './support/catalog-fixture.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const dataSets = `${catalog}/dataSets`;
const backends = await availableBackends();

describe.each(backends)('the fields Catalog shows for a dataset on $name', (backend) => {
  let api: TestApi;
  let profile: { schemaId: string; dataSetId: string };
  let events: { schemaId: string; dataSetId: string };

  beforeAll(async () => {
    api = await startApi(backend);
    profile = await profileDataSet(api, 'Profiles');
    events = await eventDataSet(api, 'Events');
  });
  afterAll(async () => api?.close());

  it('classifies each dataset by its schema class behaviour, managed by the customer', async () => {
    const list = await api.request('GET', `${dataSets}?properties=classification,name`);
    expect(list.json).toEqual({
      [profile.dataSetId]: { name: 'Profiles', classification: { dataBehavior: 'record', managedBy: 'CUSTOMER' } },
      [events.dataSetId]: { name: 'Events', classification: { dataBehavior: 'time-series', managedBy: 'CUSTOMER' } },
    });
    const one = await api.request('GET', `${dataSets}/${events.dataSetId}`);
    expect(one.json).toMatchObject({
      [events.dataSetId]: {
        imsOrg: api.credentials.ims_org,
        sandboxId: expect.any(String),
        version: '1.0.0',
        state: 'DRAFT',
        schemaRef: { id: events.schemaId },
        viewId: expect.stringMatching(/^[0-9a-f]{24}$/),
        files: `@/dataSetFiles?dataSetId=${events.dataSetId}`,
        tags: { 'adobe/pqs/table': ['events'] },
        classification: { dataBehavior: 'time-series' },
      },
    });
  });

  it('derives the classification of a dataset stored before Tributary recorded it', async () => {
    const stored = at((await api.request('GET', `${dataSets}/${events.dataSetId}`)).json, events.dataSetId) as Record<string, unknown>;
    const { classification: _dropped, ...legacy } = stored;
    const id = 'a1b2c3d4e5f6a7b8c9d0e1f2';
    const scope = { orgId: api.credentials.ims_org, sandboxId: String(stored.sandboxId) };
    await new ResourcesRepository(api.store.db).insert(scope, { kind: 'catalog.dataSet', id, body: { ...legacy, id, name: 'Legacy', tags: { 'adobe/pqs/table': ['legacy'] } }, secret: null, etag: '1.0.0', createdAt: 1, updatedAt: 1 });
    const listed = await api.request('GET', `${dataSets}?name=Legacy&properties=classification`);
    expect(listed.json).toEqual({ [id]: { classification: { dataBehavior: 'time-series', managedBy: 'CUSTOMER' } } });
    expect((await api.request('DELETE', `${dataSets}/${id}`)).status).toBe(200);
  });

  it('refuses a classification that contradicts the schema, naming the field', async () => {
    const response = await api.request('PATCH', `${dataSets}/${profile.dataSetId}`, { body: { classification: { dataBehavior: 'time-series', managedBy: 'CUSTOMER' } } });
    expect(response.status).toBe(400);
    expect(at(response.json, 'report.errors.0.path')).toBe('/classification');
    expect(str(response.json, 'detail')).toContain('record');
  });

  it('reports the last, last successful and last failed batch of a dataset from its batches', async () => {
    const fresh = await api.request('GET', `${dataSets}/${profile.dataSetId}`);
    expect(at(fresh.json, `${profile.dataSetId}.lastBatchId`)).toBeUndefined();
    const good = await ingestRecords(api, profile.dataSetId, [{ _id: 'P1', person: { birthYear: 1990 } }]);
    const bad = await ingestRecords(api, profile.dataSetId, [{ _id: 'P2', person: { birthYear: 'never' } }]);
    const after = await api.request('GET', `${dataSets}/${profile.dataSetId}?properties=lastBatchId,lastBatchStatus,lastSuccessfulBatch,lastFailedBatch`);
    expect(after.json).toEqual({ [profile.dataSetId]: { lastBatchId: bad, lastBatchStatus: 'failed', lastSuccessfulBatch: good, lastFailedBatch: bad } });
    const last = await api.request('GET', `${catalog}/lastBatches?dataSetId=${profile.dataSetId},${events.dataSetId}`);
    expect(last.json).toEqual({
      [profile.dataSetId]: {
        lastBatchId: bad,
        lastBatchStatus: 'failed',
        lastSuccessfulBatchId: good,
        lastFailedBatchId: bad,
        imsOrg: api.credentials.ims_org,
        sandboxId: expect.any(String),
        created: expect.any(Number),
        updated: expect.any(Number),
      },
    });
    const filtered = await api.request('GET', `${catalog}/lastBatches?lastBatchStatus=success`);
    expect(filtered.json).toEqual({});
  });

  it('answers a lookup with its version as ETag, and takes it back in If-Match; a stale one is 412', async () => {
    const lookup = await api.request('GET', `${dataSets}/${events.dataSetId}`);
    const etag = lookup.headers.get('etag');
    expect(etag).toBe(`"${str(lookup.json, `${events.dataSetId}.version`)}"`);
    const stale = await api.request('PATCH', `${dataSets}/${events.dataSetId}`, { body: { description: 'x' }, headers: { 'if-match': '"0.0.1"' } });
    expect(stale.status).toBe(412);
    expect(at(stale.json, 'report.errors.0.path')).toBe('if-match');
    const fresh = await api.request('PATCH', `${dataSets}/${events.dataSetId}`, { body: { description: 'web events' }, headers: { 'if-match': etag ?? '' } });
    expect(fresh.status).toBe(200);
    const unchanged = await api.request('PATCH', `${dataSets}/${events.dataSetId}`, { body: { description: 'again' }, headers: { 'if-none-match': '1.0.1' } });
    expect(unchanged.status, 'If-None-Match naming the current version refuses the write').toBe(412);
    const changed = await api.request('PATCH', `${dataSets}/${events.dataSetId}`, { body: { description: 'again' }, headers: { 'if-none-match': '1.0.0' } });
    expect(changed.status).toBe(200);
    expect(at((await api.request('GET', `${dataSets}/${events.dataSetId}`)).json, `${events.dataSetId}.description`)).toBe('again');
  });

  it('takes back a whole dataset as a lookup answered it (PUT), keeping fields Catalog does not interpret', async () => {
    const created = await api.request('POST', dataSets, { body: { name: 'Luma style', schemaRef: { id: profile.schemaId, contentType: 'application/vnd.adobe.xed+json; version=1' }, aspect: 'production' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')?.split('/')[5], "Adobe's Luma collection reads the id from Location").toBe(str(created.json, '0').split('/').pop());
    const id = str(created.json, '0').split('/').pop() as string;
    const answered = at((await api.request('GET', `${dataSets}/${id}`)).json, id) as Record<string, unknown>;
    expect(answered.aspect).toBe('production');
    const put = await api.request('PUT', `${dataSets}/${id}`, { body: { ...answered, name: 'Luma renamed' } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual([`@/dataSets/${id}`]);
    const after = at((await api.request('GET', `${dataSets}/${id}`)).json, id) as Record<string, unknown>;
    expect(after).toMatchObject({ name: 'Luma renamed', aspect: 'production', version: '1.0.1', schemaRef: { id: profile.schemaId } });
    const forged = await api.request('PUT', `${dataSets}/${id}`, { body: { ...after, imsOrg: 'SOMEONE@AdobeOrg', viewId: 'abc' } });
    expect(forged.status).toBe(400);
    expect((at(forged.json, 'report.errors') as { path: string }[]).map((e) => e.path).sort()).toEqual(['/imsOrg', '/viewId']);
  });

  it('looks up several datasets at once, leaving out ids that name nothing', async () => {
    const both = await api.request('GET', `${dataSets}/${profile.dataSetId},ffffffffffffffffffffffff,${events.dataSetId}?properties=name`);
    expect(both.json).toEqual({ [profile.dataSetId]: { name: 'Profiles' }, [events.dataSetId]: { name: 'Events' } });
    expect(both.headers.get('etag')).toBeNull();
    expect((await api.request('GET', `${dataSets}/ffffffffffffffffffffffff`)).status).toBe(404);
  });

  it('merges a PATCH v2 body into nested fields, creating the missing levels', async () => {
    const patched = await api.request('PATCH', `${catalog}/v2/dataSets/${profile.dataSetId}`, { body: { description: 'v2', extensions: { acme: { owner: { team: 'payments' } } }, tags: { team: ['payments'] } } });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual([`@/dataSets/${profile.dataSetId}`]);
    const again = await api.request('PATCH', `${catalog}/v2/dataSets/${profile.dataSetId}`, { body: { extensions: { acme: { owner: { region: 'emea' } } } } });
    expect(again.status).toBe(200);
    const jsonPatch = await api.request('PATCH', `${catalog}/v2/dataSets/${profile.dataSetId}`, {
      body: [{ op: 'add', path: '/extensions/other/deeply/nested', value: 1 }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(jsonPatch.status).toBe(200);
    const after = at((await api.request('GET', `${dataSets}/${profile.dataSetId}`)).json, profile.dataSetId) as Record<string, unknown>;
    expect(after).toMatchObject({
      description: 'v2',
      extensions: { acme: { owner: { team: 'payments', region: 'emea' } }, other: { deeply: { nested: 1 } } },
      tags: { team: ['payments'], 'adobe/pqs/table': ['profiles'] },
    });
  });

  it('refuses row expiration, which Tributary does not enforce, and other mistakes, naming each field', async () => {
    const ttl = await api.request('PATCH', `${catalog}/v2/dataSets/${events.dataSetId}`, { body: { extensions: { adobe_lakeHouse: { rowExpiration: { ttlValue: 'P3M' } } } } });
    expect(ttl.status).toBe(400);
    expect(at(ttl.json, 'report.errors.0.path')).toBe('/extensions/adobe_lakeHouse/rowExpiration');
    const wrong = await api.request('PATCH', `${catalog}/v2/dataSets/${events.dataSetId}`, { body: { enableErrorDiagnostics: 'yes', tags: { a: 'b' } } });
    expect(wrong.status).toBe(400);
    expect((at(wrong.json, 'report.errors') as { path: string }[]).map((e) => e.path).sort()).toEqual(['/enableErrorDiagnostics', '/tags']);
    expect((await api.request('PATCH', `${catalog}/v2/dataSets/ffffffffffffffffffffffff`, { body: { description: 'x' } })).status).toBe(404);
    const whole = await api.request('PATCH', `${dataSets}/${events.dataSetId}`, { body: [{ op: 'replace', path: '', value: [1] }], headers: { 'content-type': 'application/json-patch+json' } });
    expect(whole.status, 'a patch that replaces the whole dataset with an array').toBe(400);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
