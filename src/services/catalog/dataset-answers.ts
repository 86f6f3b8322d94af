import { isRecord } from '../../server/errors/problem-list.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { schemaDataBehaviors } from '../schemaregistry/schema-behavior.js';
import type { BatchesRepository } from './batches.repository.js';
import type { StoredDataSet } from './datasets.repository.js';

/**
 * Datasets as Catalog answers them: the stored dataset plus what its batches say (`lastBatchId`,
 * `lastBatchStatus`, `lastSuccessfulBatch`, `lastFailedBatch`), read from the batch index at answer time because
 * ingestion commits batches without touching the dataset. A dataset stored before Tributary recorded
 * `classification` gets it derived from its schema, since clients index into it.
 */
export async function answeredDataSets(repo: ResourcesRepository, batches: BatchesRepository, scope: Scope, stored: readonly StoredDataSet[]): Promise<Record<string, unknown>[]> {
  if (stored.length === 0) return [];
  // These datasets' last batches alone, ranked in the index: no batch body is read.
  const last = await batches.lastBatches(scope, stored.map((s) => s.id));
  const bodies = stored.map((s): Record<string, unknown> & { id: string } => ({ ...s.body, id: s.id }));
  const unclassified = bodies.filter((b) => !isRecord(b.classification)).map(schemaIdOf).filter((id): id is string => id !== undefined);
  const behaviors = unclassified.length > 0 ? await schemaDataBehaviors(repo, scope, unclassified) : new Map<string, string | undefined>();
  return bodies.map((body) => {
    const batches = last.get(body.id);
    const schemaId = schemaIdOf(body);
    const behavior = schemaId ? behaviors.get(schemaId) : undefined;
    return {
      ...body,
      ...(isRecord(body.classification) ? {} : { classification: { ...(behavior ? { dataBehavior: behavior } : {}), managedBy: 'CUSTOMER' } }),
      ...(batches
        ? {
            lastBatchId: batches.lastBatchId,
            lastBatchStatus: batches.lastBatchStatus,
            ...(batches.lastSuccessfulBatchId ? { lastSuccessfulBatch: batches.lastSuccessfulBatchId } : {}),
            ...(batches.lastFailedBatchId ? { lastFailedBatch: batches.lastFailedBatchId } : {}),
          }
        : {}),
    };
  });
}

function schemaIdOf(body: Record<string, unknown>): string | undefined {
  return isRecord(body.schemaRef) && typeof body.schemaRef.id === 'string' ? body.schemaRef.id : undefined;
}
