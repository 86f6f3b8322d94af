import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends, type Backend } from './support/backends.js';

const backends = await availableBackends();

/** A pass over a kind too large to hold at once reads it in stretches, by id, each object once, its sandbox's alone. */
describe.each(backends)('reading a kind in stretches on $name', (backend: Backend) => {
  let opened: Awaited<ReturnType<Backend['open']>>;
  const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-here' };
  const elsewhere: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-elsewhere' };
  const ids = Array.from({ length: 7 }, (_, i) => `object-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    opened = await backend.open();
    const repo = new ResourcesRepository(opened.store.db);
    // Inserted out of id order, beside objects of another sandbox and another kind.
    for (const id of [...ids].reverse()) await repo.insert(here, { kind: 'test.thing', id, body: { id }, secret: null, etag: '1', createdAt: 1, updatedAt: 1 });
    await repo.insert(elsewhere, { kind: 'test.thing', id: 'object-03b', body: {}, secret: null, etag: '1', createdAt: 1, updatedAt: 1 });
    await repo.insert(here, { kind: 'test.other', id: 'object-03c', body: {}, secret: null, etag: '1', createdAt: 1, updatedAt: 1 });
  });
  afterAll(async () => {
    await opened?.store.close();
    await opened?.dispose();
  });

  it.each([
    [3, [3, 3, 1]],
    [7, [7]],
    [10, [7]],
    [1, [1, 1, 1, 1, 1, 1, 1]],
  ])('in stretches of %i: %j', async (size, lengths) => {
    const stretches: string[][] = [];
    for await (const stretch of new ResourcesRepository(opened.store.db).inStretches('test.thing', here, size)) stretches.push(stretch.map((object) => object.id));
    expect(stretches.map((stretch) => stretch.length)).toEqual(lengths);
    expect(stretches.flat()).toEqual(ids);
  });
});
