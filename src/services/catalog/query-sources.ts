import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import { BatchesRepository } from './batches.repository.js';
import { DataSetsRepository } from './datasets.repository.js';

/** Catalog says `success`; AEP also calls a promoted batch `active`. Any other batch holds no queryable rows. */
const visibleStatuses = ['success', 'active'];

/** How many dataset ids one batch lookup binds: well under both backends' limits on bound parameters. */
const dataSetsPerQuery = 500;

/** A successful batch as Query Service reads it: when it committed, and the flow that landed it. */
export interface VisibleBatch {
  id: string;
  dataSetId: string;
  /** Epoch ms: the batch's `completed`, or the time its record was last written. */
  completed: number;
  flowId: string | undefined;
}

/** What Query Service reads of Catalog to name its tables: each dataset's SQL table name, from the index alone. */
export function dataSetTableNames(db: Kysely<Database> | Transaction<Database>, scope: Scope): Promise<{ dataSetId: string; tableName: string }[]> {
  return new DataSetsRepository(db).tableNames(scope);
}

/** The successful batches of these datasets: found in the batch index, and only their bodies read. */
export async function visibleBatches(db: Kysely<Database> | Transaction<Database>, scope: Scope, dataSetIds: readonly string[]): Promise<VisibleBatch[]> {
  const batches = new BatchesRepository(db);
  const found: VisibleBatch[] = [];
  for (let i = 0; i < dataSetIds.length; i += dataSetsPerQuery) {
    const where = [
      { column: 'data_set_id' as const, operator: 'in' as const, values: dataSetIds.slice(i, i + dataSetsPerQuery) },
      { column: 'status' as const, operator: 'in' as const, values: visibleStatuses },
    ];
    const ids = await batches.ids(scope, where);
    const bodies = await batches.getMany(scope, ids);
    for (const id of ids) {
      const batch = bodies.get(id);
      const dataSetId = batch?.body.relatedObjects?.find((o) => o.type === 'dataSet')?.id;
      if (!batch || dataSetId === undefined) continue;
      const completed = batch.body.completed;
      found.push({ id, dataSetId, completed: typeof completed === 'number' ? completed : batch.updatedAt, flowId: batch.body.tags?.acp_flowId?.[0] });
    }
  }
  return found;
}
