import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringLimits } from '../src/server/string-lengths.js';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type ApiResponse, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';
import * as tutorial from './support/tutorial-requests.js';

const foundation = '/data/foundation';
const backends = await availableBackends();
const longer = (field: keyof typeof stringLimits.freeText) => 'x'.repeat(stringLimits.freeText[field] + 1);

function expectTooLong(response: ApiResponse, path: string): void {
  expect(response.status, response.text).toBe(400);
  expect(at(response.json, 'report.errors')).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', path, message: expect.stringMatching(/characters long; at most \d+ are accepted/) })]));
}

describe.each(backends)('length limits on the strings of request bodies on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
  });
  afterAll(async () => api?.close());

  it('refuses a JSON body past the body limit with 413, and stores nothing', async () => {
    const response = await api.request('POST', `${foundation}/catalog/dataSets`, { body: { ...tutorial.dataSet(ids.schema), name: 'Huge', description: 'x'.repeat(15 * 1024 * 1024) } });
    expect(response.status, response.text.slice(0, 300)).toBe(413);
    const listed = await api.request('GET', `${foundation}/catalog/dataSets?name=Huge`);
    expect(listed.json).toEqual({});
  });

  it('refuses a dataset description, name or a Catalog sub-request past their caps, naming the field', async () => {
    expectTooLong(await api.request('POST', `${foundation}/catalog/dataSets`, { body: { ...tutorial.dataSet(ids.schema), description: longer('description') } }), '/description');
    expectTooLong(await api.request('PATCH', `${foundation}/catalog/dataSets/${ids.dataSet}`, { body: { name: longer('name') } }), '/name');
    const batched = await api.request('POST', `${foundation}/catalog`, { body: [{ id: 'a', method: 'POST', resource: '/dataSets', body: { ...tutorial.dataSet(ids.schema), name: longer('name') } }] });
    expectTooLong(batched, '/0/body/name');
  });

  it('refuses Flow Service names and descriptions, also through JSON Patch, and leaves the object as it was', async () => {
    expectTooLong(await api.request('POST', `${foundation}/flowservice/connections`, { body: { ...tutorial.paypalBaseConnection, description: longer('description') } }), '/description');
    const path = `${foundation}/flowservice/flows/${ids.flow}`;
    const etag = str((await api.request('GET', path)).json, 'items.0.etag');
    const patched = await api.request('PATCH', path, { body: [{ op: 'replace', path: '/name', value: longer('name') }], headers: { 'if-match': etag } });
    expectTooLong(patched, '/0/value');
    expect(str((await api.request('GET', path)).json, 'items.0.etag')).toBe(etag);
  });

  it('refuses a mapping set description, a sandbox title and Schema Registry titles and descriptions at any depth', async () => {
    expectTooLong(await api.request('POST', `${foundation}/conversion/mappingSets`, { body: { ...tutorial.mappingSet(ids.schema), description: longer('description') } }), '/description');
    expectTooLong(await api.request('POST', `${foundation}/sandbox-management/sandboxes`, { body: { name: 'dev-long', title: longer('title'), type: 'development' } }), '/title');
    const group = tutorial.productFieldGroup(api.tenantId);
    expectTooLong(await api.request('POST', `${foundation}/schemaregistry/tenant/fieldgroups`, { body: { ...group, title: longer('title') } }), '/title');
    const deep = { ...group, title: 'Deep description', definitions: { extra: { properties: { [`_${api.tenantId}`]: { type: 'object', properties: { note: { type: 'string', title: 'Note', description: longer('description') } } } } } } };
    expectTooLong(await api.request('POST', `${foundation}/schemaregistry/tenant/fieldgroups`, { body: deep }), `/definitions/extra/properties/_${api.tenantId}/properties/note/description`);
  });

  it('holds every other string to the general cap', async () => {
    const response = await api.request('POST', `${foundation}/flowservice/connections`, { body: { ...tutorial.paypalBaseConnection, auth: { specName: 'OAuth 2 Client Credential', params: { clientId: 'x'.repeat(stringLimits.anyString + 1), clientSecret: 's' } } } });
    expectTooLong(response, '/auth/params/clientId');
  });

  it('accepts strings at the caps', async () => {
    const created = await api.request('POST', `${foundation}/catalog/dataSets`, { body: { ...tutorial.dataSet(ids.schema), name: 'n'.repeat(stringLimits.freeText.name), description: 'd'.repeat(stringLimits.freeText.description) } });
    expect(created.status, created.text).toBe(201);
    expect(api.contractViolations).toEqual([]);
  });
});
