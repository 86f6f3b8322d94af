import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
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
    name: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type CatalogListQuery = Static<typeof CatalogListQuery>;

/**
 * Catalog list conventions: an object keyed by id, `limit` 1–100 (default 20), `start` offset,
 * `orderBy=desc:created`, `properties=a,b` (top-level projection), `property=` filters and simple filters
 * such as `name=a,b` (OR) or `name=!a`.
 */
export function catalogListResponse(items: Record<string, unknown>[], query: CatalogListQuery): Record<string, unknown> {
  const filters = queryValues(query.property).map((p) => parsePropertyFilter(p, ['==', '!=', '<', '>', '<=', '>=', '~']));
  const simple = (['name', 'status'] as const).flatMap((field): PropertyFilter[] => {
    const value = query[field];
    if (value === undefined) return [];
    return value.startsWith('!') ? [{ path: field, operator: '!=', values: value.slice(1).split(',') }] : [{ path: field, operator: '==', values: value.split(',') }];
  });
  const matching = items.filter(
    (item) =>
      [...filters, ...simple].every((f) => matchesFilter(item, f)) &&
      (query.createdAfter === undefined || Number(item.created) > query.createdAfter) &&
      (query.createdBefore === undefined || Number(item.created) < query.createdBefore),
  );
  const sorted = sortItems(matching, parseOrderBy(query.orderBy));
  const start = query.start ?? 0;
  const page = sorted.slice(start, start + (query.limit ?? 20));
  const fields = query.properties?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const out: Record<string, unknown> = {};
  for (const item of page) {
    const id = String(item.id);
    out[id] = fields ? Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])) : withoutId(item);
  }
  return out;
}

export function project(item: Record<string, unknown>, properties: string | undefined): Record<string, unknown> {
  const fields = properties?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return fields ? Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])) : withoutId(item);
}

function withoutId(item: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = item;
  return rest;
}

export function rejectLimitZero(raw: unknown): void {
  if (raw === '0') throw new ApiError('badPaging', 'limit must be between 1 and 100', { problems: [{ in: 'query', path: 'limit', message: 'must be >= 1' }] });
}
