import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import type { ErrorKey } from '../../server/errors/error-catalog.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { compareToValues, parseOrderBy, type SortKey } from '../../server/listing/order-by.js';
import { valuesAt } from '../../server/listing/json-path.js';
import { matchesFilter, parsePropertyFilter, queryValues, type FilterOperator, type PropertyFilter } from '../../server/listing/property-filter.js';
import { readContinuationToken, writeContinuationToken } from '../../server/listing/continuation-token.js';

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
  const listing = FlowListing.of(query);
  const selected = listing.select(items, (item) => item, collectionPath);
  return 'count' in selected ? selected : { items: selected.rows, _links: selected.links };
}

/** A page of rows and the `_links` that lead on from it. */
export interface FlowListPage<T> {
  rows: T[];
  links: Record<string, unknown>;
}

/**
 * One list request, parsed: what it filters and sorts on, and which rows make its page. The rows can be anything
 * (stored rows, say) that `view` shows as the objects the filters and the order read, so a collection can page
 * before it builds the objects of the page alone.
 */
export class FlowListing {
  private constructor(
    private readonly state: PageState,
    private readonly filters: PropertyFilter[],
    private readonly keys: SortKey[],
    private readonly counting: boolean,
  ) {}

  static of(query: FlowListQuery): FlowListing {
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
    return new FlowListing(state, filters, keys, query.count === true);
  }

  /**
   * The parsed query, for a collection that filters, sorts and pages in its store: the filters (all must hold), the
   * order (ending in `id`), the page size, where the previous page ended, and whether only `{count}` is asked for.
   */
  plan(): { filters: readonly PropertyFilter[]; keys: readonly SortKey[]; limit: number; after: readonly unknown[] | undefined; counting: boolean } {
    return { filters: this.filters, keys: this.keys, limit: this.state.limit, after: this.state.after, counting: this.counting };
  }

  /** `_links` of a page that ended on `cursor` (its last object's values at `plan().keys`), with more objects after it. */
  nextLinks(collectionPath: string, cursor: readonly unknown[]): Record<string, unknown> {
    return { next: { href: `${collectionPath}?continuationToken=${encodeToken({ ...this.state, after: [...cursor] })}` } };
  }

  /** The top-level fields the filters and the order read (`lastRunDetails` for `lastRunDetails.state==failed`). */
  fields(): Set<string> {
    return new Set([...this.filters.map((f) => f.path), ...this.keys.map((k) => k.path)].map((path) => path.split('.')[0]?.replace(/\[\]$/, '') ?? ''));
  }

  /** `{count}` for count=true, else the page's rows with the link to the next page. */
  select<T>(rows: readonly T[], view: (row: T) => object, collectionPath: string): { count: number } | FlowListPage<T> {
    const selector = this.selector(view);
    selector.offer(rows);
    return selector.result(collectionPath);
  }

  /** A selection over rows offered a stretch at a time, for a list too long to hold (see `PageSelector`). */
  selector<T>(view: (row: T) => object): PageSelector<T> {
    return new PageSelector(view, this.plan(), (path, cursor) => this.nextLinks(path, cursor));
  }
}

/**
 * The page of a list picked from rows offered a stretch at a time, in any order: the rows that match and sort after
 * the cursor, of which only the page and one more (which says another page follows) are kept; for count=true only
 * the count. The order ends in `id`, so it is total and the page does not depend on the order rows come in.
 */
export class PageSelector<T> {
  private kept: { row: T; view: object }[] = [];
  private matched = 0;

  constructor(
    private readonly view: (row: T) => object,
    private readonly plan: ReturnType<FlowListing['plan']>,
    private readonly linksAfter: (collectionPath: string, cursor: readonly unknown[]) => Record<string, unknown>,
  ) {}

  offer(rows: readonly T[]): void {
    const { filters, keys, after, limit, counting } = this.plan;
    for (const row of rows) {
      const view = this.view(row);
      if (!filters.every((f) => matchesFilter(view, f))) continue;
      this.matched += 1;
      if (counting || (after !== undefined && compareToValues(view, keys, after) <= 0)) continue;
      this.kept.push({ row, view });
    }
    if (counting) return;
    this.kept.sort((a, b) => compareToValues(a.view, keys, keys.map((k) => valuesAt(b.view, k.path)[0])));
    if (this.kept.length > limit + 1) this.kept.length = limit + 1;
  }

  /** The rows held: at most the page and one more. */
  get held(): number {
    return this.kept.length;
  }

  result(collectionPath: string): { count: number } | FlowListPage<T> {
    const { keys, limit, counting } = this.plan;
    if (counting) return { count: this.matched };
    const page = this.kept.slice(0, limit);
    const last = page[page.length - 1];
    const links = last !== undefined && this.kept.length > limit ? this.linksAfter(collectionPath, keys.map((k) => valuesAt(last.view, k.path)[0])) : {};
    return { rows: page.map((v) => v.row), links };
  }
}

function encodeToken(state: PageState): string {
  return writeContinuationToken(state);
}

function decodeToken(token: string): PageState {
  return readContinuationToken(
    token,
    (value) => {
      const parsed = value as Partial<PageState> | null;
      if (
        parsed !== null && typeof parsed === 'object' &&
        typeof parsed.limit === 'number' && Number.isInteger(parsed.limit) && parsed.limit > 0 && parsed.limit <= 1000 &&
        Array.isArray(parsed.property) && parsed.property.every((p) => typeof p === 'string') &&
        (parsed.after === undefined || Array.isArray(parsed.after))
      ) {
        return { limit: parsed.limit, property: parsed.property, orderby: typeof parsed.orderby === 'string' ? parsed.orderby : undefined, after: parsed.after };
      }
      return undefined;
    },
    'is not valid',
  );
}
