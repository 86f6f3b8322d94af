import { Type, type Static } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { OffsetPageSelector } from '../../server/listing/offset-page.js';
import { parseOrderBy, type SortKey } from '../../server/listing/order-by.js';
import { matchesFilter, parsePropertyFilter, queryValues, type FilterOperator, type PropertyFilter } from '../../server/listing/property-filter.js';
import { valueText } from '../../server/listing/value-text.js';

const listParameters = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Objects per page, 1 to 100 (default 20).' })),
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'Zero-based offset of the first object.' })),
  orderBy: Type.Optional(Type.String({ description: 'e.g. `desc:created` or `name,desc:updated`.' })),
  sort: Type.Optional(Type.String({ description: 'The former name of `orderBy`.' })),
  properties: Type.Optional(Type.String({ description: 'Comma-separated top-level properties to return.' })),
  property: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'A condition such as `name~^test` or `version>1.0.3`.' })),
  createdAfter: Type.Optional(Type.Integer()),
  createdBefore: Type.Optional(Type.Integer()),
  tags: Type.Optional(Type.String({ description: 'e.g. `team:payments,unifiedProfile:*` (all must hold).' })),
  // A simple filter on that dataset field, declared so that every spelling of a boolean finds the same datasets.
  enableErrorDiagnostics: Type.Optional(QueryBoolean({ description: 'Datasets: only those with (or without) error diagnostics.' })),
};

// Any other parameter is a simple filter on the field of that name (`name=a,b`, `status=!failed`), as in AEP.
const simpleFilters = { additionalProperties: Type.String() };

export const CatalogListQuery = Type.Object(listParameters, simpleFilters);
export type CatalogListQuery = Static<typeof CatalogListQuery>;

/** Batches also filter on their availability dates. */
export const BatchListQuery = Type.Object(
  {
    ...listParameters,
    startAfter: Type.Optional(Type.Integer({ description: 'availableDates.startDate after this (epoch seconds).' })),
    startBefore: Type.Optional(Type.Integer()),
    endAfter: Type.Optional(Type.Integer({ description: 'availableDates.endDate after this (epoch seconds).' })),
    endBefore: Type.Optional(Type.Integer()),
  },
  simpleFilters,
);

/** How one kind of Catalog object is filtered beyond its own top-level fields. */
export interface CatalogListRules {
  /** Simple filters that read something other than the top-level field of the same name. */
  valuesOf?: Record<string, (item: Record<string, unknown>) => unknown[]>;
  /** Range parameters: the value they bound, and on which side. */
  ranges?: Record<string, { of: (item: Record<string, unknown>) => unknown; after: boolean }>;
}

const createdRanges: NonNullable<CatalogListRules['ranges']> = {
  createdAfter: { of: (item) => item.created, after: true },
  createdBefore: { of: (item) => item.created, after: false },
};

const paging = new Set(['limit', 'start', 'orderBy', 'sort', 'properties', 'property', 'tags']);

/**
 * Catalog list conventions: an object keyed by id, `limit` 1–100 (default 20), `start` offset,
 * `orderBy=desc:created` (or its former name `sort`), `properties=a,b` (top-level projection), `property=`
 * conditions, `tags=`, `createdAfter`/`createdBefore`, and simple filters such as `name=a,b` (any of) or
 * `name=!a,b` (none of). Every filter narrows the list: one that names a field no object has matches nothing.
 */
export function catalogListResponse(items: Record<string, unknown>[], query: Record<string, unknown>, rules: CatalogListRules = {}): Record<string, unknown> {
  return catalogAnswer(catalogPage(items, query, rules), query);
}

/** A page as Catalog answers it: keyed by id, each object with the `properties` the query asks for. */
export function catalogAnswer(page: readonly Record<string, unknown>[], query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(page.map((item) => [String(item.id), project(item, optionalText(query.properties))]));
}

/** The objects of the requested page, filtered and sorted, before projection. */
function catalogPage(items: Record<string, unknown>[], query: Record<string, unknown>, rules: CatalogListRules = {}): Record<string, unknown>[] {
  const selector = catalogPageSelector(query, rules);
  selector.offer(items);
  return selector.page();
}

/** The page of a Catalog list, picked from its objects offered a stretch at a time in stored order. */
export function catalogPageSelector(query: Record<string, unknown>, rules: CatalogListRules = {}): OffsetPageSelector<Record<string, unknown>> {
  const accepts = catalogFilter(query, rules);
  const { order, start, limit } = catalogQueryParts(query, rules);
  return new OffsetPageSelector(order, start, limit, accepts);
}

/**
 * A list query taken apart, for a list that filters, sorts and pages in its store: the simple filters (field and
 * text, as `name=!a,b`), the range parameters given, the `property=` conditions, `tags=`, the order and the page.
 * Filters are checked by `catalogFilter`, which the caller calls first.
 */
export function catalogQueryParts(query: Record<string, unknown>, rules: CatalogListRules = {}): {
  simple: [string, string][];
  ranges: [string, number][];
  conditions: PropertyFilter[];
  tags: string | undefined;
  order: SortKey[];
  start: number;
  limit: number;
} {
  if (query.orderBy !== undefined && query.sort !== undefined && query.orderBy !== query.sort) {
    throw new ApiError('badOrderBy', '`sort` is the former name of `orderBy`; send one of them', { problems: [{ in: 'query', path: 'sort', message: 'conflicts with orderBy' }] });
  }
  const ranges = { ...createdRanges, ...rules.ranges };
  return {
    simple: Object.entries(query)
      .filter(([field, value]) => !paging.has(field) && !Object.hasOwn(ranges, field) && (typeof value === 'string' || typeof value === 'boolean'))
      .map(([field, value]) => [field, String(value)]),
    ranges: Object.keys(ranges).flatMap((name) => (typeof query[name] === 'number' ? [[name, query[name]] as [string, number]] : [])),
    conditions: queryValues(query.property as string | string[] | undefined).map((p) => parsePropertyFilter(p, conditionOperators)),
    tags: optionalText(query.tags),
    order: parseOrderBy(optionalText(query.orderBy) ?? optionalText(query.sort)),
    start: typeof query.start === 'number' ? query.start : 0,
    limit: typeof query.limit === 'number' ? query.limit : 20,
  };
}

