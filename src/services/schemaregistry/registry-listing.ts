import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { compareToValues, parseOrderBy, type SortKey } from '../../server/listing/order-by.js';
import { titleSortKey } from '../../store/registry-index.js';
import { valueText } from '../../server/listing/value-text.js';
import { valuesAt } from '../../server/listing/json-path.js';
import { matchesFilter, parsePropertyFilter, queryValues, type PropertyFilter } from '../../server/listing/property-filter.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';

export const RegistryListQuery = Type.Object({
  start: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  orderby: Type.Optional(Type.String()),
  property: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
});
export type RegistryListQuery = Static<typeof RegistryListQuery>;

/** The registry returns at most 300 items per page whatever `limit` asks for. */
const maxPage = 300;

/** A list the index can page: ordered by title (either way; the default), whatever it filters on. */
export function titleOrder(query: RegistryListQuery): { descending: boolean } | undefined {
  const keys = parseOrderBy(query.orderby ?? 'title');
  const [first] = keys;
  return keys.length === 1 && first?.path === 'title' ? { descending: first.descending } : undefined;
}

/** The `property` filters of a list, checked: a list refuses one it cannot apply before reading anything. */
export function registryFilters(query: RegistryListQuery): PropertyFilter[] {
  return queryValues(query.property).map((p) => parsePropertyFilter(p, ['==', '!=', '<', '>', '<=', '>=', '~']));
}

/** How many items a page asks for: `limit`, 0 or none meaning the most a page holds. */
export function pageLimit(query: RegistryListQuery): number {
  return Math.min(query.limit === undefined || query.limit === 0 ? maxPage : query.limit, maxPage);
}

/**
 * Where `item` sorts against a sort value. A title compares by its sort key (`titleSortKey`), as the index's pages
 * do, so a list answered in memory and one paged in SQL agree; other fields compare as every list's do.
 */
function compareAt(item: JsonObject, key: SortKey, value: unknown): number {
  if (key.path !== 'title') return compareToValues(item, [key], [value]);
  const keyOf = (title: unknown) => (typeof title === 'string' ? titleSortKey(title) : undefined);
  const mine = keyOf(valuesAt(item, 'title')[0]);
  const theirs = keyOf(value);
  const order = mine === theirs ? 0 : mine === undefined ? 1 : theirs === undefined ? -1 : mine < theirs ? -1 : 1;
  return key.descending ? -order : order;
}

/**
 * Schema Registry paging: sort by `orderby` (default `title`), `start` is the sort value to resume from
 * (inclusive), and `_page.next` is the sort value of the first item of the next page.
 *
 * One comparison decides the order, where `start` resumes and which values tie; comparing `start` any other way
 * (say, by code unit while the list is collated) makes a client that pages on mixed-case titles loop for ever.
 */
export function registryListResponse(docs: JsonObject[], query: RegistryListQuery, present: (doc: JsonObject) => JsonObject, selfPath: string): JsonObject {
  const orderby = query.orderby ?? 'title';
  const keys = parseOrderBy(orderby);
  const first = keys[0];
  if (!first) throw new ApiError('badOrderBy', 'orderby must name a field');
  const filters = registryFilters(query);
  // Ties by `$id` when sorted by title, as the index's pages tie by id; by `meta:altId` otherwise.
  const order = [...keys, { path: first.path === 'title' ? '$id' : 'meta:altId', descending: false }];
  const compare = (a: JsonObject, b: JsonObject) => {
    for (const key of order) {
      const result = compareAt(a, key, valuesAt(b, key.path)[0]);
      if (result !== 0) return result;
    }
    return 0;
  };
  const sorted = docs.filter((doc) => filters.every((f) => matchesFilter(doc, f))).sort(compare);
  const valueOf = (doc: JsonObject) => valuesAt(doc, first.path)[0];
  // `start` arrives as text; a numeric sort key resumes at the number it spells.
  const startValue = query.start !== undefined && sorted.some((doc) => typeof valueOf(doc) === 'number') && Number.isFinite(Number(query.start)) ? Number(query.start) : query.start;
  const position = (doc: JsonObject, value: unknown) => compareAt(doc, first, value);
  const startIndex = startValue === undefined ? 0 : sorted.findIndex((doc) => position(doc, startValue) >= 0);
  const from = startIndex < 0 ? sorted.length : startIndex;
  let end = Math.min(from + pageLimit(query), sorted.length);
  // `start` resumes at a sort value, inclusively; a page therefore never ends inside a run of equal values,
  // or the next page would repeat it for ever. `limit` is a hint, as the registry documents.
  const boundary = sorted[end - 1];
  while (boundary && end < sorted.length && position(sorted[end] as JsonObject, valueOf(boundary)) === 0) end += 1;
  // Items without the sort field sort last and have no value to resume at: they all come on this page.
  const after = sorted[end];
  if (after && (valueOf(after) === undefined || valueOf(after) === null)) end = sorted.length;
  const nextDoc = sorted[end];
  return registryPage(sorted.slice(from, end), nextDoc ? valueText(valueOf(nextDoc)) : null, query, present, selfPath);
}

/** The answer of one page: its items presented, `_page` and the `next` link that resumes at `next`. */
export function registryPage(page: JsonObject[], next: string | null, query: RegistryListQuery, present: (doc: JsonObject) => JsonObject, selfPath: string): JsonObject {
  const orderby = query.orderby ?? 'title';
  const params = new URLSearchParams({ orderby });
  if (next !== null) params.set('start', next);
  if (query.limit) params.set('limit', String(query.limit));
  for (const property of queryValues(query.property)) params.append('property', property);
  return {
    results: page.map(present),
    _page: { orderby, next, count: page.length },
    _links: {
      next: next === null ? null : { href: `${selfPath}?${params.toString()}` },
      global_schemas: { href: '/data/foundation/schemaregistry/global/schemas' },
    },
  };
}
