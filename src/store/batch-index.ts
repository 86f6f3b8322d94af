import type { CatalogBatchesTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

export const batchKind = 'catalog.batch';

type Body = { relatedObjects?: unknown; status?: unknown; created?: unknown; updated?: unknown };

/**
 * What a batch's body says about the columns `GET /batches` filters and sorts on. Read leniently, as the
 * migration that backfills them does, so a body of any shape gets a row. A batch relates to one dataset at most
 * (Catalog refuses a second, and ingestion writes one), so one column holds it.
 */
export function batchRow(scope: { orgId: string; sandboxId: string }, batch: IndexedResource): CatalogBatchesTable {
  const body = (batch.body !== null && typeof batch.body === 'object' ? batch.body : {}) as Body;
  const related = Array.isArray(body.relatedObjects) ? (body.relatedObjects as unknown[]) : [];
  const dataSet = related.find((o): o is { type: string; id: string } => o !== null && typeof o === 'object' && (o as { type?: unknown }).type === 'dataSet' && typeof (o as { id?: unknown }).id === 'string');
  return {
    org_id: scope.orgId,
    sandbox_id: scope.sandboxId,
    batch_id: batch.id,
    data_set_id: indexText(dataSet?.id),
    status: indexText(body.status),
    created: typeof body.created === 'number' ? body.created : null,
    updated: typeof body.updated === 'number' ? body.updated : null,
    stored_at: batch.createdAt,
  };
}

export const batchIndex: KindIndex = {
  async write(trx, scope, batch) {
    const row = batchRow(scope, batch);
    await trx
      .insertInto('catalog_batches')
      .values(row)
      // The row's creation time stays the first write's, as `resources.created_at` does.
      .onConflict((oc) => oc.columns(['org_id', 'sandbox_id', 'batch_id']).doUpdateSet({ data_set_id: row.data_set_id, status: row.status, created: row.created, updated: row.updated }))
      .execute();
  },
  async remove(trx, scope, id) {
    await trx.deleteFrom('catalog_batches').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('batch_id', '=', id).execute();
  },
};
