import { indexedCondition } from '../../server/listing/indexed-condition.js';
import type { SortKey } from '../../server/listing/order-by.js';
import type { PropertyFilter } from '../../server/listing/property-filter.js';
import type { IndexOrder } from '../../store/index-query.js';
import type { IndexedList } from './flow-collection.js';
import type { FlowListing } from './flow-listing.js';
import type { FlowColumn, FlowCondition, FlowsRepository } from './flows.repository.js';
import type { Scope } from '../../store/resources.repository.js';

/** The flow fields with an indexed column, and whether the API compares them as numbers. */
const indexed: Record<string, { column: FlowColumn; numeric: boolean }> = {
  id: { column: 'flow_id', numeric: false },
  name: { column: 'name', numeric: false },
  'flowSpec.id': { column: 'flow_spec_id', numeric: false },
  state: { column: 'state', numeric: false },
  createdAt: { column: 'created_at', numeric: true },
  updatedAt: { column: 'updated_at', numeric: true },
};

/** The connection lists, under each spelling a filter may give them (`sourceConnectionIds[]` walks the array too). */
const connectionFields: Record<string, 'source' | 'target'> = {
  sourceConnectionIds: 'source',
  'sourceConnectionIds[]': 'source',
  targetConnectionIds: 'target',
  'targetConnectionIds[]': 'target',
};

/**
 * `GET /flows` in SQL on `flows` and `flow_connections`: the filters, the order and the keyset page, then the
 * page's bodies alone. The answers are the ones `FlowListing.select` gives over every stored flow (the same
 * token format, so a page may follow either path), given that the body's `createdAt` and `updatedAt` are
 * numbers, as the audit fields write them.
 *
 * `undefined` where the index cannot express the query; the caller then lists in JS, over only the flows the
 * expressible filters leave (`narrowed`):
 * - a filter or an order on a field a flow derives from other objects (`lastRunDetails`, `inheritedAttributes`);
 * - a filter on any other field (`transformations.params.mappingId==x`);
 * - `<`, `>`, `<=`, `>=` on a text field (JS compares UTF-16 units, PostgreSQL its collation);
 * - a value that is not a whole number on `createdAt`/`updatedAt`;
 * - an order on anything but `createdAt`, `updatedAt` and `id` (JS orders text with `localeCompare`; flow ids are
 *   lowercase UUIDs, which it orders as SQL does);
 * - a text value with a NUL character, which PostgreSQL refuses;
 * - a cursor whose values are not those of the order's columns (a token of a fallback page).
 */
export async function listFlows(flows: FlowsRepository, scope: Scope, listing: FlowListing, collectionPath: string): Promise<IndexedList> {
  const plan = listing.plan();
  const pushed = plan.filters.map(conditionOf);
  const where = pushed.filter((c): c is FlowCondition => c !== undefined);
  const order = orderOf(plan.keys);
  const after = plan.after === undefined || order === undefined ? undefined : cursorOf(plan.after, order);
  if (pushed.some((c) => c === undefined) || order === undefined || (plan.after !== undefined && after === undefined)) {
    const ids = await flows.ids(scope, where);
    // In any order: the listing sorts them, and its order ends in the id.
    return { narrowed: [...(await flows.getMany(scope, ids)).values()] };
  }
  if (plan.counting) return { count: await flows.count(scope, where) };
  // One row more than the page says whether another page follows.
  const rows = await flows.page(scope, { where, order, after, limit: plan.limit + 1 });
  const page = rows.slice(0, plan.limit);
  const bodies = await flows.getMany(scope, page.map((r) => r.flow_id));
  const listed = page.flatMap((r) => {
    const flow = bodies.get(r.flow_id);
    return flow ? [flow] : [];
  });
  const last = page[page.length - 1];
  const links = last !== undefined && rows.length > plan.limit ? listing.nextLinks(collectionPath, order.map((k) => last[k.column])) : {};
  return { page: listed, links };
}

function conditionOf(filter: PropertyFilter): FlowCondition | undefined {
  const connection = Object.hasOwn(connectionFields, filter.path) ? connectionFields[filter.path] : undefined;
  if (connection !== undefined) {
    if (filter.operator === 'exists') return { connection, operator: 'present' };
    if (filter.operator === 'missing') return { connection, operator: 'absent' };
    if (filter.values.some((v) => v.includes('\u0000'))) return undefined;
    if (filter.operator === '==') return { connection, operator: 'in', values: filter.values };
    if (filter.operator === '!=') return { connection, operator: 'notIn', values: filter.values };
    return undefined;
  }
  const field = Object.hasOwn(indexed, filter.path) ? indexed[filter.path] : undefined;
  return field === undefined ? undefined : indexedCondition(filter, field);
}

function orderOf(keys: readonly SortKey[]): IndexOrder<FlowColumn>[] | undefined {
  const order: IndexOrder<FlowColumn>[] = [];
  for (const key of keys) {
    const field = Object.hasOwn(indexed, key.path) ? indexed[key.path] : undefined;
    if (field === undefined || !(field.numeric || field.column === 'flow_id')) return undefined;
    order.push({ column: field.column, descending: key.descending });
  }
  return order;
}

/** The cursor's values, when each is what its column holds (a number for times, text for the id). */
function cursorOf(after: readonly unknown[], order: readonly IndexOrder<FlowColumn>[]): (string | number)[] | undefined {
  if (after.length !== order.length) return undefined;
  const values: (string | number)[] = [];
  for (const [index, key] of order.entries()) {
    const value: unknown = after[index];
    const numeric = key.column === 'created_at' || key.column === 'updated_at';
    if (numeric && Number.isSafeInteger(value)) values.push(value as number);
    else if (!numeric && typeof value === 'string' && !value.includes('\u0000')) values.push(value);
    else return undefined;
  }
  return values;
}
