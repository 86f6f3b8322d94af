import type { CatalogDataSetsTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

export const dataSetKind = 'catalog.dataSet';

type Body = { name?: unknown; schemaRef?: unknown; state?: unknown; created?: unknown; updated?: unknown; tags?: unknown };

/** The tag whose first value names a dataset's table in SQL (Query Service's `adobe/pqs/table`). */
const tableTag = 'adobe/pqs/table';

/**
 * What a dataset's body says about the columns `GET /dataSets` filters and sorts on. Read leniently, as the
 * migration that backfills them does, so a body of any shape gets a row: Catalog checks a dataset's shape.
 */
export function dataSetRow(scope: { orgId: string; sandboxId: string }, dataSet: IndexedResource): CatalogDataSetsTable {
  const body = (dataSet.body !== null && typeof dataSet.body === 'object' ? dataSet.body : {}) as Body;
  const schemaRef = body.schemaRef !== null && typeof body.schemaRef === 'object' ? (body.schemaRef as { id?: unknown }) : {};
  return {
    org_id: scope.orgId,
    sandbox_id: scope.sandboxId,
    data_set_id: dataSet.id,
    name: indexText(body.name),
    schema_id: indexText(schemaRef.id),
    table_name: tableNameOf(body.tags),
    state: indexText(body.state),
    created: typeof body.created === 'number' ? body.created : null,
    updated: typeof body.updated === 'number' ? body.updated : null,
    stored_at: dataSet.createdAt,
  };
}

export const dataSetIndex: KindIndex = {
  async write(trx, scope, dataSet) {
    const row = dataSetRow(scope, dataSet);
    await trx
      .insertInto('catalog_data_sets')
      .values(row)
      // The row's creation time stays the first write's, as `resources.created_at` does.
      .onConflict((oc) => oc.columns(['org_id', 'sandbox_id', 'data_set_id']).doUpdateSet({ name: row.name, schema_id: row.schema_id, table_name: row.table_name, state: row.state, created: row.created, updated: row.updated }))
      .execute();
  },
  async remove(trx, scope, id) {
    await trx.deleteFrom('catalog_data_sets').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('data_set_id', '=', id).execute();
  },
};

/** The first value of the table tag, as stored (Catalog checks it is a name SQL can take; readers check again). */
function tableNameOf(tags: unknown): string | null {
  const values = tags !== null && typeof tags === 'object' ? (tags as Record<string, unknown>)[tableTag] : undefined;
  const first: unknown = Array.isArray(values) ? values[0] : undefined;
  // PostgreSQL refuses text with a NUL character; such a name is no name SQL can take anyway.
  return indexText(first);
}
