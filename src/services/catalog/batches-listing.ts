import { indexedCondition } from '../../server/listing/indexed-condition.js';
import type { PropertyFilter } from '../../server/listing/property-filter.js';
import type { Scope } from '../../store/resources.repository.js';
import type { BatchColumn, BatchCondition, BatchesRepository, BatchOrder } from './batches.repository.js';
import { catalogFilter, catalogListResponse, catalogQueryParts, project, type CatalogListRules } from './catalog-listing.js';

/** Simple filters (`dataSet=a,b`, `status=!failed`) on a column, by the parameter's name. */
const simpleColumns: Record<string, BatchColumn> = { dataSet: 'data_set_id', status: 'status' };

/** `property=` conditions on a column, and whether the API compares them as numbers. */
const conditionColumns: Record<string, { column: BatchColumn; numeric: boolean }> = {
  status: { column: 'status', numeric: false },
  created: { column: 'created', numeric: true },
  updated: { column: 'updated', numeric: true },
};

/** Range parameters on a column: which side of the value they keep. */
const rangeColumns: Record<string, BatchCondition['operator'] & ('>' | '<')> = { createdAfter: '>', createdBefore: '<' };

const orderColumns: Record<string, BatchOrder['column']> = { created: 'created', updated: 'updated' };

/**
 * `GET /batches` in SQL on `catalog_batches`: the filters, the order and the `start`/`limit` page, then the page's
 * bodies alone. The answers are the ones `catalogListResponse` gives over every batch, given that a batch relates
 * to one dataset at most and that `created` and `updated` are numbers where they are set (as every writer sets them).
 *
 * What the index cannot express is filtered, sorted and paged in JS as before, over only the batches the
 * expressible filters leave:
 * - a simple filter on another field (`createdClient=x`, `batch=upstream-1`), `tags=`, the availability ranges;
 * - a `property=` condition on another field, `<`/`>`/`~` on `status`, or a value that is not a whole number on
 *   `created`/`updated`;
 * - an order on anything but `created` and `updated` (JS orders text with `localeCompare`);
 * - a text value with a NUL character, which PostgreSQL refuses.
 */
export async function listBatches(batches: BatchesRepository, scope: Scope, query: Record<string, unknown>, rules: CatalogListRules): Promise<Record<string, unknown>> {
  // Checks every filter first, so a bad one is refused the same way on either path.
  catalogFilter(query, rules);
  const parts = catalogQueryParts(query, rules);
  const pushed: (BatchCondition | undefined)[] = [
    ...parts.simple.map(([field, text]) => simpleCondition(field, text)),
    ...parts.ranges.map(([name, value]) => {
      const operator = Object.hasOwn(rangeColumns, name) ? rangeColumns[name] : undefined;
      return operator ? { column: 'created' as const, operator, value } : undefined;
    }),
    ...parts.conditions.map(propertyCondition),
    ...(parts.tags !== undefined ? [undefined] : []),
  ];
  const where = pushed.filter((c): c is BatchCondition => c !== undefined);
  const order = parts.order.map((key) => (Object.hasOwn(orderColumns, key.path) ? { column: orderColumns[key.path] as BatchOrder['column'], descending: key.descending } : undefined));
  if (pushed.some((c) => c === undefined) || order.some((k) => k === undefined)) {
    const ids = await batches.ids(scope, where);
    const found = await batches.getMany(scope, ids);
    // In the order they were stored: the order a list without `orderBy` keeps, and the tie-break of every other.
    const items = ids.flatMap((id) => {
      const batch = found.get(id);
      return batch ? [{ ...batch.body, id }] : [];
    });
    return catalogListResponse(items, query, rules);
  }
  const rows = await batches.page(scope, { where, order: order as BatchOrder[], offset: parts.start, limit: parts.limit });
  const found = await batches.getMany(scope, rows.map((r) => r.batch_id));
  const properties = typeof query.properties === 'string' && query.properties.trim() !== '' ? query.properties : undefined;
  return Object.fromEntries(
    rows.flatMap((r) => {
      const batch = found.get(r.batch_id);
      return batch ? [[r.batch_id, project({ ...batch.body, id: r.batch_id }, properties)]] : [];
    }),
  );
}

/** `dataSet=a,b` (any of them) or `status=!a,b` (none of them), as `catalogFilter` reads them. */
function simpleCondition(field: string, text: string): BatchCondition | undefined {
  const column = Object.hasOwn(simpleColumns, field) ? simpleColumns[field] : undefined;
  if (column === undefined) return undefined;
  const negated = text.startsWith('!');
  const values = (negated ? text.slice(1) : text).split(',');
  if (values.some((v) => v.includes('\u0000'))) return undefined;
  return { column, operator: negated ? 'notIn' : 'in', values };
}

function propertyCondition(filter: PropertyFilter): BatchCondition | undefined {
  const field = Object.hasOwn(conditionColumns, filter.path) ? conditionColumns[filter.path] : undefined;
  return field === undefined ? undefined : indexedCondition(filter, field);
}
