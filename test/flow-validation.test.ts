import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';
import * as tutorial from './support/tutorial-requests.js';

const flows = '/data/foundation/flowservice/flows';
const backends = await availableBackends();

describe.each(backends)('dataflow validation on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;
  const flowBody = () => tutorial.flow(ids.source, ids.target, ids.mapping);
  const errorPaths = (json: unknown) => ((at(json, 'report.errors') as { path: string }[] | undefined) ?? []).map((e) => e.path);

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
  });
  afterAll(async () => api?.close());

  it.each([
    ['interval under 15 for minute', { startTime: 1567411548, frequency: 'minute', interval: 10 }, '/scheduleParams/interval'],
    ['a non-numeric interval string', { startTime: 1567411548, frequency: 'minute', interval: 'thirty' }, '/scheduleParams/interval'],
    ['a fractional startTime string', { startTime: '1567411548.5', frequency: 'hour', interval: 1 }, '/scheduleParams/startTime'],
    ['an unknown frequency', { startTime: 1567411548, frequency: 'month', interval: 1 }, '/scheduleParams/frequency'],
    ['interval with frequency once', { startTime: 1567411548, frequency: 'once', interval: 1 }, '/scheduleParams'],
    ['no interval for hour', { startTime: 1567411548, frequency: 'hour' }, '/scheduleParams/interval'],
  ])('rejects %s with a 400 naming the field', async (_name, scheduleParams, path) => {
    const response = await api.request('POST', flows, { body: { ...flowBody(), scheduleParams } });
    expect(response.status).toBe(400);
    expect(errorPaths(response.json)).toContain(path);
  });

  it('accepts interval 1 for hour (the schedule schema, not the prose, decides)', async () => {
    const response = await api.request('POST', flows, { body: { ...flowBody(), scheduleParams: { startTime: 1567411548, frequency: 'hour', interval: 1, backfill: 'false' } } });
    expect(response.status).toBe(201);
    const flow = await api.request('GET', `${flows}/${str(response.json, 'id')}`);
    expect(at(flow.json, 'items.0.scheduleParams')).toEqual({ startTime: 1567411548, frequency: 'hour', interval: '1', backfill: false });
  });

  it('refuses `state` on create (FLOW-1410-400)', async () => {
    const response = await api.request('POST', flows, { body: { ...flowBody(), state: 'enabled' } });
    expect(str(response.json, 'type')).toMatch(/FLOW-1410-400$/);
  });

  it('refuses an unknown flow spec and a source its flow spec does not accept', async () => {
    const unknown = await api.request('POST', flows, { body: { ...flowBody(), flowSpec: { id: '00000000-0000-0000-0000-000000000000', version: '1.0' } } });
    expect(str(unknown.json, 'type')).toMatch(/FLOW-1413-400$/);
    const rest = await api.request('POST', flows, { body: { ...flowBody(), flowSpec: { id: '6499120c-0b15-42dc-936e-847ea3c24d72', version: '1.0' }, transformations: [flowBody().transformations[1]] } });
    expect(rest.status).toBe(400);
    expect(errorPaths(rest.json)).toContain('/sourceConnectionIds/0');
  });

  it('refuses unknown connection ids, naming each', async () => {
    const response = await api.request('POST', flows, { body: { ...flowBody(), sourceConnectionIds: ['missing-source'], targetConnectionIds: ['missing-target'] } });
    expect(response.status).toBe(400);
    expect(errorPaths(response.json)).toEqual(expect.arrayContaining(['/sourceConnectionIds/0', '/targetConnectionIds/0']));
  });

  it('checks the mapping: it must exist, have the version, and write the dataset\'s schema', async () => {
    const withMapping = (params: Record<string, unknown>) => ({ ...flowBody(), transformations: [flowBody().transformations[0], { name: 'Mapping', params }] });
    const missing = await api.request('POST', flows, { body: withMapping({ mappingId: 'ffffffffffffffffffffffffffffffff', mappingVersion: 0 }) });
    expect(str(missing.json, 'type')).toMatch(/FLOW-1419-400$/);
    const version = await api.request('POST', flows, { body: withMapping({ mappingId: ids.mapping, mappingVersion: 7 }) });
    expect(str(version.json, 'type')).toMatch(/FLOW-1412-400$/);
    const otherSchema = await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', {
      body: { ...tutorial.targetSchema, title: 'Another profile schema' },
    });
    const otherMapping = await api.request('POST', '/data/foundation/conversion/mappingSets', {
      body: { xdmSchema: str(otherSchema.json, '$id'), mappings: [{ sourceAttribute: 'Product_Id', destinationXdmPath: '_id' }] },
    });
    const mismatch = await api.request('POST', flows, { body: withMapping({ mappingId: str(otherMapping.json, 'id'), mappingVersion: 0 }) });
    expect(str(mismatch.json, 'type')).toMatch(/FLOW-1425-400$/);
  });

  it('needs a Mapping transformation and a delta column with a usable date pattern', async () => {
    const noMapping = await api.request('POST', flows, { body: { ...flowBody(), transformations: [flowBody().transformations[0]] } });
    expect(errorPaths(noMapping.json)).toContain('/transformations');
    const badPattern = await api.request('POST', flows, {
      body: { ...flowBody(), transformations: [{ name: 'Copy', params: { deltaColumn: { name: 'updatedAt', dateFormat: 'QQQ-bb' } } }, flowBody().transformations[1]] },
    });
    expect(errorPaths(badPattern.json)).toContain('/transformations/0/params/deltaColumn/dateFormat');
  });

  it('needs no delta column on a schedule for a source that finds changes itself (PayPal; see scheduled-change-capture)', async () => {
    const response = await api.request('POST', flows, { body: { ...flowBody(), transformations: [flowBody().transformations[1]] } });
    expect(response.status, response.text).toBe(201);
  });

  it('reports every problem of a bad body at once', async () => {
    const response = await api.request('POST', flows, { body: { flowSpec: { id: 42 }, sourceConnectionIds: 'x' } });
    expect(response.status).toBe(400);
    expect(errorPaths(response.json)).toEqual(expect.arrayContaining(['/name', '/flowSpec/id', '/sourceConnectionIds', '/targetConnectionIds']));
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
