import { OffsetPageSelector } from '../../server/listing/offset-page.js';
import { parseOrderBy } from '../../server/listing/order-by.js';
import { inStretches } from '../../server/listing/stretches.js';
import type { Scope } from '../../store/resources.repository.js';
import type { MappingSetOrder, MappingSetsRepository, StoredMappingSetVersion } from './mapping-sets.repository.js';

/** The fields a list may be ordered by in SQL, by their column. */
const orderColumns: Record<string, MappingSetOrder['column']> = { createdDate: 'created_date', modifiedDate: 'modified_date' };

/**
 * `GET /mappingSets`: each mapping set's current version, in the order they were stored or by `orderBy`, from
 * `start`, at most `limit`. Without a name filter and ordered by dates (or not at all), the page is found in SQL
 * and only its bodies are read. A name filter (a substring, case-sensitive) reads only the sets whose names the
 * index finds may match, and checks them here; an order on any other field reads every set, 500 at a time holding
 * only those up to the page's end, as JS orders text with `localeCompare`.
 */
export async function listMappingSets(mappingSets: MappingSetsRepository, scope: Scope, query: { name?: string | undefined; orderBy?: string | undefined; start?: number | undefined; limit: number }): Promise<StoredMappingSetVersion[]> {
  const keys = parseOrderBy(query.orderBy?.replace(/updatedDate/g, 'modifiedDate'));
  const start = query.start ?? 0;
  // No store holds that many sets (and SQL's OFFSET takes no such number): the page is empty, as slicing says.
  if (!Number.isSafeInteger(start)) return [];
  const order = keys.map((key) => (Object.hasOwn(orderColumns, key.path) ? { column: orderColumns[key.path] as MappingSetOrder['column'], descending: key.descending } : undefined));
  const name = query.name || undefined;
  if (name === undefined && order.every((k) => k !== undefined)) {
    return currentVersions(mappingSets, scope, await mappingSets.page(scope, { order: order as MappingSetOrder[], offset: start, limit: query.limit }));
  }
  // Read a stretch at a time in stored order, holding only the sets up to the page's end.
  const selector = new OffsetPageSelector<StoredMappingSetVersion>(keys, start, query.limit, (m) => name === undefined || (typeof m.name === 'string' && m.name.includes(name)));
  for await (const stretch of inStretches(await mappingSets.ids(scope, name), (ids) => currentVersions(mappingSets, scope, ids))) selector.offer(stretch);
  return selector.page();
}

/** The current version of each of these mapping sets, in their order. */
async function currentVersions(mappingSets: MappingSetsRepository, scope: Scope, ids: readonly string[]): Promise<StoredMappingSetVersion[]> {
  const found = await mappingSets.getMany(scope, ids);
  return ids.flatMap((id) => {
    const versions = found.get(id)?.body.versions;
    const current = versions?.[versions.length - 1];
    return current ? [current] : [];
  });
}
