import { batchKind, claimedStatus, dataSetOfBatch, storedBatch, uncommittedStatuses, type StoredBatch } from '../../engine/batch-document.js';
import type { RunDeps } from '../../engine/run-flow.js';
import type { RunOutcome } from '../../engine/run-outcome.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { notFound } from '../../server/errors/api-error.js';
import { newEtag } from '../../store/cosmos-etag.js';
import { ResourcesRepository, toStored, type Scope } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import type { BatchUploadFolder } from './batch-upload-folder.js';
import { storedBatchPlan, type ImportedBatch, type Landing } from './batch-landing.js';
import type { QueuedLanding } from '../../engine/queue/run-queue.js';

export type { ImportedBatch } from './batch-landing.js';

/**
 * How long a COMPLETE waits for a worker to land its batch before it is answered 409 (the landing goes on; the
 * batch's status tells when it is done). AEP answers only once the batch has its outcome, so this is long.
 */
export const completionWaitMs = 15 * 60_000;

/** A batch this process claimed for landing, and the status it goes back to when the landing cannot start. */
export interface ClaimedBatch extends ImportedBatch {
  claimedFrom: string;
}

/** Another request or server changed the batch first (it is being landed, or has its outcome): nothing was done. */
export class BatchClaimLost extends Error {
  constructor(
    readonly batchId: string,
    /** The status the batch had when the claim was lost; undefined when the batch is gone. */
    readonly status: string | undefined,
  ) {
    super(`batch ${batchId} is ${status ?? 'gone'}`);
    this.name = 'BatchClaimLost';
  }
}

/** What a conditional change of a batch's status came to. */
export type Transition = { won: true; batch: ImportedBatch; previous: string } | { won: false; status: string | undefined };

/** Who lands a batch (its audit fields). */
export interface BatchActor {
  orgId: string;
  clientId: string;
  userId: string;
  sandbox: { id: string; name: string };
}

/** The Catalog batches Batch Ingestion and streaming create, and their landing. */
export class ImportedBatches {
  private readonly repo: ResourcesRepository;

  constructor(private readonly deps: Pick<ServiceDeps, 'db' | 'now' | 'engine'> & { layout: LakeLayout }) {
    this.repo = new ResourcesRepository(deps.db);
  }

  async insert(scope: Scope, batch: Record<string, unknown>, now: number, repo = this.repo): Promise<void> {
    await repo.insert(scope, { kind: batchKind, id: String(batch.id), body: batch, secret: null, etag: String(now), createdAt: now, updatedAt: now });
  }

  async find(scope: Scope, batchId: string): Promise<ImportedBatch | undefined> {
    const stored = await this.read(scope, batchId);
    return stored ? { id: stored.id, body: stored.body } : undefined;
  }

  /**
   * The batches of every sandbox in `status` (by the batch index's status column), stored last at or before
   * `before` when given. For the sweeps that look after batches whatever sandbox they are in.
   */
  async inStatus(status: string, before?: number): Promise<{ scope: Scope; batch: StoredBatch }[]> {
    let query = this.deps.db
      .selectFrom('catalog_batches as indexed')
      .innerJoin('resources as batch', (join) => join.onRef('batch.id', '=', 'indexed.batch_id').onRef('batch.org_id', '=', 'indexed.org_id').onRef('batch.sandbox_id', '=', 'indexed.sandbox_id').on('batch.kind', '=', batchKind))
      .selectAll('batch')
      .where('indexed.status', '=', status);
    if (before !== undefined) query = query.where('batch.updated_at', '<=', before);
    const rows = await query.execute();
    return rows.map((row) => ({ scope: { orgId: row.org_id, sandboxId: row.sandbox_id }, batch: storedBatch(toStored(row)) }));
  }

  private async read(scope: Scope, batchId: string): Promise<StoredBatch | undefined> {
    const stored = await this.repo.get(batchKind, scope, batchId);
    return stored ? storedBatch(stored) : undefined;
  }

  async load(scope: Scope, batchId: string): Promise<ImportedBatch> {
    const found = await this.find(scope, batchId);
    if (!found) throw notFound('batches', batchId);
    return found;
  }

  /** The dataset a batch was created for. */
  dataSetOf(batch: ImportedBatch): string {
    return dataSetOfBatch(batch.body) ?? '';
  }

