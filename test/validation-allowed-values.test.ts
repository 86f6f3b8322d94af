import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();

/**
 * A value outside a field's allowed set is answered with the field and the values that would do, in one problem,
 * whether the set is a spec's `enum`, a TypeBox union of literals or a Catalog enum, in a body, a query string, a
 * path or a Catalog sub-request: never Ajv's "must be equal to constant" once per value.
 */
describe.each(backends)('a value that is not allowed names the field and the allowed values, on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;
  const problemsOf = (json: unknown) => at(json, 'report.errors') as { in: string; path: string; message: string }[];

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
  });
  afterAll(async () => api?.close());

  it('Flow Service: a schedule frequency the flow spec does not list (and no misleading demand for an interval)', async () => {
    const response = await api.request('POST', '/data/foundation/flowservice/flows', {
      body: { ...tutorial.flow(ids.source, ids.target, ids.mapping), scheduleParams: { startTime: 1567411548, frequency: 'fortnight' } },
    });
    expect(response.status).toBe(400);
    expect(problemsOf(response.json)).toEqual([{ in: 'body', path: '/scheduleParams/frequency', message: 'must be one of: once, minute, hour, day, week' }]);
    expect(str(response.json, 'detail')).toContain('/scheduleParams/frequency: must be one of: once, minute, hour, day, week');
  });

  it('Flow Service: a query parameter outside its union of literals', async () => {
    const response = await api.request('GET', `/data/foundation/flowservice/connections/${ids.connection}/explore?objectType=everything`);
    expect(response.status).toBe(400);
    expect(problemsOf(response.json)).toEqual([{ in: 'query', path: '/objectType', message: 'must be one of: root, folder, file, table, rest' }]);
    expect(str(response.json, 'detail')).toBe('query /objectType must be one of: root, folder, file, table, rest');
  });

  it('Sandbox management: a body field outside its union of literals', async () => {
    const response = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'staging-1', title: 'Staging', type: 'staging' } });
    expect(response.status).toBe(400);
    expect(problemsOf(response.json)).toEqual([{ in: 'body', path: '/type', message: 'must be one of: development, production' }]);
  });

  it('Schema Registry: a path parameter outside its union of literals', async () => {
    const response = await api.request('GET', '/data/foundation/schemaregistry/shared/schemas');
    expect(response.status).toBe(400);
    expect(problemsOf(response.json)).toEqual([{ in: 'path', path: '/container', message: 'must be one of: global, tenant' }]);
  });

  it('Catalog: an enum field of a batch, posted directly and inside a batched request', async () => {
    const direct = await api.request('POST', '/data/foundation/catalog/batches', { body: { status: 'processing', inputFormat: { format: 'xml' }, relatedObjects: [{ type: 'dataSet', id: ids.dataSet }] } });
    expect(direct.status).toBe(400);
    expect(problemsOf(direct.json)).toEqual([{ in: 'body', path: '/inputFormat/format', message: 'must be one of: csv, parquet, json, avro' }]);

    const batched = await api.request('POST', '/data/foundation/catalog/', { body: [{ id: 'bad', resource: '/batches', method: 'POST', body: { status: 'processing', relatedObjects: [{ type: 'dataSet', id: ids.dataSet }], inputFormat: { format: 'xml' } } }] });
    expect(batched.status).toBe(400);
    expect(problemsOf(batched.json)).toEqual([{ in: 'body', path: '/0/body/inputFormat/format', message: 'must be one of: csv, parquet, json, avro' }]);
  });
});
