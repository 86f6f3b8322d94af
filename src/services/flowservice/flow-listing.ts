import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { parseOrderBy, sortItems } from '../../server/listing/order-by.js';
import { matchesFilter, parsePropertyFilter, queryValues, type FilterOperator } from '../../server/listing/property-filter.js';

export const FlowListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  continuationToken: Type.Optional(Type.String()),
  property: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  orderby: Type.Optional(Type.String()),
  count: Type.Optional(Type.Boolean()),
});
export type FlowListQuery = Static<typeof FlowListQuery>;

const defaultLimit = 100;
const operators: FilterOperator[] = ['==', '!=', '<', '>', '<=', '>='];

interface PageState {
  offset: number;
  limit: number;
  property: string[];
  orderby?: string | undefined;
}

/**
 * Flow Service list conventions: `property=` filters (AND; comma = OR), `orderby=±field`, `limit` with a
 * continuation token in `_links.next.href`, and `count=true` returning only `{count}`.
 * The token carries the whole query, so `_links.next.href` has exactly one `=` (clients split on it).
 */
export function flowListResponse(items: object[], query: FlowListQuery, collectionPath: string): object {
  if (query.count && query.limit !== undefined) {
    throw new ApiError('limitWithCount', 'The "limit" and "count" query parameters cannot be used together.', {
      problems: [{ in: 'query', path: 'limit', message: 'not allowed with count=true' }],
    });
  }
  const state = query.continuationToken ? decodeToken(query.continuationToken) : {
    offset: 0,
    limit: query.limit ?? defaultLimit,
    property: queryValues(query.property),
    orderby: query.orderby,
  };
  const filters = state.property.map((p) => parsePropertyFilter(p, operators));
  const matching = sortItems(items.filter((item) => filters.every((f) => matchesFilter(item, f))), parseOrderBy(state.orderby));
  if (query.count) return { count: matching.length };
  const page = matching.slice(state.offset, state.offset + state.limit);
  const nextOffset = state.offset + page.length;
  const links: Record<string, unknown> = {};
  if (nextOffset < matching.length) {
    links.next = { href: `${collectionPath}?continuationToken=${encodeToken({ ...state, offset: nextOffset })}` };
  }
  return { items: page, _links: links };
}

function encodeToken(state: PageState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeToken(token: string): PageState {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<PageState>;
    if (
      typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0 &&
      typeof parsed.limit === 'number' && Number.isInteger(parsed.limit) && parsed.limit > 0 &&
      Array.isArray(parsed.property) && parsed.property.every((p) => typeof p === 'string')
    ) {
      return { offset: parsed.offset, limit: parsed.limit, property: parsed.property, orderby: typeof parsed.orderby === 'string' ? parsed.orderby : undefined };
    }
  } catch {
    // fall through to the error below
  }
  throw new ApiError('badContinuationToken', 'The continuationToken is not one this server issued; start the listing again without it.', {
    problems: [{ in: 'query', path: 'continuationToken', message: 'is not valid' }],
  });
}