  /** Sets final fields (status, errors) on a batch; a batch that changed meanwhile is read again first. */
  async finish(scope: Scope, batchId: string, fields: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.read(scope, batchId);
      if (!current) return;
      const now = this.deps.now();
      const next = { ...current, body: { ...current.body, ...fields, updated: now }, etag: newEtag(), updatedAt: now };
      if (await this.repo.update(scope, next, current.etag)) return;
    }
    throw new Error(`batch ${batchId} kept changing while its outcome was recorded`);
  }

  /**
   * Changes a batch's status (and `fields`) only if it is one of `from`, in one conditional write of the stored
   * batch: of several requests or servers changing the same batch at once, exactly one wins, and the others learn
   * the status it has. Every write takes a fresh etag, never one derived from the clock: two writes in the same
   * millisecond would otherwise leave the etag a second writer expects, and let it through too.
   */
  async transition(scope: Scope, batchId: string, from: readonly string[], fields: Record<string, unknown> & { status: string }): Promise<Transition> {
    let status: string | undefined;
    // Bounded: a lost round means another writer changed the batch's other fields; after five it counts as busy.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.read(scope, batchId);
      status = current?.body.status;
      if (!current || status === undefined || !from.includes(status)) return { won: false, status };
      const now = this.deps.now();
      const body = { ...current.body, ...fields, updated: now };
      if (await this.repo.update(scope, { ...current, body, etag: newEtag(), updatedAt: now }, current.etag)) return { won: true, batch: { id: batchId, body }, previous: status };
    }
    return { won: false, status };
  }

  /** Claims a loading batch for landing (`processing`); throws `BatchClaimLost` when another got it first. */
  async claim(scope: Scope, batchId: string): Promise<ClaimedBatch> {
    const result = await this.transition(scope, batchId, uncommittedStatuses, { status: claimedStatus });
    if (!result.won) throw new BatchClaimLost(batchId, result.status);
    return { ...result.batch, claimedFrom: result.previous };
  }

  /**
   * Lands the files of a batch this process claimed, then drops the upload folder. Resolves with the outcome once
   * the batch has its final status (AEP answers COMPLETE only then). A landing that cannot start or breaks off
   * without an outcome gives the batch back, its files kept, so it can be completed again. `extra` lets streaming
   * land with a mapping and its options, and write its file once the batch is its own (`prepare`).
   */
  async land(
    actor: BatchActor,
    batch: ClaimedBatch,
    folder: BatchUploadFolder,
    extra: Partial<Pick<Landing, 'mapping' | 'options' | 'sparse'>> & { onCommit?: RunDeps['onCommit']; markFailed?: boolean; prepare?: () => Promise<unknown> } = {},
  ): Promise<RunOutcome> {
    const scope = { orgId: actor.orgId, sandboxId: actor.sandbox.id };
    let landed = false;
    try {
      await extra.prepare?.();
      const outcome = await this.ingest(actor, batch, folder, extra);
      if (outcome.status !== 'success' && extra.markFailed !== false) {
        const errors = outcome.errors.map((e) => ({ code: e.code, description: e.message, ...(e.recordCount !== undefined ? { recordCount: e.recordCount } : {}) }));
        await this.finish(scope, batch.id, { status: 'failed', errors, completed: this.deps.now() });
      }
      landed = true;
      return outcome;
    } catch (error) {
      // Only while it is still this claim's: a committed batch keeps its outcome. Should this write fail too, the
      // claim is released once its process is seen gone (see AbandonedBatches).
      await this.transition(scope, batch.id, [claimedStatus], { status: batch.claimedFrom }).catch(() => undefined);
      throw error;
    } finally {
      if (landed) folder.remove();
    }
  }

  /**
   * Queues the landing of a batch its COMPLETE claimed, for whichever worker takes it, and resolves with the status
   * the batch has once it has left `processing` (`success` or `failed`; its claimed-from status when the landing
   * could not start; undefined when it is gone). After `waitMs` it resolves `processing`: the landing goes on.
   * A batch that cannot be landed (its dataset or schema is gone) is refused here, as before, and given back.
   */
  async complete(actor: BatchActor, batch: ClaimedBatch, folder: BatchUploadFolder, waitMs = completionWaitMs): Promise<string | undefined> {
    const scope = { orgId: actor.orgId, sandboxId: actor.sandbox.id };
    try {
      await storedBatchPlan(this.repo, batch, this.who(actor), folder.list(), this.deps.now());
      await this.deps.engine.queueLanding({ kind: 'landing', batchId: batch.id, ...this.who(actor), claimedFrom: batch.claimedFrom });
    } catch (error) {
      await this.transition(scope, batch.id, [claimedStatus], { status: batch.claimedFrom }).catch(() => undefined);
      throw error;
    }
    const status = await this.outcomeOf(scope, batch.id, waitMs);
    // The worker drops the files too, but maybe a moment after the commit this request saw.
    if (status !== undefined && !uncommittedStatuses.includes(status) && status !== claimedStatus) folder.remove();
    return status;
  }

  /** Reads the batch until it leaves `processing`, more and more slowly (20 ms to 500 ms), for at most `waitMs`. */
  private async outcomeOf(scope: Scope, batchId: string, waitMs: number): Promise<string | undefined> {
    const deadline = Date.now() + waitMs;
    for (let pause = 20; ; pause = Math.min(500, Math.round(pause * 1.5))) {
      const found = await this.find(scope, batchId);
      const status = found ? String(found.body.status) : undefined;
      if (status !== claimedStatus || Date.now() >= deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))));
    }
  }

  private who(actor: BatchActor): Pick<QueuedLanding, 'scope' | 'actor'> {
    return { scope: { orgId: actor.orgId, sandboxId: actor.sandbox.id, sandboxName: actor.sandbox.name }, actor: { clientId: actor.clientId, userId: actor.userId } };
  }

  private async ingest(actor: BatchActor, batch: ImportedBatch, folder: BatchUploadFolder, extra: Partial<Pick<Landing, 'mapping' | 'options' | 'sparse'>> & { onCommit?: RunDeps['onCommit'] }): Promise<RunOutcome> {
    const plan = await storedBatchPlan(this.repo, batch, this.who(actor), folder.list(), this.deps.now(), extra);
    return this.deps.engine.ingest(plan, { onCommit: extra.onCommit });
  }
}
