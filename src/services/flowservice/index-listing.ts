import { indexedCondition, type IndexedField } from '../../server/listing/indexed-condition.js';
import type { SortKey } from '../../server/listing/order-by.js';
import type { PropertyFilter } from '../../server/listing/property-filter.js';
import type { IndexCondition, IndexOrder, IndexPageQuery } from '../../store/index-query.js';
import type { StoredResource } from '../../store/resources.repository.js';
import { inStretches } from '../../server/listing/stretches.js';
import type { IndexedList } from './flow-collection.js';
import type { FlowListing } from './flow-listing.js';

/** An index table a Flow Service list pages through, and the bodies it points at. */
export interface ListIndex<C extends string, W, R, S extends StoredResource = StoredResource> {
  /** The API fields with an indexed column; `id` among them. */
  fields: Readonly<Record<string, IndexedField<C>>>;
  /** The column of the object's id, the last key of every order. */
  idColumn: C;
  page(query: IndexPageQuery<C, W>): Promise<R[]>;
  count(where: readonly W[]): Promise<number>;
  /** Every matching id, read a bounded page at a time. */
  ids(where: readonly W[]): Promise<string[]>;
  bodies(ids: readonly string[]): Promise<Map<string, S>>;
  valueOf(row: R, column: C): string | number;
  /** A filter on something other than an indexed field (a flow's connection ids), or undefined. */
  extraCondition?(filter: PropertyFilter): W | undefined;
}

/**
 * A Flow Service list in SQL on an index table: the filters, the order and the keyset page, then the page's
 * bodies alone. The answers are the ones `FlowListing.select` gives over every stored object (the same token
 * format, so a page may follow either path), given that the body's `createdAt` and `updatedAt` are numbers, as
 * the audit fields write them.
 *
 * Where the index cannot express the query it answers `narrowed`, the objects its expressible filters leave, read
 * 500 at a time, and the caller selects the page from those in JS, holding only the page (`PageSelector`):
 * - a filter on a field without a column (`transformations.params.mappingId==x`), or a derived one;
 * - `<`, `>`, `<=`, `>=` on a text field (JS compares UTF-16 units, PostgreSQL its collation);
 * - a value that is not a whole number on a time field;
 * - an order on anything but the numeric fields and the id (JS orders text with `localeCompare`; ids are
 *   lowercase UUIDs, which it orders as SQL does);
 * - a text value with a NUL character, which PostgreSQL refuses;
 * - a cursor whose values are not those of the order's columns (a token of a fallback page).
 */
export async function listThroughIndex<C extends string, W, R, S extends StoredResource>(index: ListIndex<C, W | IndexCondition<C>, R, S>, listing: FlowListing, collectionPath: string): Promise<IndexedList<S>> {
  const plan = listing.plan();
  const pushed = plan.filters.map((filter) => conditionOf(index, filter));
  const where = pushed.filter((c): c is W | IndexCondition<C> => c !== undefined);
  const order = orderOf(index, plan.keys);
  const after = plan.after === undefined || order === undefined ? undefined : cursorOf(index, plan.after, order);
  if (pushed.some((c) => c === undefined) || order === undefined || (plan.after !== undefined && after === undefined)) {
    // In any order: the listing sorts them, and its order ends in the id.
    return { narrowed: inStretches(await index.ids(where), async (ids) => [...(await index.bodies(ids)).values()]) };
  }
  if (plan.counting) return { count: await index.count(where) };
  // One row more than the page says whether another page follows.
  const rows = await index.page({ where, order, after, limit: plan.limit + 1 });
  const page = rows.slice(0, plan.limit);
  const bodies = await index.bodies(page.map((row) => String(index.valueOf(row, index.idColumn))));
  const listed = page.flatMap((row) => {
    const stored = bodies.get(String(index.valueOf(row, index.idColumn)));
    return stored ? [stored] : [];
  });
  const last = page[page.length - 1];
  const links = last !== undefined && rows.length > plan.limit ? listing.nextLinks(collectionPath, order.map((key) => index.valueOf(last, key.column))) : {};
  return { page: listed, links };
}

function conditionOf<C extends string, W, R, S extends StoredResource>(index: ListIndex<C, W, R, S>, filter: PropertyFilter): W | IndexCondition<C> | undefined {
  const extra = index.extraCondition?.(filter);
  if (extra !== undefined) return extra;
  const field = Object.hasOwn(index.fields, filter.path) ? index.fields[filter.path] : undefined;
  return field === undefined ? undefined : indexedCondition(filter, field);
}

function orderOf<C extends string, W, R>(index: ListIndex<C, W, R>, keys: readonly SortKey[]): IndexOrder<C>[] | undefined {
  const order: IndexOrder<C>[] = [];
  for (const key of keys) {
    const field = Object.hasOwn(index.fields, key.path) ? index.fields[key.path] : undefined;
    if (field === undefined || !(field.numeric || field.column === index.idColumn)) return undefined;
    order.push({ column: field.column, descending: key.descending });
  }
  return order;
}

/** The cursor's values, when each is what its column holds (a number for times, text for the id). */
function cursorOf<C extends string, W, R>(index: ListIndex<C, W, R>, after: readonly unknown[], order: readonly IndexOrder<C>[]): (string | number)[] | undefined {
  if (after.length !== order.length) return undefined;
  const numeric = new Set(Object.values(index.fields).filter((f) => f.numeric).map((f) => f.column));
  const values: (string | number)[] = [];
  for (const [position, key] of order.entries()) {
    const value: unknown = after[position];
    if (numeric.has(key.column) && Number.isSafeInteger(value)) values.push(value as number);
    else if (!numeric.has(key.column) && typeof value === 'string' && !value.includes('\u0000')) values.push(value);
    else return undefined;
  }
  return values;
}