const conditionOperators: FilterOperator[] = ['==', '!=', '<', '>', '<=', '>=', '~'];

/** One predicate for every filter of a list query. */
export function catalogFilter(query: Record<string, unknown>, rules: CatalogListRules = {}): (item: Record<string, unknown>) => boolean {
  const ranges = { ...createdRanges, ...rules.ranges };
  const conditions = queryValues(query.property as string | string[] | undefined).map((p) => parsePropertyFilter(p, conditionOperators));
  const simple = Object.entries(query)
    .filter(([field, value]) => !paging.has(field) && !Object.hasOwn(ranges, field) && (typeof value === 'string' || typeof value === 'boolean'))
    .map(([field, value]) => simpleFilter(field, String(value), ownEntry(rules.valuesOf, field)));
  const bounds = Object.entries(ranges)
    .filter(([name]) => typeof query[name] === 'number')
    .map(([name, range]) => (item: Record<string, unknown>) => {
      const value = range.of(item);
      const limit = query[name] as number;
      return typeof value === 'number' && (range.after ? value > limit : value < limit);
    });
  const tags = parseTags(optionalText(query.tags));
  return (item) =>
    conditions.every((c) => matchesCondition(item, c)) && simple.every((f) => f(item)) && bounds.every((b) => b(item)) && tags.every((tag) => hasTag(item, tag));
}

function simpleFilter(field: string, text: string, reader: ((item: Record<string, unknown>) => unknown[]) | undefined): (item: Record<string, unknown>) => boolean {
  if (!/^[A-Za-z_][\w]*$/.test(field)) {
    throw new ApiError('badFilter', `"${field}" is not a field name to filter on`, { problems: [{ in: 'query', path: field, message: 'not a field name' }] });
  }
  const negated = text.startsWith('!');
  const values = (negated ? text.slice(1) : text).split(',');
  if (values.some((v) => v === '')) {
    throw new ApiError('badFilter', `filter ${field}=${text} has an empty value`, { problems: [{ in: 'query', path: field, message: 'has an empty value' }] });
  }
  if (!reader) {
    const filter: PropertyFilter = { path: field, operator: negated ? '!=' : '==', values };
    return (item) => matchesCondition(item, filter);
  }
  return (item) => {
    const found = reader(item).map(valueText);
    const any = values.some((v) => found.includes(v));
    return negated ? !any : any;
  };
}

/** `property=` conditions, with two Catalog rules on top of the shared ones: versions compare as versions, names take `*`. */
function matchesCondition(item: Record<string, unknown>, filter: PropertyFilter): boolean {
  if (filter.path === 'version' && ['<', '>', '<=', '>='].includes(filter.operator) && typeof item.version === 'string') {
    const order = compareVersions(item.version, filter.values[0] ?? '');
    return { '<': order < 0, '>': order > 0, '<=': order <= 0, '>=': order >= 0 }[filter.operator as '<' | '>' | '<=' | '>='];
  }
  if (filter.path === 'name' && (filter.operator === '==' || filter.operator === '!=') && filter.values.some((v) => v.includes('*'))) {
    const any = typeof item.name === 'string' && filter.values.some((v) => wildcard(v).test(item.name as string));
    return filter.operator === '==' ? any : !any;
  }
  return matchesFilter(item, filter);
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const right = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const d = (left[i] ?? 0) - (right[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `te*st` matches "test" and "teeest"; `**` is a literal asterisk. */
function wildcard(pattern: string): RegExp {
  const parts = pattern.split('**').map((part) => part.split('*').map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^${parts.join('\\*')}$`, 's');
}

/** `tags=unifiedProfile:enabled:true,team:pay*,other:*` means every named tag must be there, with a matching value. */
function parseTags(text: string | undefined): { name: string; value: RegExp }[] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1) {
      throw new ApiError('badFilter', `tags filter "${part}" must be name:value, name:prefix* or name:*`, { problems: [{ in: 'query', path: 'tags', message: `"${part}" is not name:value` }] });
    }
    return { name: part.slice(0, colon), value: wildcard(part.slice(colon + 1)) };
  });
}

function hasTag(item: Record<string, unknown>, tag: { name: string; value: RegExp }): boolean {
  const values = isRecord(item.tags) ? item.tags[tag.name] : undefined;
  return Array.isArray(values) && values.some((v) => typeof v === 'string' && tag.value.test(v));
}

/** `properties=a,b`: only those top-level fields (an object with none of them is `{}`); otherwise all but `id`. */
export function project(item: Record<string, unknown>, properties: string | undefined): Record<string, unknown> {
  const fields = properties?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return fields ? Object.fromEntries(fields.filter((f) => Object.hasOwn(item, f)).map((f) => [f, item[f]])) : withoutId(item);
}

function withoutId(item: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = item;
  return rest;
}

/** A rule by name, never one inherited from Object.prototype (`?constructor=x` is a field name like any other). */
export function ownEntry<T>(table: Record<string, T> | undefined, name: string): T | undefined {
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
