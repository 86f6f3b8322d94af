import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import type { BatchesRepository } from './batches.repository.js';
import { listThroughCatalogIndex } from './catalog-index-listing.js';
import { answeredDataSets } from './dataset-answers.js';
import type { DataSetColumn, DataSetOrder, DataSetsRepository } from './datasets.repository.js';

/**
 * `GET /dataSets` in SQL on `catalog_data_sets` (see `listThroughCatalogIndex`): only the page's datasets are read
 * and answered (with their last batches). Filters and orders on what a dataset derives from its batches
 * (`lastBatchStatus`, …) or on other fields take the JS path.
 */
export function listDataSets(deps: { repo: ResourcesRepository; dataSets: DataSetsRepository; batches: BatchesRepository }, scope: Scope, query: Record<string, unknown>): Promise<Record<string, unknown>> {
  return listThroughCatalogIndex<DataSetColumn, DataSetOrder['column']>(
    {
      simpleColumns: { name: 'name', state: 'state' },
      conditionColumns: {
        id: { column: 'data_set_id', numeric: false },
        name: { column: 'name', numeric: false },
        'schemaRef.id': { column: 'schema_id', numeric: false },
        state: { column: 'state', numeric: false },
        created: { column: 'created', numeric: true },
        updated: { column: 'updated', numeric: true },
      },
      rangeColumns: { createdAfter: { column: 'created', operator: '>' }, createdBefore: { column: 'created', operator: '<' } },
      orderColumns: { created: 'created', updated: 'updated' },
      page: async (page) => (await deps.dataSets.page(scope, page)).map((row) => row.data_set_id),
      ids: (where) => deps.dataSets.ids(scope, where),
      answers: async (ids) => {
        const found = await deps.dataSets.getMany(scope, ids);
        const stored = ids.flatMap((id) => {
          const dataSet = found.get(id);
          return dataSet ? [dataSet] : [];
        });
        return answeredDataSets(deps.repo, deps.batches, scope, stored);
      },
    },
    query,
    {},
  );
}
