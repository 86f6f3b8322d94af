import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { catalog, profileDataSet } from './support/catalog-fixture.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const flowservice = '/data/foundation/flowservice';

/**
 * JSON lets a client send a NUL character in any string, and the bodies keep it; PostgreSQL's text columns cannot
 * hold one, so the index rows leave such a value out. A write must never fail over it (it once answered 500).
 */
describe.each(backends)('a NUL character in what a client writes, on $name', (backend) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(backend);
  });
  afterAll(async () => api?.close());

  it('is kept in a connection name, which lists and reads back whole', async () => {
    const name = 'inlet\u0000one';
    const created = await api.request('POST', `${flowservice}/connections`, {
      body: { name, connectionSpec: { id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', version: '1.0' }, auth: { specName: 'Streaming Connection', params: { dataType: 'xdm' } } },
    });
    expect(created.status, created.text).toBe(201);
    const id = str(created.json, 'id');
    expect(at((await api.request('GET', `${flowservice}/connections/${id}`)).json, 'items.0.name')).toBe(name);
    const listed = (at((await api.request('GET', `${flowservice}/connections?limit=100`)).json, 'items') as { id: string; name: string }[]).find((c) => c.id === id);
    expect(listed?.name).toBe(name);
  });

  it('is kept in a tag value and namespace, and a tag lookup still answers for the others', async () => {
    const { dataSetId } = await profileDataSet(api, 'nul tags');
    const patched = await api.request('PATCH', `${catalog}/dataSets/${dataSetId}`, { body: { tags: { team: ['a\u0000b', 'plain'], 'odd\u0000ns': ['x'] } } });
    expect(patched.status, patched.text).toBe(200);
    expect(at((await api.request('GET', `${catalog}/dataSets/${dataSetId}`)).json, `${dataSetId}.tags.team`)).toEqual(['a\u0000b', 'plain']);
    expect((await api.request('GET', `${catalog}/tags/team`)).json).toEqual({ objectType: { dataSets: [`@/dataSets/${dataSetId}`] }, team: ['plain'] });
  });

  it.each([
    '/data/foundation/catalog/tags/a%00b',
    '/data/foundation/catalog/dataSets/a%00b',
    '/data/foundation/catalog/batches/a%00b',
    '/data/foundation/flowservice/connections/a%00b',
    '/data/foundation/flowservice/sourceConnections/a%00b',
    '/data/foundation/flowservice/flows/a%00b',
    '/data/foundation/flowservice/runs/a%00b',
    '/data/foundation/conversion/mappingSets/a%00b',
    '/data/foundation/schemaregistry/tenant/schemas/a%00b',
    '/data/foundation/sandbox-management/sandboxes/a%00b',
    '/data/foundation/query/queries/a%00b',
    '/data/foundation/import/batches/a%00b/datasets/x/files',
  ])('answers %s as a client mistake (nothing has such an id), never a 500', async (url) => {
    const answer = await api.request('GET', url);
    expect(answer.status >= 400 && answer.status < 500, `${answer.status} ${answer.text}`).toBe(true);
    expect(api.contractViolations).toEqual([]);
  });

  it.each(['/data/foundation/conversion/mappingSets?name=a%00b', '/data/foundation/flowservice/flows?property=name==a%00b', '/data/foundation/catalog/dataSets?name=a%00b'])(
    'answers the filter in %s, which nothing matches',
    async (url) => {
      const answer = await api.request('GET', url);
      expect(answer.status, answer.text).toBe(200);
      expect(api.contractViolations).toEqual([]);
    },
  );
});
