import { checkedResource } from '../store/checked-resource.js';
import type { StoredResource } from '../store/resources.repository.js';
import type { RunOutcome } from './run-outcome.js';
import { StoredBatchBody } from './stored-batch.schema.js';
import type { RunPlan } from './run-plan.js';

/** Batches keep index rows beside their bodies, so the store names their kind. */
export { batchKind } from '../store/batch-index.js';

/** A stored batch whose body has been checked against `StoredBatchBody`. */
export type StoredBatch = StoredResource & { body: StoredBatchBody };

/**
 * A stored batch, checked: a body of another shape is a store edited by hand, and fails loudly here. Batches are
 * written by the engine's commits, Catalog and Batch Ingestion, so the check lives with the engine they all use.
 */
export function storedBatch(stored: StoredResource): StoredBatch {
  return checkedResource(StoredBatchBody, stored, 'batch');
}

/** The dataset a stored batch belongs to, read from its `relatedObjects`. */
export function dataSetOfBatch(body: StoredBatchBody): string | undefined {
  return body.relatedObjects?.find((o) => o.type === 'dataSet')?.id;
}

/** Batch statuses in which nothing has landed yet: only such a batch may be completed. */
export const uncommittedStatuses: readonly string[] = ['loading', 'retrying'];

/**
 * A batch one completion has claimed (Batch Ingestion's COMPLETE, or the streaming flusher) and is landing. The
 * claim is a conditional write of the stored batch, so of several requests or servers exactly one lands it; the
 * engine's lease `import-<batchId>` shows whether its process is still alive. Only the claimed batch commits.
 */
export const claimedStatus = 'processing';

/**
 * A batch created by Batch Ingestion (or streaming), as it reads once its files landed: what the client created
 * it with (`inputFormat`, `externalId`, its tags) stays, the outcome of the landing is added.
 */
export function completedUpload(created: StoredBatchBody, landed: StoredBatchBody): StoredBatchBody {
  return {
    ...created,
    ...landed,
    inputFormat: created.inputFormat ?? landed.inputFormat,
    tags: { ...landed.tags, ...created.tags },
    created: created.created ?? landed.created,
    createdClient: created.createdClient ?? landed.createdClient,
    createdUser: created.createdUser ?? landed.createdUser,
  };
}

/** The Catalog batch a run lands, in Catalog's `batchResponse` shape. */
export function batchDocument(plan: RunPlan, batchId: string, runId: string, outcome: RunOutcome, status: 'success' | 'failed'): StoredBatchBody & Record<string, unknown> {
  return {
    id: batchId,
    imsOrg: plan.scope.orgId,
    sandboxId: plan.scope.sandboxId,
    status,
    relatedObjects: [{ type: 'dataSet', id: plan.target.dataSetId }],
    inputFormat: { format: 'parquet' },
    version: '1.0.0',
    // Catalog's relatedObjects has no type for flows or runs; AEP names the producer in tags.
    tags: plan.upload
      ? { acp_producer: ['tributary:import'], acp_enableErrorDiagnostics: [String(plan.options.errorDiagnosticsEnabled)] }
      : {
          acp_producer: ['tributary:flow'],
          acp_flowId: [plan.flowId],
          acp_flowRunId: [runId],
          acp_enableErrorDiagnostics: [String(plan.options.errorDiagnosticsEnabled)],
        },
    metrics: {
      inputByteSize: outcome.inputBytes,
      inputFileCount: outcome.inputFileCount,
      inputRecordCount: outcome.inputRecords - outcome.skippedRecords,
      outputRecordCount: outcome.outputRecords,
      failedRecordCount: outcome.failedRecords,
      outputByteSize: outcome.outputBytes,
      outputFileCount: outcome.outputFileCount,
    },
    recordCount: outcome.outputRecords,
    failedRecordCount: outcome.failedRecords,
    size: outcome.outputBytes,
    errors: outcome.errors.map((e) => ({ code: e.code, description: e.message, ...(e.recordCount !== undefined ? { recordCount: e.recordCount } : {}) })),
    started: outcome.startedAt,
    completed: outcome.completedAt ?? outcome.startedAt,
    created: outcome.startedAt,
    updated: outcome.completedAt ?? outcome.startedAt,
    createdClient: plan.actor.clientId,
    createdUser: plan.actor.userId,
    updatedUser: plan.actor.userId,
  };
}
