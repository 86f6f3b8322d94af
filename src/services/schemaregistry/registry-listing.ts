import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { parseOrderBy, sortItems } from '../../server/listing/order-by.js';
import { valuesAt } from '../../server/listing/json-path.js';
import { matchesFilter, parsePropertyFilter, queryValues } from '../../server/listing/property-filter.js';
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

/**
 * Schema Registry paging: sort by `orderby` (default `title`), `start` is the sort value to resume from
 * (inclusive), and `_page.next` is the sort value of the first item of the next page.
 */
export function registryListResponse(docs: JsonObject[], query: RegistryListQuery, present: (doc: JsonObject) => JsonObject, selfPath: string): JsonObject {
  const orderby = query.orderby ?? 'title';
  const keys = parseOrderBy(orderby);
  const first = keys[0];
  if (!first) throw new ApiError('badOrderBy', 'orderby must name a field');
  const filters = queryValues(query.property).map((p) => parsePropertyFilter(p, ['==', '!=', '<', '>', '<=', '>=', '~']));
  const sorted = sortItems(docs.filter((doc) => filters.every((f) => matchesFilter(doc, f))), [...keys, { path: 'meta:altId', descending: false }]);
  const keyOf = (doc: JsonObject) => String(valuesAt(doc, first.path)[0] ?? '');
  const startIndex = query.start === undefined ? 0 : sorted.findIndex((doc) => (first.descending ? keyOf(doc) <= query.start! : keyOf(doc) >= query.start!));
  const from = startIndex < 0 ? sorted.length : startIndex;
  const limit = Math.min(query.limit === undefined || query.limit === 0 ? maxPage : query.limit, maxPage);
  let end = Math.min(from + limit, sorted.length);
  // `start` resumes at a sort value, inclusively; a page therefore never ends inside a run of equal values,
  // or the next page would repeat it for ever. `limit` is a hint, as the registry documents.
  const boundary = sorted[end - 1];
  while (boundary && end < sorted.length && keyOf(sorted[end] as JsonObject) === keyOf(boundary)) end += 1;
  const page = sorted.slice(from, end);
  const nextDoc = sorted[end];
  const next = nextDoc ? keyOf(nextDoc) : null;
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
