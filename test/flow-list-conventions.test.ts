import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const connections = '/data/foundation/flowservice/connections';
const backends = await availableBackends();

describe.each(backends)('Flow Service list conventions on $name', (backend) => {
  let api: TestApi;
  const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
  const namesOf = (json: unknown) => ((at(json, 'items') as { name: string }[]) ?? []).map((i) => i.name);

  beforeAll(async () => {
    api = await startApi(backend);
    for (const name of names) await api.request('POST', connections, { body: { ...tutorial.paypalBaseConnection, name } });
  });
  afterAll(async () => api?.close());

  it('pages with limit and a continuation token that keeps the query', async () => {
    const first = await api.request('GET', `${connections}?limit=2&orderby=-name`);
    expect(namesOf(first.json)).toEqual(['echo', 'delta']);
    const href = str(first.json, '_links.next.href');
    expect(href.split('=')).toHaveLength(2);
    expect(href.startsWith('/connections?continuationToken=')).toBe(true);
    const second = await api.request('GET', `/data/foundation/flowservice${href}`);
    expect(namesOf(second.json)).toEqual(['charlie', 'bravo']);
    const third = await api.request('GET', `/data/foundation/flowservice${str(second.json, '_links.next.href')}`);
    expect(namesOf(third.json)).toEqual(['alpha']);
    expect(at(third.json, '_links.next')).toBeUndefined();
  });

  it('filters with repeated property= (AND), comma lists (OR), operators and quoted values', async () => {
    const or = await api.request('GET', `${connections}?property=name==alpha,echo&orderby=name`);
    expect(namesOf(or.json)).toEqual(['alpha', 'echo']);
    const and = await api.request('GET', `${connections}?property=name!=alpha&property=name<"charlie"&orderby=name`);
    expect(namesOf(and.json)).toEqual(['bravo']);
    const dotted = await api.request('GET', `${connections}?property=connectionSpec.id==221c7626-58f6-4eec-8ee2-042b0226f03b&count=true`);
    expect(dotted.json).toEqual({ count: 5 });
    const numeric = await api.request('GET', `${connections}?property=createdAt>0&count=true`);
    expect(numeric.json).toEqual({ count: 5 });
  });

  it('does not skip items deleted between pages (keyset cursor)', async () => {
    const first = await api.request('GET', `${connections}?limit=2&orderby=name`);
    expect(namesOf(first.json)).toEqual(['alpha', 'bravo']);
    const alpha = str(first.json, 'items.0.id');
    expect((await api.request('DELETE', `${connections}/${alpha}`)).status).toBe(204);
    const second = await api.request('GET', `/data/foundation/flowservice${str(first.json, '_links.next.href')}`);
    expect(namesOf(second.json)).toEqual(['charlie', 'delta']);
  });

  it('filters flow specs through arrays', async () => {
    const response = await api.request('GET', '/data/foundation/flowservice/flowSpecs?property=sourceConnectionSpecIds[]==cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3');
    expect(namesOf(response.json)).toEqual(['RestStorageToAEP']);
  });

  it('refuses limit with count, bad filters, unknown operators and forged tokens', async () => {
    const both = await api.request('GET', `${connections}?limit=2&count=true`);
    expect(str(both.json, 'type')).toMatch(/FLOW-1401-400$/);
    const noOperator = await api.request('GET', `${connections}?property=name=`);
    expect(noOperator.status).toBe(400);
    const regex = await api.request('GET', `${connections}?property=name~al`);
    expect(str(regex.json, 'type')).toMatch(/FLOW-1440-400$/);
    const token = await api.request('GET', `${connections}?continuationToken=forged`);
    expect(token.status).toBe(400);
    const backtracking = await api.request('GET', '/data/foundation/catalog/dataSets?property=name~^(a%2B)%2B$');
    expect(backtracking.status).toBe(400);
    const limit = await api.request('GET', `${connections}?limit=zero`);
    expect(limit.status).toBe(400);
    expect(at(limit.json, 'report.errors.0.in')).toBe('query');
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
