/**
 * Schema Registry paging: a client that follows `_page.next` back as `start` sees every item exactly once, in
 * `orderby` order, whatever the letter case, accents and ties of the sort values (AEP clients such as aepp page
 * this way until `next` is null; a `start` compared differently from the sort loops them for ever).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryListResponse } from '../src/services/schemaregistry/registry-listing.js';
import type { JsonObject } from '../src/xdm/standard/json-value.js';
import { availableBackends } from './support/backends.js';
import { Rng } from './support/fuzz/prng.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const letters = ['a', 'A', 'b', 'B', 'z', 'Z', 'é', 'É', 'ß', '1', '9', ' ', '-', '_', 'ö', 'Ö'];

function randomTitle(rng: Rng): string {
  return Array.from({ length: rng.int(1, 4) }, () => rng.pick(letters)).join('');
}

type Page = { results: JsonObject[]; next: string | null };

/** Follows `next` from the first page; fails instead of looping if pages never end. */
function pageThrough(fetchPage: (start: string | undefined) => Page, bound: number): JsonObject[] {
  const seen: JsonObject[] = [];
  let start: string | undefined;
  for (let pages = 0; pages <= bound; pages += 1) {
    const page = fetchPage(start);
    seen.push(...page.results);
    if (page.next === null) return seen;
    start = page.next;
  }
  throw new Error(`still paging after ${bound} pages (start=${JSON.stringify(start)})`);
}

describe('registry paging as a property', () => {
  it('returns every item once, in order, for random titles, versions, limits and directions', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const rng = new Rng(seed);
      const docs: JsonObject[] = Array.from({ length: rng.int(0, 30) }, (_, i) => ({
        $id: `https://ns.adobe.com/t/datatypes/${i}`,
        'meta:altId': `_t.datatypes.${String(i).padStart(3, '0')}`,
        title: randomTitle(rng),
        version: `1.${rng.int(0, 2)}`,
      }));
      const orderby = rng.pick(['title', '-title', 'version', '-version', 'meta:altId']);
      const limit = rng.int(1, 6);
      const all = registryListResponse(docs, { orderby, limit: 300 }, (d) => d, '/x').results as JsonObject[];
      const paged = pageThrough((start) => {
        const answer = registryListResponse(docs, { orderby, limit, ...(start !== undefined ? { start } : {}) }, (d) => d, '/x');
        return { results: answer.results as JsonObject[], next: at(answer, '_page.next') as string | null };
      }, docs.length + 1);
      expect(paged.map((d) => d['meta:altId']), `seed ${seed}, orderby ${orderby}, limit ${limit}`).toEqual(all.map((d) => d['meta:altId']));
      expect(new Set(paged.map((d) => d['meta:altId'])).size).toBe(docs.length);
    }
  });
});

describe.each(backends)('registry paging over HTTP on $name', (backend) => {
  let api: TestApi;
  const titles: string[] = [];

  beforeAll(async () => {
    api = await startApi(backend);
    const rng = new Rng(20261206);
    while (titles.length < 24) {
      const title = `${randomTitle(rng)}${rng.pick(['', 'x', 'X'])}`;
      if (titles.includes(title)) continue;
      titles.push(title);
      const created = await api.request('POST', '/data/foundation/schemaregistry/tenant/datatypes', { body: { title, type: 'object', properties: { [`f${titles.length}`]: { type: 'string' } } } });
      expect(created.status, created.text).toBe(201);
    }
  });
  afterAll(async () => api?.close());

  it.each(['title', '-title'])('pages /tenant/datatypes by %s, mixed-case titles each once', async (orderby) => {
    const seen: string[] = [];
    let start: string | null | undefined;
    for (let pages = 0; pages <= titles.length; pages += 1) {
      const query = new URLSearchParams({ orderby, limit: '5', ...(start ? { start } : {}) });
      const page = await api.request('GET', `/data/foundation/schemaregistry/tenant/datatypes?${query.toString()}`, { headers: { accept: 'application/vnd.adobe.xed-id+json' } });
      expect(page.status).toBe(200);
      seen.push(...(at(page.json, 'results') as JsonObject[]).map((r) => String(r.title)));
      start = at(page.json, '_page.next') as string | null;
      if (start === null) break;
    }
    expect(start).toBeNull();
    expect([...seen].sort()).toEqual([...titles].sort());
    expect(api.contractViolations).toEqual([]);
  });
});
