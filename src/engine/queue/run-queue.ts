import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';

/**
 * A flow run waiting for a worker: what any process that reaches the metadata store needs to plan and run it.
 * It names the run and the flow, never the credentials: the worker reads them, encrypted, from the store.
 */
export interface QueuedRun {
  /** Absent on jobs queued before landings were queued too: a job without a kind is a flow run. */
  kind?: 'run' | undefined;
  runId: string;
  flowId: string;
  scope: Scope & { sandboxName: string };
  /** The base connection the run reads (for the limit of runs at once per connection). */
  connectionId?: string | undefined;
  /** Who asked for the run: the plan is built under their identity, as the request was. */
  actor: { clientId: string; userId: string };
  window: { start: number | null; end: number };
}

/**
 * A Batch Ingestion COMPLETE waiting for a worker: the batch is claimed (`processing`) and its files wait in the
 * shared data folder. The worker rebuilds the landing from the stored batch; the job names only who asked.
 */
export interface QueuedLanding {
  kind: 'landing';
  batchId: string;
  scope: Scope & { sandboxName: string };
  actor: { clientId: string; userId: string };
  /** The status the claim took the batch from, and gives it back to when the landing cannot start. */
  claimedFrom: string;
}

/** What waits in the queue: a flow run, or the landing of an uploaded batch. */
export type QueuedJob = QueuedRun | QueuedLanding;

/** The queue's id of a job: a run's id, or the landing's id derived from its batch (see `landingJobId`). */
export function jobIdOf(job: QueuedJob): string {
  return job.kind === 'landing' ? landingJobId(job.batchId) : job.runId;
}

/**
 * The job id of a batch's landing: a uuid (pg-boss takes nothing else) named by the batch id, so any process finds
 * the landing of a claimed batch from the batch alone. It has the shape of a name-based (v5) uuid: a SHA-1 of a
 * fixed namespace and the batch id.
 */
export function landingJobId(batchId: string): string {
  const hex = crypto.createHash('sha1').update(`tributary-batch-landing:${batchId}`, 'utf8').digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** One delivery of a queued job to one worker. A job is delivered at least once; each delivery is an attempt. */
export interface RunClaim<J extends QueuedJob = QueuedJob> {
  readonly job: J;
  /** 0 for the first delivery, then 1, 2 … for each redelivery after a worker was taken for gone. */
  readonly attempt: number;
  /**
   * Settles the attempt inside the transaction that saves the run's final record, so that the job ends exactly
   * when the run's result commits. Throws `ClaimLost` when the queue has given the run to another attempt since:
   * the transaction then rolls back, and this attempt's batch never becomes visible.
   */
  settle(trx: Transaction<Database>): Promise<void>;
}

/** Whether the queue still holds a run whose worker looks gone (see `RunQueue.reclaim`). */
export type ReclaimOutcome = 'redelivering' | 'held' | 'gone';

/**
 * Where runs wait for workers. With PostgreSQL it is pg-boss in the same database, shared by every server and
 * worker; with SQLite an in-process queue (one process runs the runs it accepted). The run code is the same.
 */
export interface RunQueue {
  /** Whether a run can be taken up by another process when its worker dies (false: the run is failed instead). */
  readonly redelivers: boolean;
  /**
   * Adds a run inside the transaction that records it: the run and its job commit together or not at all.
   * Resolves to a function to call once that transaction has committed (it wakes a waiting worker).
   */
  add(trx: Transaction<Database>, job: QueuedJob): Promise<() => void>;
  /** Calls `run` for each delivered run, at most `concurrency` at once, until `stopConsuming`. */
  consume(run: (claim: RunClaim) => Promise<void>, options: { concurrency: number }): void;
  /** Whether runs are being taken now (between `consume` and `stopConsuming`). */
  readonly consuming: boolean;
  /** Takes no more runs; resolves once no delivery is being taken (the runs already delivered go on). */
  stopConsuming(): Promise<void>;
  /**
   * A run is recorded as unfinished but no live process holds it. `redelivering`: the queue gave it back for
   * another attempt; `held`: it is waiting for a worker, or was delivered less than `graceMs` ago; `gone`: the
   * queue no longer has it (its attempts are spent, or it was never there), so the run must be failed.
   */
  reclaim(jobId: string, graceMs: number): Promise<ReclaimOutcome>;
  /**
   * Puts a delivered run back as not started, to be delivered again after `delayMs` (a run over its org's or
   * connection's limit of runs at once). Unlike `handBack` it spends none of the run's attempts.
   */
  defer(claim: RunClaim, delayMs: number): Promise<void>;
  /** Gives a delivered run back for another worker (a worker shutting down before its run finished). */
  handBack(claim: RunClaim, reason: string): Promise<void>;
  close(): Promise<void>;
}

/** The queue gave this run to another attempt (its worker was taken for gone): this attempt must not commit. */
export class ClaimLost extends Error {
  constructor(readonly runId: string, readonly attempt: number, reason: string) {
    super(`attempt ${attempt} of run ${runId} no longer holds it: ${reason}`);
    this.name = 'ClaimLost';
  }
}
