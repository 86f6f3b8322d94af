import type { Kysely, Transaction } from 'kysely';
import { batchKind, claimedStatus, storedBatch } from '../../engine/batch-document.js';
import type { QueuedLanding } from '../../engine/queue/run-queue.js';
import type { BatchLandings } from '../../engine/queued-landing.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { newEtag } from '../../store/cosmos-etag.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { storedBatchPlan } from './batch-landing.js';
import { BatchUploadFolder } from './batch-upload-folder.js';

/**
 * Batch Ingestion's side of a queued COMPLETE, for the engine of any process that takes it (a worker needs only
 * the store and the shared data folder, where the uploaded files are). Passed to the engine as `planQueued` is.
 */
export function queuedLandings(deps: { db: Kysely<Database>; now: () => number; layout: LakeLayout }): BatchLandings {
  const scopeOf = (job: QueuedLanding) => ({ orgId: job.scope.orgId, sandboxId: job.scope.sandboxId });
  const folderOf = (job: QueuedLanding) => new BatchUploadFolder(deps.layout.uploadDir(job.batchId));
  /** The job's batch while it is still claimed; undefined once released by a sweep, landed or deleted. */
  const claimedBatch = async (repo: ResourcesRepository, job: QueuedLanding) => {
    const found = await repo.get(batchKind, scopeOf(job), job.batchId);
    const stored = found ? storedBatch(found) : undefined;
    return stored?.body.status === claimedStatus ? stored : undefined;
  };
  /** Changes the claimed batch inside `trx`; a batch that is no longer claimed (released by a sweep) is left as it is. */
  const changeClaimed = async (trx: Transaction<Database>, job: QueuedLanding, fields: Record<string, unknown>) => {
    const repo = new ResourcesRepository(trx);
    const current = await claimedBatch(repo, job);
    if (!current) return;
    const now = deps.now();
    await repo.update(scopeOf(job), { ...current, body: { ...current.body, ...fields, updated: now }, etag: newEtag(), updatedAt: now }, current.etag);
  };
  return {
    async plan(job) {
      const repo = new ResourcesRepository(deps.db);
      const stored = await claimedBatch(repo, job);
      if (!stored) return undefined;
      return storedBatchPlan(repo, { id: stored.id, body: stored.body }, job, folderOf(job).list(), deps.now());
    },
    failed: (job, outcome, trx) =>
      changeClaimed(trx, job, {
        status: 'failed',
        errors: outcome.errors.map((e) => ({ code: e.code, description: e.message, ...(e.recordCount !== undefined ? { recordCount: e.recordCount } : {}) })),
        completed: deps.now(),
      }),
    giveBack: (job, trx) => changeClaimed(trx, job, { status: job.claimedFrom }),
    landed: (job) => {
      try {
        folderOf(job).remove();
      } catch {
        // The API server that waited for the landing may be removing the same folder now: either removal will do.
      }
    },
  };
}
