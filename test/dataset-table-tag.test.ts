import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { catalog, ingestRecords, profileDataSet, queriedIds } from './support/catalog-fixture.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const dataSets = `${catalog}/dataSets`;
const tagPath = '/tags/adobe~1pqs~1table';
const backends = await availableBackends();

describe.each(backends)('a dataset\'s SQL table name (adobe/pqs/table) on $name', (backend) => {
  let api: TestApi;
  let profile: { schemaId: string; dataSetId: string };

  beforeAll(async () => {
    api = await startApi(backend);
    profile = await profileDataSet(api, 'Table tag profiles');
    await ingestRecords(api, profile.dataSetId, [{ _id: 'P1', person: { birthYear: 1990 } }]);
  });
  afterAll(async () => api?.close());

  it.each([
    ['a NUL', 'bad\u0000name'],
    ['a double quote', 'x"; DROP'],
    ['upper case and a space', 'My Table'],
    ['an empty name', ''],
    ['a name past 128 characters', 'a'.repeat(129)],
  ])('refuses %s on create, naming the tag', async (_what, table) => {
    const response = await api.request('POST', dataSets, { body: { name: 'Tagged', schemaRef: { id: profile.schemaId, contentType: 'application/vnd.adobe.xed+json;version=1' }, tags: { 'adobe/pqs/table': [table] } } });
    expect(response.status, response.text).toBe(400);
    expect(at(response.json, 'report.errors.0')).toMatchObject({ in: 'body', path: tagPath });
  });

  it('refuses two names, and a bad name in an update, leaving the dataset as it was', async () => {
    const two = await api.request('PATCH', `${dataSets}/${profile.dataSetId}`, { body: { tags: { 'adobe/pqs/table': ['a', 'b'] } } });
    expect(two.status, two.text).toBe(400);
    expect(at(two.json, 'report.errors.0.path')).toBe(tagPath);
    const nul = await api.request('PATCH', `${dataSets}/${profile.dataSetId}`, { body: { tags: { 'adobe/pqs/table': ['p\u0000'] } } });
    expect(nul.status, nul.text).toBe(400);
    const stored = await api.request('GET', `${dataSets}/${profile.dataSetId}`);
    expect(str(stored.json, `${profile.dataSetId}.tags.adobe/pqs/table.0`)).toBe('table_tag_profiles');
  });

  it('accepts a name of lower-case letters, digits and underscores, and answers queries through it', async () => {
    const response = await api.request('PATCH', `${dataSets}/${profile.dataSetId}`, { body: { tags: { 'adobe/pqs/table': ['profiles_2024'] } } });
    expect(response.status, response.text).toBe(200);
    expect(await queriedIds(api, profile.dataSetId)).toEqual(['P1']);
  });

  it('leaves out of SQL a dataset stored with a bad name before the check, instead of failing every query', async () => {
    // A dataset with data whose tag was written before Catalog checked it.
    const legacy = await profileDataSet(api, 'Legacy profiles');
    await ingestRecords(api, legacy.dataSetId, [{ _id: 'L1', person: { birthYear: 1980 } }]);
    const repo = new ResourcesRepository(api.store.db);
    const sandboxId = str((await api.request('GET', `${dataSets}/${legacy.dataSetId}`)).json, `${legacy.dataSetId}.sandboxId`);
    const scope = { orgId: api.credentials.ims_org, sandboxId };
    const stored = await repo.get('catalog.dataSet', scope, legacy.dataSetId);
    if (!stored) throw new Error('the legacy dataset is not stored');
    const body = { ...(stored.body as Record<string, unknown>), tags: { 'adobe/pqs/table': ['legacy\u0000table'] } };
    expect(await repo.update(scope, { ...stored, body }, stored.etag)).toBe(true);
    expect(await queriedIds(api, profile.dataSetId)).toEqual(['P1']);
    // A statement about the catalog builds a view for every dataset, so the bad name would reach DuckDB.
    const tables = await api.request('POST', '/data/foundation/query/queries', { body: { dbName: 'prod:all', sql: 'SHOW TABLES' } });
    expect(tables.status, tables.text).toBe(202);
    expect((at(tables.json, 'rows') as { name: string }[]).map((r) => r.name).sort()).toEqual(['profiles_2024', 'profiles_2024_latest']);
    expect(api.contractViolations).toEqual([]);
  });
});
