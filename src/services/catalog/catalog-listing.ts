import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { parseOrderBy, sortItems } from '../../server/listing/order-by.js';
import { matchesFilter, parsePropertyFilter, queryValues, type PropertyFilter } from '../../server/listing/property-filter.js';

export const CatalogListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    start: Type.Optional(Type.Integer({ minimum: 0 })),
    orderBy: Type.Optional(Type.String()),
    properties: Type.Optional(Type.String()),
    property: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    createdAfter: Type.Optional(Type.Integer()),
    createdBefore: Type.Optional(Type.Integer()),
    tags: Type.Optional(Type.String()),
    // A simple filter on that dataset field, declared so that every spelling of a boolean finds the same datasets.
    enableErrorDiagnostics: Type.Optional(QueryBoolean({ description: 'Datasets: only those with (or without) error diagnostics.' })),
  },
  // Any other parameter is a simple filter on the top-level field of that name, as in AEP's Catalog.
  { additionalProperties: Type.String() },
);
export type CatalogListQuery = Static<typeof CatalogListQuery>;

/**
 * Catalog list conventions: an object keyed by id, `limit` 1–100 (default 20), `start` offset,
 * `orderBy=desc:created`, `properties=a,b` (top-level projection), `property=` filters and simple filters
 * such as `name=a,b` (OR) or `name=!a`.
 */
export function catalogListResponse(items: Record<string, unknown>[], query: CatalogListQuery): Record<string, unknown> {
  const filters = queryValues(query.property).map((p) => parsePropertyFilter(p, ['==', '!=', '<', '>', '<=', '>=', '~']));
  const simple = Object.entries(query)
    .filter(([field, value]) => !reserved.has(field) && (typeof value === 'string' || typeof value === 'boolean'))
    .map(([field, value]): PropertyFilter => {
      if (!/^[A-Za-z_][\w]*$/.test(field)) throw new ApiError('badFilter', `"${field}" is not a field name to filter on`);
      const text = String(value);
      return text.startsWith('!') ? { path: field, operator: '!=', values: text.slice(1).split(',') } : { path: field, operator: '==', values: text.split(',') };
    });
  const tags = parseTags(query.tags);
  const matching = items.filter(
    (item) =>
      [...filters, ...simple].every((f) => matchesFilter(item, f)) &&
      tags.every((tag) => hasTag(item, tag)) &&
      (query.createdAfter === undefined || Number(item.created) > query.createdAfter) &&
      (query.createdBefore === undefined || Number(item.created) < query.createdBefore),
  );
  const sorted = sortItems(matching, parseOrderBy(query.orderBy));
  const start = query.start ?? 0;
  const page = sorted.slice(start, start + (query.limit ?? 20));
  return Object.fromEntries(page.map((item) => [String(item.id), project(item, query.properties)]));
}

const reserved = new Set(['limit', 'start', 'orderBy', 'properties', 'property', 'createdAfter', 'createdBefore', 'tags']);

/** `tags=unifiedProfile:enabled:true,team:*` means every named tag must be there, with that value or any. */
function parseTags(text: string | undefined): { name: string; value: string }[] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new ApiError('badFilter', `tags filter "${part}" must be name:value or name:*`);
    return { name: part.slice(0, colon), value: part.slice(colon + 1) };
  });
}

function hasTag(item: Record<string, unknown>, tag: { name: string; value: string }): boolean {
  const tags = item.tags;
  const values = tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? (tags as Record<string, unknown>)[tag.name] : undefined;
  if (!Array.isArray(values)) return false;
  return tag.value === '*' || values.includes(tag.value);
}

export function project(item: Record<string, unknown>, properties: string | undefined): Record<string, unknown> {
  const fields = properties?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return fields ? Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])) : withoutId(item);
}

function withoutId(item: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = item;
  return rest;
}
