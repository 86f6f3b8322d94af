import { indexedCondition } from '../../server/listing/indexed-condition.js';
import type { RunCondition, RunColumn, RunOrder } from '../../engine/run-list-query.js';
import type { RunsRepository } from '../../engine/runs.repository.js';
import type { SortKey } from '../../server/listing/order-by.js';
import type { PropertyFilter } from '../../server/listing/property-filter.js';
import type { Scope } from '../../store/resources.repository.js';
import { stretchSize } from '../../server/listing/stretches.js';
import type { FlowListing } from './flow-listing.js';

/** The run fields with an indexed column, and whether the API compares them as numbers. */
const indexed: Record<string, { column: RunColumn; numeric: boolean }> = {
  id: { column: 'run_id', numeric: false },
  flowId: { column: 'flow_id', numeric: false },
  'metrics.statusSummary.status': { column: 'status', numeric: false },
  createdAt: { column: 'created_at', numeric: true },
  updatedAt: { column: 'updated_at', numeric: true },
};

/**
 * `GET /runs` in SQL on `flow_runs`: the filters, the order and the keyset page, then the page's bodies alone.
 * The answers are the ones `FlowListing.select` gives over every body (the same token format, so a page may follow
 * either path), given that the body's `createdAt` and `updatedAt` are numbers, as the engine writes them.
 *
 * What the index cannot express falls back to that JS path, over only the runs the expressible filters leave:
 * - a filter on any other field (`metrics.recordSummary.outputRecordCount>0`);
 * - `<`, `>`, `<=`, `>=` on a text field (`flowId<x`: JS compares UTF-16 units, PostgreSQL its collation);
 * - a value that is not a whole number on `createdAt`/`updatedAt` (JS then compares the digits as text, or the
 *   fraction, which the bigint column cannot take);
 * - an order on anything but `createdAt`, `updatedAt` and `id` (JS orders text with `localeCompare`; run ids are
 *   lowercase UUIDs, which it orders as SQL does);
 * - a text value with a NUL character, which PostgreSQL refuses;
 * - a cursor whose values are not those of the order's columns (a token of a fallback page that ended on a gap).
 */
export async function listRuns(runs: RunsRepository, scope: Scope, listing: FlowListing, collectionPath: string): Promise<{ count: number } | { items: unknown[]; _links: Record<string, unknown> }> {
  const plan = listing.plan();
  const pushed = plan.filters.map(conditionOf);
  const where = pushed.filter((c): c is RunCondition => c !== undefined);
  const order = orderOf(plan.keys);
  const after = plan.after === undefined || order === undefined ? undefined : cursorOf(plan.after, order);
  if (pushed.some((c) => c === undefined) || order === undefined || (plan.after !== undefined && after === undefined)) {
    return fallback(runs, scope, listing, where, collectionPath);
  }
  if (plan.counting) return { count: await runs.count(scope, where) };
  // One row more than the page says whether another page follows.
  const rows = await runs.page(scope, { where, order, after, limit: plan.limit + 1 });
  const page = rows.slice(0, plan.limit);
  const records = await runs.records(scope, page.map((r) => r.run_id));
  const items = page.flatMap((r) => {
    const record = records.get(r.run_id);
    return record ? [record.body] : [];
  });
  const last = page[page.length - 1];
  const links = last !== undefined && rows.length > plan.limit ? listing.nextLinks(collectionPath, order.map((k) => last[k.column])) : {};
  return { items, _links: links };
}

/**
 * The runs the expressible filters leave, read a stretch at a time (by id) and filtered, sorted and paged in JS as
 * before the index; only the page and one more run are held (`PageSelector`), however many runs there are.
 */
async function fallback(runs: RunsRepository, scope: Scope, listing: FlowListing, where: RunCondition[], collectionPath: string): Promise<{ count: number } | { items: unknown[]; _links: Record<string, unknown> }> {
  const selector = listing.selector((body: object) => body);
  let after: (string | number)[] | undefined;
  for (;;) {
    const rows = await runs.page(scope, { where, order: [{ column: 'run_id', descending: false }], after, limit: stretchSize });
    const records = await runs.records(scope, rows.map((r) => r.run_id));
    selector.offer([...records.values()].map((r) => r.body));
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < stretchSize) break;
    after = [last.run_id];
  }
  const selected = selector.result(collectionPath);
  return 'count' in selected ? selected : { items: selected.rows, _links: selected.links };
}

function conditionOf(filter: PropertyFilter): RunCondition | undefined {
  const field = indexed[filter.path];
  return field === undefined ? undefined : indexedCondition(filter, field);
}

function orderOf(keys: readonly SortKey[]): RunOrder[] | undefined {
  const order: RunOrder[] = [];
  for (const key of keys) {
    const field = indexed[key.path];
    if (field === undefined || !(field.numeric || field.column === 'run_id')) return undefined;
    order.push({ column: field.column, descending: key.descending });
  }
  return order;
}

/** The cursor's values, when each is what its column holds (a number for times, text for the id). */
function cursorOf(after: readonly unknown[], order: readonly RunOrder[]): (string | number)[] | undefined {
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
