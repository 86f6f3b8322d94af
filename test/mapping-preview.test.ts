import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const preview = '/data/foundation/conversion/mappingSets/preview';
const backends = await availableBackends();

describe.each(backends)('Data Prep mapping preview on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  const mappingSet = (mappings: unknown[]) => ({
    outputSchema: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
    mappings,
  });

  beforeAll(async () => {
    api = await startApi(backend);
    schemaId = str((await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema })).json, '$id');
  });
  afterAll(async () => api?.close());

  it("maps the docs' sample as the docs show: a number id becomes the string _id, names nest under person", async () => {
    const response = await api.request('POST', preview, {
      body: {
        data: [{ id: 1234, firstName: 'Jim', lastName: 'Seltzer' }],
        mappingSet: mappingSet([
          { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id', name: 'id', description: 'Identifier field' },
          { sourceType: 'ATTRIBUTE', source: 'firstName', destination: 'person.name.firstName' },
          { sourceType: 'ATTRIBUTE', source: 'lastName', destination: 'person.name.lastName' },
        ]),
      },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual([{ data: { _id: '1234', person: { name: { firstName: 'Jim', lastName: 'Seltzer' } } }, errors: null }]);
  });

  it('runs expressions and statics, and gives each row its own errors: the bad value is null, the row goes on', async () => {
    const response = await api.request('POST', preview, {
      body: {
        data: [
          { id: 'a', first: 'ada', born: '1815' },
          { id: 'b', first: 'alan', born: 'long ago' },
          { id: 'c', born: 1912 },
        ],
        mappingSet: mappingSet([
          { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
          { sourceType: 'EXPRESSION', source: 'upper(first)', destination: 'person.name.firstName' },
          { sourceType: 'ATTRIBUTE', source: 'born', destination: 'person.birthYear' },
          { sourceType: 'STATIC', source: 'female', destination: 'person.gender' },
        ]),
      },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual([
      { data: { _id: 'a', person: { name: { firstName: 'ADA' }, birthYear: 1815, gender: 'female' } }, errors: null },
      {
        data: { _id: 'b', person: { name: { firstName: 'ALAN' }, gender: 'female' } },
        errors: [expect.objectContaining({ destination: 'person.birthYear', source: 'born', sourceType: 'ATTRIBUTE', exception: expect.stringContaining('cannot convert') })],
      },
      { data: { _id: 'c', person: { birthYear: 1912, gender: 'female' } }, errors: null },
    ]);
  });

  it('says on every row when a source field is in no sample row, and previews a stored mapping set by id', async () => {
    const mappings = [
      { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
      { sourceType: 'ATTRIBUTE', source: 'fristName', destination: 'person.name.firstName' },
    ];
    const typo = await api.request('POST', preview, { body: { data: [{ id: 'x', firstName: 'Ada' }], mappingSet: mappingSet(mappings) } });
    expect(typo.json).toEqual([{ data: { _id: 'x' }, errors: [expect.objectContaining({ destination: 'person.name.firstName', source: 'fristName', exception: expect.stringContaining('fristName') })] }]);
    const stored = str((await api.request('POST', '/data/foundation/conversion/mappingSets', { body: mappingSet([mappings[0]]) })).json, 'id');
    const byId = await api.request('POST', preview, { body: { data: [{ id: 'y' }], mappingSet: { id: stored } } });
    expect(byId.json).toEqual([{ data: { _id: 'y' }, errors: null }]);
  });

  it('refuses what cannot be previewed with 400s naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ mappingSet: mappingSet([{ source: 'id', destination: '_id' }]) }, '/data'],
      [{ data: [1], mappingSet: mappingSet([{ source: 'id', destination: '_id' }]) }, '/data/0'],
      [{ data: [{}] }, '/mappingSet'],
      [{ data: [{}], mappingSet: mappingSet([{ source: 'id', destination: 'person.nickname' }]) }, '/mappingSet/mappings/0'],
      [{ data: [{}], mappingSet: { ...mappingSet([]), mappings: [{ destination: '_id' }] } }, '/mappingSet/mappings/0/source'],
      [{ data: [{}], mappingSet: { id: 'ffffffffffffffffffffffffffffffff' } }, '/mappingSet/id'],
    ];
    for (const [body, field] of cases) {
      const response = await api.request('POST', preview, { body });
      expect(response.status, field).toBe(400);
      expect(JSON.stringify(response.json), field).toContain(`"path":"${field}"`);
    }
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
