import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import type { ErrorKey } from '../../server/errors/error-catalog.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { compareToValues, parseOrderBy, sortItems, type SortKey } from '../../server/listing/order-by.js';
import { valuesAt } from '../../server/listing/json-path.js';
import { matchesFilter, parsePropertyFilter, queryValues, type FilterOperator } from '../../server/listing/property-filter.js';

export const FlowListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Objects per page; 100 when left out. Not with count.' })),
  continuationToken: Type.Optional(Type.String({ description: 'Where the previous page ended, from its `_links.next.href`; it carries the whole query' })),
  property: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String())], {
      description: 'A filter: field==value (also !=, <, >, <=, >=; commas between values mean or), field (present) or !field (absent). Repeated, all must hold.',
      examples: ['flowId==0123-4567'],
    }),
  ),
  orderby: Type.Optional(Type.String({ description: 'field, +field (ascending) or -field (descending)', examples: ['-createdAt'] })),
  count: Type.Optional(QueryBoolean({ description: 'Answer only `{count}`, the number of matching objects.' })),
});
export type FlowListQuery = Static<typeof FlowListQuery>;

/** The errors `flowListResponse` can raise, for a listing's API reference. */
export const flowListErrors: ErrorKey[] = ['limitWithCount', 'badFilter', 'operatorNotImplemented', 'badOrderBy', 'badContinuationToken'];

const defaultLimit = 100;
const operators: FilterOperator[] = ['==', '!=', '<', '>', '<=', '>='];

interface PageState {
  limit: number;
  property: string[];
  orderby?: string | undefined;
  /** Where the previous page ended: its last item's sort values, id last (a keyset cursor, so deletes between pages skip nothing). */
  after?: unknown[] | undefined;
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
  const state: PageState = query.continuationToken ? decodeToken(query.continuationToken) : {
    limit: query.limit ?? defaultLimit,
    property: queryValues(query.property),
    orderby: query.orderby,
  };
  const filters = state.property.map((p) => parsePropertyFilter(p, operators));
  const keys: SortKey[] = [...parseOrderBy(state.orderby), { path: 'id', descending: false }];
  const matching = sortItems(items.filter((item) => filters.every((f) => matchesFilter(item, f))), keys);
  if (query.count) return { count: matching.length };
  const after = state.after;
  const from = after === undefined ? 0 : matching.findIndex((item) => compareToValues(item, keys, after) > 0);
  const page = from < 0 ? [] : matching.slice(from, from + state.limit);
  const last = page[page.length - 1];
  const links: Record<string, unknown> = {};
  if (last !== undefined && from + page.length < matching.length) {
    const cursor = keys.map((k) => valuesAt(last, k.path)[0]);
    links.next = { href: `${collectionPath}?continuationToken=${encodeToken({ ...state, after: cursor })}` };
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
      typeof parsed.limit === 'number' && Number.isInteger(parsed.limit) && parsed.limit > 0 && parsed.limit <= 1000 &&
      Array.isArray(parsed.property) && parsed.property.every((p) => typeof p === 'string') &&
      (parsed.after === undefined || Array.isArray(parsed.after))
    ) {
      return { limit: parsed.limit, property: parsed.property, orderby: typeof parsed.orderby === 'string' ? parsed.orderby : undefined, after: parsed.after };
    }
  } catch {
    // fall through to the error below
  }
  throw new ApiError('badContinuationToken', 'The continuationToken is not one this server issued; start the listing again without it.', {
    problems: [{ in: 'query', path: 'continuationToken', message: 'is not valid' }],
  });
}
