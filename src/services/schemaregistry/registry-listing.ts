import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { compareToValues, parseOrderBy, sortItems } from '../../server/listing/order-by.js';
import { valueText } from '../../server/listing/value-text.js';
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
 *
 * One comparison decides the order, where `start` resumes and which values tie; comparing `start` any other way
 * (say, by code unit while the list is collated) makes a client that pages on mixed-case titles loop for ever.
 */
export function registryListResponse(docs: JsonObject[], query: RegistryListQuery, present: (doc: JsonObject) => JsonObject, selfPath: string): JsonObject {
  const orderby = query.orderby ?? 'title';
  const keys = parseOrderBy(orderby);
  const first = keys[0];
  if (!first) throw new ApiError('badOrderBy', 'orderby must name a field');
  const filters = queryValues(query.property).map((p) => parsePropertyFilter(p, ['==', '!=', '<', '>', '<=', '>=', '~']));
  const sorted = sortItems(docs.filter((doc) => filters.every((f) => matchesFilter(doc, f))), [...keys, { path: 'meta:altId', descending: false }]);
  const valueOf = (doc: JsonObject) => valuesAt(doc, first.path)[0];
  // `start` arrives as text; a numeric sort key resumes at the number it spells.
  const startValue = query.start !== undefined && sorted.some((doc) => typeof valueOf(doc) === 'number') && Number.isFinite(Number(query.start)) ? Number(query.start) : query.start;
  const position = (doc: JsonObject, value: unknown) => compareToValues(doc, [first], [value]);
  const startIndex = startValue === undefined ? 0 : sorted.findIndex((doc) => position(doc, startValue) >= 0);
  const from = startIndex < 0 ? sorted.length : startIndex;
  const limit = Math.min(query.limit === undefined || query.limit === 0 ? maxPage : query.limit, maxPage);
  let end = Math.min(from + limit, sorted.length);
  // `start` resumes at a sort value, inclusively; a page therefore never ends inside a run of equal values,
  // or the next page would repeat it for ever. `limit` is a hint, as the registry documents.
  const boundary = sorted[end - 1];
  while (boundary && end < sorted.length && position(sorted[end] as JsonObject, valueOf(boundary)) === 0) end += 1;
  // Items without the sort field sort last and have no value to resume at: they all come on this page.
  const after = sorted[end];
  if (after && (valueOf(after) === undefined || valueOf(after) === null)) end = sorted.length;
  const page = sorted.slice(from, end);
  const nextDoc = sorted[end];
  const next = nextDoc ? valueText(valueOf(nextDoc)) : null;
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
