import { indexedCondition, type IndexedField } from '../../server/listing/indexed-condition.js';
import type { PropertyFilter } from '../../server/listing/property-filter.js';
import type { IndexCondition } from '../../store/index-query.js';
import { inStretches } from '../../server/listing/stretches.js';
import { catalogAnswer, catalogFilter, catalogPageSelector, catalogQueryParts, type CatalogListRules } from './catalog-listing.js';

/** A Catalog kind's index table, as its list reads it. */
export interface CatalogIndex<C extends string, O extends C> {
  /** Simple filters (`dataSet=a,b`, `status=!failed`) on a column, by the parameter's name. */
  simpleColumns: Readonly<Record<string, C>>;
  /** `property=` conditions on a column, and whether the API compares them as numbers. */
  conditionColumns: Readonly<Record<string, IndexedField<C>>>;
  /** Range parameters on a column, and which side of the value they keep. */
  rangeColumns: Readonly<Record<string, { column: C; operator: '>' | '<' }>>;
  /** The fields an order may name, by their (numeric, nullable) column. */
  orderColumns: Readonly<Record<string, O>>;
  /** The ids of a page, in `order` and then in the order the objects were stored. */
  page(query: { where: readonly IndexCondition<C>[]; order: readonly { column: O; descending: boolean }[]; offset: number; limit: number }): Promise<string[]>;
  /** Every matching id, in the order the objects were stored. */
  ids(where: readonly IndexCondition<C>[]): Promise<string[]>;
  /** The objects as the API answers them (their bodies with `id`, and what they derive), in the order of `ids`. */
  answers(ids: readonly string[]): Promise<Record<string, unknown>[]>;
}

/**
 * A Catalog list in SQL on an index table: the filters, the order and the `start`/`limit` page, then the page's
 * objects alone. The answers are the ones `catalogListResponse` gives over every object, given that the indexed
 * times are numbers where they are set (as every writer sets them).
 *
 * What the index cannot express is filtered, sorted and paged in JS as before, over only the objects the
 * expressible filters leave, read 500 at a time and holding only those up to the page's end (`OffsetPageSelector`):
 * - a simple filter on another field (`createdClient=x`), `tags=`, another range parameter;
 * - a `property=` condition on another field, `<`/`>`/`~` on a text column, or a value that is not a whole number
 *   on a time column;
 * - an order on anything but the time columns (JS orders text with `localeCompare`);
 * - a text value with a NUL character, which PostgreSQL refuses;
 * - a name filter with `*`, which Catalog reads as a wildcard.
 */
export async function listThroughCatalogIndex<C extends string, O extends C>(index: CatalogIndex<C, O>, query: Record<string, unknown>, rules: CatalogListRules): Promise<Record<string, unknown>> {
  // Checks every filter first, so a bad one is refused the same way on either path.
  catalogFilter(query, rules);
  const parts = catalogQueryParts(query, rules);
  const pushed: (IndexCondition<C> | undefined)[] = [
    ...parts.simple.map(([field, text]) => simpleCondition(index, field, text)),
    ...parts.ranges.map(([name, value]) => {
      const range = Object.hasOwn(index.rangeColumns, name) ? index.rangeColumns[name] : undefined;
      // A bound past what a bigint holds (1e400 reads as Infinity) is compared in JS.
      return range && Number.isSafeInteger(value) ? { column: range.column, operator: range.operator, value } : undefined;
    }),
    ...parts.conditions.map((filter) => propertyCondition(index, filter)),
    ...(parts.tags !== undefined ? [undefined] : []),
  ];
  const where = pushed.filter((c): c is IndexCondition<C> => c !== undefined);
  const order = parts.order.map((key) => {
    const column = Object.hasOwn(index.orderColumns, key.path) ? index.orderColumns[key.path] : undefined;
    return column === undefined ? undefined : { column, descending: key.descending };
  });
  if (pushed.some((c) => c === undefined) || order.some((k) => k === undefined)) {
    // Read a stretch at a time in stored order, holding only the objects up to the page's end.
    const selector = catalogPageSelector(query, rules);
    for await (const stretch of inStretches(await index.ids(where), (ids) => index.answers(ids))) selector.offer(stretch);
    return catalogAnswer(selector.page(), query);
  }
  // No store holds that many objects (and SQL's OFFSET takes no such number): the page is empty, as the JS path says.
  if (!Number.isSafeInteger(parts.start)) return {};
  const ids = await index.page({ where, order: order as { column: O; descending: boolean }[], offset: parts.start, limit: parts.limit });
  return catalogAnswer(await index.answers(ids), query);
}

/** `dataSet=a,b` (any of them) or `status=!a,b` (none of them), as `catalogFilter` reads them. */
function simpleCondition<C extends string, O extends C>(index: CatalogIndex<C, O>, field: string, text: string): IndexCondition<C> | undefined {
  const column = Object.hasOwn(index.simpleColumns, field) ? index.simpleColumns[field] : undefined;
  if (column === undefined) return undefined;
  const negated = text.startsWith('!');
  const values = (negated ? text.slice(1) : text).split(',');
  if (values.some((v) => v.includes('\u0000')) || namePattern(field, values)) return undefined;
  return { column, operator: negated ? 'notIn' : 'in', values };
}

/** Catalog reads `*` in a name filter as a wildcard (see `matchesCondition`): such a filter takes the JS path. */
function namePattern(field: string, values: readonly string[]): boolean {
  return field === 'name' && values.some((v) => v.includes('*'));
}

function propertyCondition<C extends string, O extends C>(index: CatalogIndex<C, O>, filter: PropertyFilter): IndexCondition<C> | undefined {
  const field = Object.hasOwn(index.conditionColumns, filter.path) ? index.conditionColumns[filter.path] : undefined;
  return field === undefined || namePattern(filter.path, filter.values) ? undefined : indexedCondition(filter, field);
}
