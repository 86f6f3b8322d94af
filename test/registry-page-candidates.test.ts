import { describe, expect, it } from 'vitest';
import { PageCandidates, registryListResponse, type RegistryListQuery } from '../src/services/schemaregistry/registry-listing.js';
import type { JsonObject } from '../src/xdm/standard/json-value.js';
import { Rng, seedFromEnv } from './support/fuzz/prng.js';

const seed = seedFromEnv(process.env.FUZZ_SEED, 20261207);
const same = (doc: JsonObject) => doc;

/** Documents whose sort fields repeat, are missing, or are numbers, in an order of their own. */
function documents(rng: Rng): JsonObject[] {
  const count = rng.int(0, 40);
  return Array.from({ length: count }, (_, i) => {
    const doc: JsonObject = { $id: `https://ns.example/d${String(rng.int(0, 9999)).padStart(4, '0')}-${i}`, 'meta:altId': `_t.d${rng.int(0, 30)}` };
    if (!rng.chance(0.1)) doc.title = rng.pick(['a', 'A', 'b', 'é', 'E', 'zz', '10', '9']);
    if (!rng.chance(0.15)) doc.version = rng.pick(['1.0', '1.1', '1.2', '2.0']);
    // Mostly numbers, sometimes their text: `start` compares as a number with the one and as text with the other.
    if (!rng.chance(0.2)) doc.weight = rng.chance(0.15) ? String(rng.int(-3, 12)) : rng.int(-3, 12);
    return doc;
  });
}

/** `docs` cut into stretches of random lengths, as the store hands them over. */
function stretches(rng: Rng, docs: JsonObject[]): JsonObject[][] {
  const cut: JsonObject[][] = [];
  for (let at = 0; at < docs.length; ) {
    const size = rng.int(1, 7);
    cut.push(docs.slice(at, at + size));
    at += size;
  }
  return cut;
}

/**
 * A list ordered by a field the index does not hold is answered from the documents a `PageCandidates` keeps while
 * every document is offered a stretch at a time; the answer must be the one over all documents, and what is kept
 * no more than the page and the first item after it.
 */
describe(`PageCandidates (seed ${seed})`, () => {
  it('keeps what a page needs and answers as the whole list would, over 400 random lists', () => {
    const rng = new Rng(seed);
    for (let round = 0; round < 400; round += 1) {
      const docs = documents(rng);
      const query: RegistryListQuery = { orderby: rng.pick(['version', '-version', 'weight', '-weight', 'meta:altId', 'title,version', '-version,-title', 'weight,-meta:altId']), limit: rng.int(1, 6) };
      if (rng.chance(0.3)) query.property = rng.pick(['weight>2', 'version==1.1', 'title~[aA]']);
      const whole = registryListResponse(docs, query, same, '/x');
      const next = (whole._page as { next: string | null }).next;
      if (next !== null && rng.chance(0.7)) query.start = next;
      else if (rng.chance(0.3)) query.start = rng.pick(['1.1', '5', '10', 'b', '_t.d1']);
      const expected = registryListResponse(docs, query, same, '/x');

      const candidates = new PageCandidates(query);
      for (const stretch of stretches(rng, [...docs].reverse())) candidates.offer(stretch);
      const context = `seed ${seed} round ${round}: ${JSON.stringify(query)}`;
      expect(registryListResponse([...candidates.kept], query, same, '/x'), context).toEqual(expected);
      const shown = (expected.results as JsonObject[]).length;
      const hasNext = (expected._page as { next: unknown }).next !== null;
      expect(candidates.kept.length, context).toBe(shown + (hasNext ? 1 : 0));
    }
  });

  it('holds at most a page and one more while a thousand documents are offered', () => {
    const docs = Array.from({ length: 1000 }, (_, i) => ({ $id: `d${i}`, 'meta:altId': `_t.d${i}`, version: `1.${i % 17}` }));
    const candidates = new PageCandidates({ orderby: '-meta:altId', limit: 5 });
    let most = 0;
    for (let at = 0; at < docs.length; at += 50) {
      candidates.offer(docs.slice(at, at + 50));
      most = Math.max(most, candidates.kept.length);
    }
    expect(most).toBe(6);
    expect(candidates.kept.map((doc) => doc['meta:altId'])).toEqual(['_t.d999', '_t.d998', '_t.d997', '_t.d996', '_t.d995', '_t.d994']);
  });
});
