import { describe, expect, it } from 'vitest';
import { FlowListing } from '../src/services/flowservice/flow-listing.js';
import { valuesAt } from '../src/server/listing/json-path.js';
import { OffsetPageSelector } from '../src/server/listing/offset-page.js';
import { compareToValues, parseOrderBy, sortItems } from '../src/server/listing/order-by.js';
import { Rng, seedFromEnv } from './support/fuzz/prng.js';

const seed = seedFromEnv(process.env.FUZZ_SEED, 20261208);

interface Item {
  id: string;
  name?: string;
  size?: number;
  state?: string;
}

function items(rng: Rng): Item[] {
  return Array.from({ length: rng.int(0, 60) }, (_, i) => {
    const item: Item = { id: `${String(rng.int(0, 999)).padStart(3, '0')}-${i}` };
    if (!rng.chance(0.1)) item.name = rng.pick(['alpha', 'Beta', 'beta', 'gamma', 'Ærø', 'delta']);
    if (!rng.chance(0.1)) item.size = rng.int(0, 9);
    if (!rng.chance(0.1)) item.state = rng.pick(['enabled', 'disabled']);
    return item;
  });
}

/** `list` cut into stretches of random lengths, as a store hands them over. */
function offerInStretches<T>(rng: Rng, list: readonly T[], offer: (stretch: T[]) => void): number {
  let stretches = 0;
  for (let at = 0; at < list.length; stretches += 1) {
    const size = rng.int(1, 9);
    offer(list.slice(at, at + size));
    at += size;
  }
  return stretches;
}

/**
 * Lists that the index cannot express are read a stretch at a time; what the selectors keep must give the page
 * that sorting the whole list gives (computed here the plain way), while holding no more than the page needs.
 */
describe(`list selectors over stretches (seed ${seed})`, () => {
  it('an offset page (Catalog, mapping sets) equals the whole list sorted and sliced, ties in stored order', () => {
    const rng = new Rng(seed);
    for (let round = 0; round < 300; round += 1) {
      const list = items(rng);
      const orderBy = rng.pick(['', 'name', '-name', 'size', '-size,name', 'state,-size']);
      const start = rng.int(0, 30);
      const limit = rng.int(1, 12);
      const keep = (item: Item) => item.state !== 'disabled';
      const expected = sortItems(list.filter(keep), parseOrderBy(orderBy)).slice(start, start + limit);
      const selector = new OffsetPageSelector<Item>(parseOrderBy(orderBy), start, limit, keep);
      offerInStretches(rng, list, (stretch) => selector.offer(stretch));
      expect(selector.page(), `round ${round}: ${orderBy} ${start}+${limit}`).toEqual(expected);
    }
  });

  it('a Flow Service page equals the whole list filtered, sorted and cut after the cursor, holding a page and one more', () => {
    const rng = new Rng(seed + 1);
    for (let round = 0; round < 300; round += 1) {
      const list = items(rng);
      const orderby = rng.pick([undefined, 'name', '-name', 'size', '-size']);
      const property = rng.pick([undefined, 'state==enabled', 'size>3']);
      const limit = rng.int(1, 10);
      const first = FlowListing.of({ limit, ...(orderby ? { orderby } : {}), ...(property ? { property } : {}) });
      const whole = first.select(list, (item) => item, '/things');
      const token = 'links' in whole ? (whole.links as { next?: { href: string } }).next?.href.split('=')[1] : undefined;
      const listing = token !== undefined && rng.chance(0.7) ? FlowListing.of({ continuationToken: token }) : first;

      // The plain way: everything, filtered, sorted (ending in id), after the cursor, sliced.
      const plan = listing.plan();
      const holds = property === 'state==enabled' ? (item: Item) => item.state === 'enabled' : property === 'size>3' ? (item: Item) => item.size !== undefined && item.size > 3 : () => true;
      const sorted = list
        .filter(holds)
        .sort((a, b) => compareToValues(a, plan.keys, plan.keys.map((k) => valuesAt(b, k.path)[0])));
      const after = plan.after;
      const rest = after === undefined ? sorted : sorted.filter((item) => compareToValues(item, plan.keys, after) > 0);

      const selector = listing.selector((item: Item) => item);
      let most = 0;
      offerInStretches(rng, [...list].reverse(), (stretch) => {
        selector.offer(stretch);
        most = Math.max(most, selector.held);
      });
      const picked = selector.result('/things');
      const context = `round ${round}: ${JSON.stringify({ orderby, property, limit, after })}`;
      expect('rows' in picked && picked.rows.map((item) => item.id), context).toEqual(rest.slice(0, limit).map((item) => item.id));
      expect('links' in picked && 'next' in picked.links, context).toBe(rest.length > limit);
      expect(most, context).toBeLessThanOrEqual(limit + 1);
    }
  });

  it('counts every match for count=true without holding any', () => {
    const list = Array.from({ length: 1000 }, (_, i) => ({ id: String(i).padStart(4, '0'), size: i % 7 }));
    const selector = FlowListing.of({ count: true, property: 'size>3' }).selector((item: { id: string; size: number }) => item);
    for (let at = 0; at < list.length; at += 100) selector.offer(list.slice(at, at + 100));
    expect(selector.held).toBe(0);
    expect(selector.result('/things')).toEqual({ count: list.filter((item) => item.size > 3).length });
  });
});
