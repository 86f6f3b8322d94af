import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const flows = '/data/foundation/flowservice/flows';

/**
 * Adobe's flow-service.yaml types a flow's `scheduleParams.interval` as a string, `scheduleParams.startTime` as an
 * integer and `params.mappingVersion` as a string; clients generated from it parse answers so. Requests may send
 * either form; the flow answers in the declared one and keeps integers where it computes with them.
 */
describe.each(backends)('the types of a flow\'s answer on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
  });
  afterAll(async () => api?.close());

  const flowWith = (scheduleParams: Record<string, unknown>, mappingVersion: unknown) => {
    const body = tutorial.flow(ids.source, ids.target, ids.mapping);
    return { ...body, name: `typed ${JSON.stringify(scheduleParams)}`, scheduleParams, transformations: [body.transformations[0], { name: 'Mapping', params: { mappingId: ids.mapping, mappingVersion } }] };
  };
  const stored = async (flowId: string) => (await new ResourcesRepository(api.store.db).get('flowservice.flow', { orgId: api.credentials.ims_org, sandboxId: await sandboxId() }, flowId))?.body;
  const sandboxId = async () => str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id');

  it.each([
    ['numbers', { startTime: 1567411548, frequency: 'minute', interval: 30 }, 0],
    ['strings', { startTime: '1567411548', frequency: 'minute', interval: '30' }, '0'],
  ])('answers the declared types when the request sent %s, in GET /flows/{id} and GET /flows', async (_form, scheduleParams, mappingVersion) => {
    const created = await api.request('POST', flows, { body: flowWith(scheduleParams, mappingVersion) });
    expect(created.status, created.text).toBe(201);
    const id = str(created.json, 'id');
    const expected = { scheduleParams: { startTime: 1567411548, frequency: 'minute', interval: '30' }, mappingVersion: '0' };
    const one = at((await api.request('GET', `${flows}/${id}`)).json, 'items.0');
    const listed = (at((await api.request('GET', `${flows}?property=id==${id}`)).json, 'items') as unknown[])[0];
    for (const flow of [one, listed]) {
      expect(at(flow, 'scheduleParams')).toEqual(expected.scheduleParams);
      expect(at(flow, 'transformations.1.params')).toEqual({ mappingId: ids.mapping, mappingVersion: expected.mappingVersion });
    }
    // Inside, the schedule and the run plans compute with integers.
    expect(at(await stored(id), 'scheduleParams')).toEqual({ startTime: 1567411548, frequency: 'minute', interval: 30 });
    expect(at(await stored(id), 'transformations.1.params.mappingVersion')).toBe(0);
  });

  it('answers the declared types after a PATCH, and lastOperation.ops echoes the patched values in them too', async () => {
    const created = await api.request('POST', flows, { body: flowWith({ startTime: 1567411548, frequency: 'minute', interval: 30 }, 0) });
    const id = str(created.json, 'id');
    const patch = async (ops: unknown[]) => {
      const etag = str((await api.request('GET', `${flows}/${id}`)).json, 'items.0.etag');
      const response = await api.request('PATCH', `${flows}/${id}`, { body: ops, headers: { 'if-match': etag } });
      expect(response.status, response.text).toBe(200);
      return at((await api.request('GET', `${flows}/${id}`)).json, 'items.0');
    };

    const single = await patch([
      { op: 'replace', path: '/scheduleParams/interval', value: 45 },
      { op: 'replace', path: '/scheduleParams/startTime', value: '1567411600' },
      { op: 'replace', path: '/transformations/1/params/mappingVersion', value: 0 },
    ]);
    expect(at(single, 'scheduleParams')).toEqual({ startTime: 1567411600, frequency: 'minute', interval: '45' });
    expect(at(single, 'transformations.1.params.mappingVersion')).toBe('0');
    expect(at(single, 'lastOperation.ops')).toEqual([
      { op: 'replace', path: '/scheduleParams/interval', value: '45' },
      { op: 'replace', path: '/scheduleParams/startTime', value: 1567411600 },
      { op: 'replace', path: '/transformations/1/params/mappingVersion', value: '0' },
    ]);

    const whole = await patch([
      { op: 'replace', path: '/scheduleParams', value: { startTime: '1567411700', frequency: 'hour', interval: 2 } },
      { op: 'replace', path: '/transformations', value: [at(single, 'transformations.0'), { name: 'Mapping', params: { mappingId: ids.mapping, mappingVersion: 0 } }] },
    ]);
    expect(at(whole, 'scheduleParams')).toEqual({ startTime: 1567411700, frequency: 'hour', interval: '2' });
    expect(at(whole, 'lastOperation.ops.0.value')).toEqual({ startTime: 1567411700, frequency: 'hour', interval: '2' });
    expect(at(whole, 'lastOperation.ops.1.value.1.params')).toEqual({ mappingId: ids.mapping, mappingVersion: '0' });
    expect(at(await stored(id), 'scheduleParams')).toEqual({ startTime: 1567411700, frequency: 'hour', interval: 2 });
  });

  it('still refuses what is not a number, naming the field', async () => {
    const response = await api.request('POST', flows, { body: flowWith({ startTime: 1567411548, frequency: 'minute', interval: '30 minutes' }, 'latest') });
    expect(response.status).toBe(400);
    expect((at(response.json, 'report.errors') as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['/scheduleParams/interval', '/transformations/1/params/mappingVersion']));
  });

  it('answered in the shapes the official specs describe (no allowance for interval or mappingVersion)', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
