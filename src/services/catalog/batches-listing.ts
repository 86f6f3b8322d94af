import type { Scope } from '../../store/resources.repository.js';
import type { BatchColumn, BatchesRepository, BatchOrder } from './batches.repository.js';
import { listThroughCatalogIndex } from './catalog-index-listing.js';
import type { CatalogListRules } from './catalog-listing.js';

/**
 * `GET /batches` in SQL on `catalog_batches` (see `listThroughCatalogIndex`), given that a batch relates to one
 * dataset at most. Filters on a batch's other related objects and on its availability dates take the JS path.
 */
export function listBatches(batches: BatchesRepository, scope: Scope, query: Record<string, unknown>, rules: CatalogListRules): Promise<Record<string, unknown>> {
  return listThroughCatalogIndex<BatchColumn, BatchOrder['column']>(
    {
      simpleColumns: { dataSet: 'data_set_id', status: 'status' },
      conditionColumns: {
        status: { column: 'status', numeric: false },
        created: { column: 'created', numeric: true },
        updated: { column: 'updated', numeric: true },
      },
      rangeColumns: { createdAfter: { column: 'created', operator: '>' }, createdBefore: { column: 'created', operator: '<' } },
      orderColumns: { created: 'created', updated: 'updated' },
      page: async (query) => (await batches.page(scope, query)).map((row) => row.batch_id),
      ids: (where) => batches.ids(scope, where),
      answers: async (ids) => {
        const found = await batches.getMany(scope, ids);
        return ids.flatMap((id) => {
          const batch = found.get(id);
          return batch ? [{ ...batch.body, id }] : [];
        });
      },
    },
    query,
    rules,
  );
}
