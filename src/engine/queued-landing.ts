import type { Kysely, Transaction } from 'kysely';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { Database } from '../store/database.js';
import type { ConnectorLookup } from './connectors-by-spec.js';
import { ClaimLost, type QueuedLanding, type RunClaim, type RunQueue } from './queue/run-queue.js';
import { LeaseHeld, type RunLeases } from './run-leases.js';
import type { RunLog } from './run-log.js';
import { emptyOutcome, type RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import { runFlow } from './run-flow.js';

/**
 * What the engine asks of Batch Ingestion to land a queued COMPLETE (the import service's part: the engine imports
 * no service). Every write here is conditional on the batch still being claimed (`processing`).
 *
 * ```ts
 * const landings: BatchLandings = {
 *   plan: async (job) => planFromStoredBatch(job), // undefined: the batch moved on, nothing to land
 *   failed: async (job, outcome, trx) => markFailed(trx, job, outcome.errors),
 *   giveBack: async (job, trx) => setStatus(trx, job.batchId, job.claimedFrom),
 *   landed: (job) => removeUploadFolder(job.batchId),
 * };
 * ```
 */
export interface BatchLandings {
  /**
   * The landing's plan, rebuilt from the stored batch and the files uploaded into the shared data folder; undefined
   * when the batch is no longer claimed (an earlier attempt landed it, or it was given back or deleted). Throws
   * when the batch cannot be landed (its dataset or schema is gone).
   */
  plan(job: QueuedLanding): Promise<RunPlan | undefined>;
  /** In the transaction that ends a landing that failed: the batch's `failed` status and errors. */
  failed(job: QueuedLanding, outcome: RunOutcome, trx: Transaction<Database>): Promise<void>;
  /** The landing could not start: the batch goes back to the status it was claimed from, its files kept. */
  giveBack(job: QueuedLanding, trx: Transaction<Database>): Promise<void>;
  /** The batch has its final status: its uploaded files can go. */
  landed(job: QueuedLanding): void;
}

export interface LandingDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  log?: RunLog | undefined;
  connectors: ConnectorLookup;
  leases: RunLeases;
  queue: RunQueue;
  landings: BatchLandings | undefined;
}

const landingLeasePrefix = 'import-';

/** The lease a batch's landing holds while it runs, whichever process runs it (see `Engine.ingestLease`). */
export function landingLeaseId(batchId: string): string {
  return `${landingLeasePrefix}${batchId}`;
}

/** The batch whose landing a lease is, or undefined for a flow run's lease. */
export function batchOfLandingLease(leaseId: string): string | undefined {
  return leaseId.startsWith(landingLeasePrefix) ? leaseId.slice(landingLeasePrefix.length) : undefined;
}

/**
 * One delivery of a queued COMPLETE. The job ends in the transaction that gives the batch its final status: the
 * batch's `success` commit (run-flow.ts's upload branch, which also checks the batch is still claimed), or its
 * `failed` record. An attempt the queue has moved on from cannot commit (`ClaimLost`), and a redelivery of a batch
 * that an earlier attempt landed only ends the job.
 */
export async function executeLanding(claim: RunClaim<QueuedLanding>, deps: LandingDeps): Promise<void> {
  const { job } = claim;
  const scope = { orgId: job.scope.orgId, sandboxId: job.scope.sandboxId };
  const leaseId = landingLeaseId(job.batchId);
  const settleOnly = () => deps.db.transaction().execute((trx) => claim.settle(trx));
  const lease = await deps.leases.take(scope, leaseId);
  try {
    let plan: RunPlan | undefined;
    try {
      if (!deps.landings) throw new Error('this process cannot plan batch landings');
      plan = await deps.landings.plan(job);
    } catch (error) {
      deps.log?.warn({ batchId: job.batchId, err: error }, `batch ${job.batchId} cannot be landed; it goes back to ${job.claimedFrom}, its files kept`);
      await deps.db.transaction().execute(async (trx) => {
        await claim.settle(trx);
        await deps.landings?.giveBack(job, trx);
      });
      return;
    }
    if (!plan) return await settleOnly();
    const landings = deps.landings as BatchLandings;
    await runFlow(plan, leaseId, emptyOutcome(deps.now(), plan.window), {
      db: deps.db,
      layout: deps.layout,
      now: deps.now,
      log: deps.log,
      connectors: deps.connectors,
      attempt: claim.attempt,
      finalRecord: async (outcome, trx) => {
        await claim.settle(trx);
        if (outcome.status !== 'success') await landings.failed(job, outcome, trx);
      },
    });
    landings.landed(job);
  } catch (error) {
    if (error instanceof ClaimLost) deps.log?.warn({ batchId: job.batchId, attempt: claim.attempt }, `landing of batch ${job.batchId}: ${error.message}; this attempt's work is discarded`);
    // Nothing delivers this process's own queue again: a landing broken off by a failing store gives its batch back
    // now (as a completion inside the request always did), rather than after the abandoned-batch sweep's grace.
    else if (!deps.queue.redelivers && !(error instanceof LeaseHeld)) {
      await deps.db
        .transaction()
        .execute((trx) => deps.landings?.giveBack(job, trx) ?? Promise.resolve())
        .catch(() => undefined);
    }
    throw error;
  } finally {
    await lease.release();
  }
}
