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

/** How a list sorts: its keys, its tie rule and where an item sorts against `start`. */
interface ListOrder {
  first: SortKey;
  compare: (a: JsonObject, b: JsonObject) => number;
  valueOf: (doc: JsonObject) => unknown;
  /** Where `doc` sorts against the sort value `value` by the first key. */
  position: (doc: JsonObject, value: unknown) => number;
  /**
   * Whether `doc` belongs to the list from `start` on: it passes the filters and sorts at or after `start`. Where a
   * field mixes numbers and text, `start` compares as a number with the one and as text with the other, so this is
   * asked of each document rather than of a position in the sorted list.
   */
  accepts: (doc: JsonObject) => boolean;
}

/** What a kind of list sorts by when `orderby` is not given, the fields that break its ties, and its other links. */
export interface ListRules {
  defaultOrderBy: string;
  ties: (first: SortKey) => string[];
  links: Record<string, unknown>;
}

/**
 * Components: by title unless asked; ties by `$id` when sorted by title, as the index's pages tie by id, by
 * `meta:altId` then `$id` otherwise. Either is a total order, so a page is the same whatever order the documents
 * were read in.
 */
export const componentRules: ListRules = {
  defaultOrderBy: 'title',
  ties: (first) => (first.path === 'title' ? ['$id'] : ['meta:altId', '$id']),
  links: { global_schemas: { href: '/data/foundation/schemaregistry/global/schemas' } },
};

/** Descriptors (the `xdm-v2` list): by `@id` unless asked, ties by `@id`. */
export const descriptorRules: ListRules = { defaultOrderBy: '@id', ties: () => ['@id'], links: {} };

function listOrder(query: RegistryListQuery, rules: ListRules): ListOrder {
  const keys = parseOrderBy(query.orderby ?? rules.defaultOrderBy);
  const first = keys[0];
  if (!first) throw new ApiError('badOrderBy', 'orderby must name a field');
  const ties = rules.ties(first);
  const order = [...keys, ...ties.map((path) => ({ path, descending: false }))];
  const compare = (a: JsonObject, b: JsonObject) => {
    for (const key of order) {
      const result = compareAt(a, key, valuesAt(b, key.path)[0]);
      if (result !== 0) return result;
    }
    return 0;
  };
  const valueOf = (doc: JsonObject) => valuesAt(doc, first.path)[0];
  const position = (doc: JsonObject, value: unknown) => compareAt(doc, first, value);
  const { start } = query;
  // `start` arrives as text; against an item whose sort value is a number, it is the number it spells.
  const startNumber = start !== undefined && Number.isFinite(Number(start)) ? Number(start) : undefined;
  const atOrAfterStart = (doc: JsonObject) => start === undefined || position(doc, typeof valueOf(doc) === 'number' && startNumber !== undefined ? startNumber : start) >= 0;
  const filters = registryFilters(query);
  const accepts = (doc: JsonObject) => filters.every((f) => matchesFilter(doc, f)) && atOrAfterStart(doc);
  return { first, compare, valueOf, position, accepts };
}

/** Where a page ends in `sorted`: after `limit` items and the run of ties of the last one, if any. */
function pageEnd(sorted: readonly JsonObject[], limit: number, order: ListOrder): number {
  let end = Math.min(limit, sorted.length);
  // `start` resumes at a sort value, inclusively; a page therefore never ends inside a run of equal values,
  // or the next page would repeat it for ever. `limit` is a hint, as the registry documents.
  const boundary = sorted[end - 1];
  while (boundary && end < sorted.length && order.position(sorted[end] as JsonObject, order.valueOf(boundary)) === 0) end += 1;
  // Items without the sort field sort last and have no value to resume at: they all come on this page.
  const after = sorted[end];
  if (after && (order.valueOf(after) === undefined || order.valueOf(after) === null)) end = sorted.length;
  return end;
}

/**
 * Schema Registry paging: sort by `orderby` (default `title`), `start` is the sort value to resume from
 * (inclusive), and `_page.next` is the sort value of the first item of the next page.
 *
 * One comparison decides the order, where `start` resumes and which values tie; comparing `start` any other way
 * (say, by code unit while the list is collated) makes a client that pages on mixed-case titles loop for ever.
 */
export function registryListResponse<R>(docs: readonly JsonObject[], query: RegistryListQuery, present: (doc: JsonObject) => R, selfPath: string): RegistryPageAnswer<R> {
  const candidates = new PageCandidates(query, componentRules);
  candidates.offer(docs);
  const { page, next } = candidates.page();
  return registryPage(page, next, query, present, selfPath, componentRules);
}

/**
 * The documents a page of a list needs, gathered from documents offered a stretch at a time in any order: those that
 * pass the filters and sort at or after `start`, cut after the page, its ties and the first document past them.
 * Its `page` is the one every document offered at once would give, while at most a page, its ties and one more are
 * held (and, should the page reach them, the documents without the sort field).
 */
export class PageCandidates {
  private readonly order: ListOrder;
  private readonly limit: number;
  private sorted: JsonObject[] = [];

  constructor(query: RegistryListQuery, rules: ListRules = componentRules) {
    this.order = listOrder(query, rules);
    this.limit = pageLimit(query);
  }

  offer(docs: readonly JsonObject[]): void {
    const fresh = docs.filter(this.order.accepts);
    if (fresh.length === 0) return;
    const sorted = [...this.sorted, ...fresh].sort(this.order.compare);
    const end = pageEnd(sorted, this.limit, this.order);
    this.sorted = end < sorted.length ? sorted.slice(0, end + 1) : sorted;
  }

  get kept(): readonly JsonObject[] {
    return this.sorted;
  }

  /** The page of what was offered, and the sort value the next page starts at (null on the last page). */
  page(): { page: JsonObject[]; next: string | null } {
    const end = pageEnd(this.sorted, this.limit, this.order);
    const nextDoc = this.sorted[end];
    return { page: this.sorted.slice(0, end), next: nextDoc ? valueText(this.order.valueOf(nextDoc)) : null };
  }
}

/** A page as the registry's lists answer it. */
export interface RegistryPageAnswer<R> {
  results: R[];
  _page: { orderby: string; next: string | null; count: number };
  _links: Record<string, unknown>;
}

/** The answer of one page: its items presented, `_page` and the `next` link that resumes at `next`. */
export function registryPage<R>(page: readonly JsonObject[], next: string | null, query: RegistryListQuery, present: (doc: JsonObject) => R, selfPath: string, rules: ListRules = componentRules): RegistryPageAnswer<R> {
  const orderby = query.orderby ?? rules.defaultOrderBy;
  const params = new URLSearchParams({ orderby });
  if (next !== null) params.set('start', next);
  if (query.limit) params.set('limit', String(query.limit));
  for (const property of queryValues(query.property)) params.append('property', property);
  return {
    results: page.map(present),
    _page: { orderby, next, count: page.length },
    _links: { next: next === null ? null : { href: `${selfPath}?${params.toString()}` }, ...rules.links },
  };
}
