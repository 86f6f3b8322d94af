import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type ApiResponse, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const conversion = '/data/foundation/conversion';
const mappingSets = `${conversion}/mappingSets`;
const backends = await availableBackends();

interface Problem { path: string; message: string }

function problemsOf(response: ApiResponse): Problem[] {
  expect(response.status, response.text).toBe(400);
  expect(str(response.json, 'type')).toMatch(/DPREP-1419-400$/);
  return at(response.json, 'report.errors') as Problem[];
}

describe.each(backends)('date patterns and time zones in mapping expressions, checked on save, on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  const body = (expression: string) => ({
    outputSchema: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
    mappings: [
      { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
      { sourceType: 'EXPRESSION', source: expression, destination: 'person.name.firstName' },
    ],
  });

  beforeAll(async () => {
    api = await startApi(backend);
    schemaId = str((await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema })).json, '$id');
  });
  afterAll(async () => api?.close());

  it.each([
    ['a pattern letter the engine cannot translate', 'format(date(created, "yyyy-MM-dd"), "yyyy QQ")', 'QQ'],
    ['one nested in another call', 'upper(iif(true, format(now(), "yyyy-MM-dd kk:mm"), "x"))', 'kk'],
    ['a parse pattern without a year', 'format(date(created, "MM-dd"), "yyyy-MM-dd")', 'no year'],
    ['a pattern that is not a literal', 'format(date(created, pattern), "yyyy-MM-dd")', 'string literal'],
    ['an unknown time zone', 'format(now(), "yyyy-MM-dd", "Mars/Olympus")', 'Mars/Olympus'],
  ])('refuses %s when the mapping set is created, naming the mapping', async (_what, expression, named) => {
    const problems = problemsOf(await api.request('POST', mappingSets, { body: body(expression) }));
    expect(problems).toEqual([expect.objectContaining({ path: '/mappings/1', message: expect.stringContaining(named) })]);
  });

  it('refuses it on an update and in validation, and accepts supported patterns and zones', async () => {
    const good = 'format(date(created, "YYYY-MM-DD HH:mm:ss.SSSXXX"), "EEE, d MMM yyyy hh:mm a z", "Europe/Paris")';
    const created = await api.request('POST', mappingSets, { body: body(good) });
    expect(created.status, created.text).toBe(200);
    const id = str(created.json, 'id');
    const updated = problemsOf(await api.request('PUT', `${mappingSets}/${id}`, { body: body('dformat(ts, "yyyy-ww")') }));
    expect(updated).toEqual([expect.objectContaining({ path: '/mappings/1', message: expect.stringContaining('ww') })]);
    expect(at((await api.request('GET', `${mappingSets}/${id}`)).json, 'version')).toBe(0);
    const validated = await api.request('POST', `${mappingSets}/validate`, { body: body('date(created, "yyyy-MM-dd G")') });
    expect(validated.status, validated.text).toBe(200);
    expect(at(validated.json, 'validationResponse.1.status')).toBe('FAILED');
    expect(JSON.stringify(at(validated.json, 'validationResponse.1.errors'))).toContain('G');
    expect(at(validated.json, 'validationResponse.0.status')).toBe('SUCCESS');
  });

  it('refuses such a pattern in the expression check, naming the expression', async () => {
    const refused = await api.request('POST', `${conversion}/languages/el/validate`, { body: { expression: 'date(created, "yyyy-MM-dd VV")' } });
    expect(refused.status, refused.text).toBe(400);
    expect(at(refused.json, 'report.errors.0')).toMatchObject({ in: 'body', path: '/expression', message: expect.stringContaining('VV') });
    const accepted = await api.request('POST', `${conversion}/languages/el/validate`, { body: { expression: 'date(created, "yyyy-MM-dd")' } });
    expect(accepted.status, accepted.text).toBe(200);
    expect(api.contractViolations).toEqual([]);
  });
});
