import fs from 'node:fs';
import { dataSetOfBatch } from '../../engine/batch-document.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { ApiError } from '../../server/errors/api-error.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import type { BatchesRepository, StoredBatch } from './batches.repository.js';
import { bumpVersion } from './preconditions.js';

/** What deleting needs: the call's transaction, who acts, and where the lake is. */
export interface DeletionCall {
  ctx: RequestContext;
  repo: ResourcesRepository;
  batches: BatchesRepository;
  now: number;
  layout: LakeLayout;
  afterCommit(effect: () => void): void;
}

/**
 * Deletes a batch's data and keeps its record. The batch stays in Catalog with status `deleted` (AEP's status for
 * a batch whose data was removed), so a run's history still names it and `GET /batches/{id}` says what happened;
 * queries, `_latest` tables and Data Access read only `success`/`active` batches, so its rows disappear from them
 * as soon as the status is committed. The files themselves are removed after the commit: a crash in between
 * leaves files nobody reads, never a `success` batch without files.
 *
 * A dataflow's incremental state is not rewound: the flow will not read the deleted records again until it next
 * reads its source in full.
 */
export async function deleteBatch(stored: StoredBatch, call: DeletionCall): Promise<void> {
  const body = stored.body;
  if (body.status === 'loading') {
    // Its files may be landing right now (Batch Ingestion's COMPLETE), and the landing would write the batch over.
    throw new ApiError('conflict', `batch ${stored.id} is still loading; abort it first (POST /data/foundation/import/batches/${stored.id}?action=ABORT), then delete it.`, {
      problems: [{ in: 'path', path: 'id', message: 'the batch is loading' }],
    });
  }
  if (body.status !== 'deleted') {
    const next = { ...body, status: 'deleted', version: bumpVersion(body.version), updated: call.now, updatedUser: call.ctx.userId };
    if (!(await call.repo.update(call.ctx.scope, { ...stored, body: next, etag: String(call.now), updatedAt: call.now }, stored.etag))) {
      throw new ApiError('conflict', `batch ${stored.id} was changed by another request; retry.`);
    }
  }
  const dataSetId = dataSetOfBatch(body);
  const folders = [call.layout.uploadDir(stored.id), ...(dataSetId ? [call.layout.batchDir(call.ctx.orgId, call.ctx.sandbox.name, dataSetId, stored.id)] : [])];
  call.afterCommit(() => folders.forEach(removeFolder));
}

/** A dataset's batches go with it: every one is marked deleted, and its whole lake folder is removed after the commit. */
export async function deleteDataSetBatches(dataSetId: string, call: DeletionCall): Promise<void> {
  // The dataset's batches alone, found by the index.
  const ids = await call.batches.ids(call.ctx.scope, [{ column: 'data_set_id', operator: 'in', values: [dataSetId] }]);
  const found = await call.batches.getMany(call.ctx.scope, ids);
  const own = ids.flatMap((id) => found.get(id) ?? []);
  const loading = own.filter((s) => s.body.status === 'loading').map((s) => s.id);
  if (loading.length > 0) {
    throw new ApiError('conflict', `dataset ${dataSetId} has batches still loading (${loading.join(', ')}); abort them first (POST /data/foundation/import/batches/{id}?action=ABORT).`);
  }
  for (const stored of own) await deleteBatch(stored, call);
  const folder = call.layout.dataSetDir(call.ctx.orgId, call.ctx.sandbox.name, dataSetId);
  call.afterCommit(() => removeFolder(folder));
}

function removeFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}
