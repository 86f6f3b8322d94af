import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { RunLog as Logger } from './run-log.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { Database } from '../store/database.js';
import { newEtag as newRunEtag } from '../store/cosmos-etag.js';
import { claimedStatus, uncommittedStatuses } from './batch-document.js';
import { identityOfRecord, runDocument, runKind, type RunIdentity } from './run-document.js';
import type { StoredRunBody } from './stored-run.schema.js';
import { emptyOutcome, type RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import { runFlow, type RunDeps } from './run-flow.js';
import { PeriodicSweep } from './periodic-sweep.js';
import { RunLeases, type ReadLease } from './run-leases.js';
import { ClaimLost, jobIdOf, landingJobId, type QueuedLanding, type QueuedRun, type ReclaimOutcome, type RunClaim, type RunQueue } from './queue/run-queue.js';
import { batchOfLandingLease, executeLanding, landingLeaseId, type BatchLandings } from './queued-landing.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import { RunsRepository, unfinishedRunStatuses } from './runs.repository.js';
import type { ConnectorLookup } from './connectors-by-spec.js';

export interface EngineDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  log?: Logger | undefined;
  /** Which connector reads a connection spec's sources. */
  connectors: ConnectorLookup;
  /** Where accepted runs wait for a worker: pg-boss with PostgreSQL, this process with SQLite. */
  queue: RunQueue;
  /**
   * Builds the plan of a queued run from the store (the Flow Service's part: the engine imports no service). A run
   * is planned twice: when it is asked for, to refuse a flow that cannot run, and by the worker that runs it.
   */
  planQueued?: ((job: QueuedRun) => Promise<RunPlan>) | undefined;
  /** Plans and records queued Batch Ingestion landings (the import service's part, as `planQueued` is the Flow Service's). */
  landings?: BatchLandings | undefined;
  /** How often leases beat (TRIBUTARY_RUN_HEARTBEAT_SECONDS); four silent beats and a worker is taken for gone. */
  heartbeatMs?: number | undefined;
  /** Runs executing at once per org and per base connection, over every worker (0 or absent: no limit). */
  limits?: RunsAtOnce | undefined;
}

/** Runs at once across every process (TRIBUTARY_RUNS_PER_ORG, TRIBUTARY_RUNS_PER_CONNECTION). */
export interface RunsAtOnce {
  perOrg?: number | undefined;
  perConnection?: number | undefined;
}

/** How long a run over a limit waits before it is delivered again: a few seconds, spread so waiting runs do not move in step. */
function limitBackoffMs(): number {
  return 2_000 + Math.floor(Math.random() * 2_000);
}

/** A flow run that reached its final record (success or failure); upload ingests are not flow runs. */
export interface FinishedRun {
  runId: string;
  plan: RunIdentity;
  outcome: RunOutcome;
}

/** Told of every finished flow run (metrics, notifications); a listener that throws is logged, never fails the run. */
export type RunListener = (run: FinishedRun) => void | Promise<void>;

/** A flow run that `recover` failed because its process stopped: only its record is left, not its plan or outcome. */
export interface InterruptedRun {
  runId: string;
  flowId: string;
  scope: { orgId: string; sandboxId: string };
}

export type InterruptedRunListener = (run: InterruptedRun) => void | Promise<void>;

/** A flow run whose final record is being saved: a run that ended, or one recovery failed. */
export interface RecordedRun {
  runId: string;
  flowId: string;
  scope: { orgId: string; sandboxId: string };
  status: 'success' | 'failed';
  failedRecords: number;
}

/**
 * Called inside the transaction that saves a flow run's final record, so that what it writes commits with the
 * record or not at all (the webhook deliveries). A hook that throws fails that save: the run keeps its lease and
 * recovery fails it later, hooks included.
 */
export type RunRecordHook = (run: RecordedRun, trx: Transaction<Database>) => Promise<void>;

/** A second run of a flow was asked for while one is unfinished; callers check `isBusy` first, this closes the race. */
export class FlowBusyError extends Error {
  constructor(readonly flowId: string) {
    super(`a run of flow ${flowId} is in progress`);
    this.name = 'FlowBusyError';
  }
}

/** A run in progress can be told apart from a finished one by its record alone. */
const unfinished = new Set(unfinishedRunStatuses);

/** What a run record says of its status. */
function statusOf(body: StoredRunBody): string | undefined {
  return body.metrics?.statusSummary?.status;
}

/**
 * Accepts runs, hands them to a queue, runs what a queue delivers, and keeps their records. At most one run of a
 * flow is unfinished at a time (a unique index says so, across every server). With SQLite the queue is this
 * process; with PostgreSQL any worker process may run what any server accepted. On start, `recover` fails what a
 * stopped process left unfinished (or gives it back to the queue for another worker) and removes lake folders that
 * no successful batch owns.
 */
export class Engine {
  /** Upload landings (`ingest`) in progress here, by batch. */
  private readonly running = new Map<string, Promise<RunOutcome>>();
  /** Flow runs executing here. */
  private readonly executing = new Map<string, Promise<void>>();
  private readonly runs: RunsRepository;
  private readonly leases: RunLeases;
  /** The runs this engine holds (accepted for its own queue, or running): alive whatever a lease read a moment ago says. */
  private readonly ownRuns = new Set<string>();
  private readonly listeners: RunListener[] = [];
  private readonly interruptedListeners: InterruptedRunListener[] = [];
  private readonly recordHooks: RunRecordHook[] = [];
  /** Flow runs accepted by this process for its own queue and not executing yet (see `runCounts`). */
  private readonly waiting = new Set<string>();
  /**
   * Flow runs this process accepted into a shared queue while it takes runs itself, until it sees them finish:
   * what `idle` waits for (the run may be taken by any worker). Pruned against the store as it grows.
   */
  private readonly acceptedShared = new Set<string>();

  constructor(private readonly deps: EngineDeps) {
    this.runs = new RunsRepository(deps.db);
    this.leases = new RunLeases(deps.db, deps.now, { heartbeatMs: deps.heartbeatMs });
  }

  get queue(): RunQueue {
    return this.deps.queue;
  }

  /** Adds a listener told of each flow run once its final record is saved. */
  onRunFinished(listener: RunListener): void {
    this.listeners.push(listener);
  }

  /** Adds a hook run inside the transaction of every flow run's final record (see `RunRecordHook`). */
  onRunRecorded(hook: RunRecordHook): void {
    this.recordHooks.push(hook);
  }

  private async recorded(run: RecordedRun, trx: Transaction<Database>): Promise<void> {
    for (const hook of this.recordHooks) await hook(run, trx);
  }

  /** Adds a listener told of each flow run that recovery failed, once, by the server whose update won. */
  onRunInterrupted(listener: InterruptedRunListener): void {
    this.interruptedListeners.push(listener);
  }

  private tellFinished(run: FinishedRun): void {
    this.tell(this.listeners, run);
  }

  private tell<T extends { runId: string }>(listeners: readonly ((run: T) => void | Promise<void>)[], run: T): void {
    for (const listener of listeners) {
      Promise.resolve()
        .then(() => listener(run))
        .catch((error: unknown) => this.deps.log?.warn({ err: error, runId: run.runId }, 'a run listener failed'));
    }
  }

  /** This process's flow runs: `inProgress` executing here, `queued` accepted by its own queue and waiting for a slot. */
  runCounts(): { inProgress: number; queued: number } {
    return { inProgress: this.executing.size, queued: this.waiting.size };
  }

  /** Whether a run of the flow is unfinished, on any server or worker. */
  isBusy(scope: { orgId: string; sandboxId: string }, flowId: string): Promise<boolean> {
    return this.runs.isFlowBusy(scope, flowId);
  }

  /**
   * Records the run as queued and adds it to the queue, in one transaction with whatever `alongside` writes (the
   * scheduler's cursor), and resolves as soon as the run exists (AEP answers POST /runs the same way). Throws
   * `FlowBusyError` when a run of the flow is unfinished.
   */
  async start(plan: RunPlan, options: { alongside?: (trx: Transaction<Database>, runId: string) => Promise<void> } = {}): Promise<{ id: string; etag: string }> {
    const runId = crypto.randomUUID();
    const createdAt = this.deps.now();
    const scope = { orgId: plan.scope.orgId, sandboxId: plan.scope.sandboxId };
    const outcome = { ...emptyOutcome(createdAt, plan.window), stage: 'queued' as const };
    const etag = newRunEtag();
    const job: QueuedRun = {
      runId,
      flowId: plan.flowId,
      scope: { ...scope, sandboxName: plan.scope.sandboxName },
      connectionId: plan.source.baseConnectionId ?? plan.source.connectionId,
      actor: plan.actor,
      window: plan.window,
    };
    const ownQueue = !this.deps.queue.redelivers;
    // A queue that never redelivers runs its runs in this process: the lease is written with the record, so another
    // server's recovery never sees the run without its owner.
    if (ownQueue) this.ownRuns.add(runId);
    let publish: () => void;
    try {
      publish = await this.deps.db.transaction().execute(async (trx) => {
        await new RunsRepository(trx).insert(scope, plan.flowId, { kind: runKind, id: runId, body: runDocument(plan, runId, etag, createdAt, outcome), secret: null, etag, createdAt, updatedAt: createdAt });
        if (ownQueue) await this.leases.record(trx, scope, runId);
        await options.alongside?.(trx, runId);
        return this.deps.queue.add(trx, job);
      });
    } catch (error) {
      this.ownRuns.delete(runId);
      // The run id is new: the only unique clash is the index of one unfinished run per flow.
      if (isUniqueViolation(error) && (await this.isBusy(scope, plan.flowId))) throw new FlowBusyError(plan.flowId);
      throw error;
    }
    if (ownQueue) this.waiting.add(runId);
    else if (this.deps.queue.consuming) {
      this.acceptedShared.add(runId);
      if (this.acceptedShared.size > 1000) await this.pruneAccepted();
    }
    publish();
    return { id: runId, etag };
  }

  /**
   * Runs one delivery of a queued run (the worker's part). A run whose record is already final (an attempt that
   * committed just before its worker was taken for gone) only settles its job. Everything this attempt saves is
   * conditional on the record's etag, and its final record on the queue's claim: an attempt that was taken for
   * gone and resumes cannot commit, and its batch never becomes visible.
   */
  execute(claim: RunClaim): Promise<void> {
    if (claim.job.kind === 'landing') return this.executeLanding({ ...claim, job: claim.job });
    const runId = claim.job.runId;
    let deferred = false;
    const execution = this.executeClaim({ ...claim, job: claim.job })
      .then((outcome) => {
        deferred = outcome === 'deferred';
      })
      .finally(() => {
        this.executing.delete(runId);
        // A deferred run of this process's own queue is still this process's: it is delivered again here.
        if (deferred && !this.deps.queue.redelivers) this.waiting.add(runId);
        else {
          this.waiting.delete(runId);
          this.ownRuns.delete(runId);
        }
      });
    this.executing.set(runId, execution);
    return execution;
  }

  /** Whether a run about to execute would pass its org's or its connection's limit of runs at once (it counts itself). */
  private async overLimit(job: QueuedRun): Promise<boolean> {
    const { perOrg, perConnection } = this.deps.limits ?? {};
    if (perOrg && (await this.leases.executing(job.scope.orgId)) > perOrg) return true;
    if (perConnection && job.connectionId && (await this.leases.executing(job.scope.orgId, job.connectionId)) > perConnection) return true;
    return false;
  }

  /** A queued COMPLETE, delivered here: its lease counts as this process's while it lands (see `ingestLease`). */
  private executeLanding(claim: RunClaim<QueuedLanding>): Promise<void> {
    const id = jobIdOf(claim.job);
    const leaseId = landingLeaseId(claim.job.batchId);
    this.ownRuns.add(leaseId);
    const { db, layout, now, log, connectors, queue, landings } = this.deps;
    const execution = executeLanding(claim, { db, layout, now, log, connectors, queue, landings, leases: this.leases }).finally(() => {
      this.executing.delete(id);
      this.ownRuns.delete(leaseId);
    });
    this.executing.set(id, execution);
    return execution;
  }

  /**
   * Queues the landing of a batch its COMPLETE claimed, for whichever worker takes it (this process with SQLite).
   * Resolves once the job is in the queue; the batch's status says when it has landed.
   */
  async queueLanding(job: QueuedLanding): Promise<void> {
    const publish = await this.deps.db.transaction().execute((trx) => this.deps.queue.add(trx, job));
    publish();
  }

  /**
   * For a claimed batch no live process holds: `redelivering` when the queue gave its landing to another attempt,
   * `held` while it waits for a worker (or was delivered less than `graceMs` ago), `gone` when no landing of it is
   * queued (its attempts are spent, or its claim was never queued): the claim can then be released.
   */
  reclaimLanding(batchId: string, graceMs: number): Promise<ReclaimOutcome> {
    return this.deps.queue.reclaim(landingJobId(batchId), graceMs);
  }

  private async executeClaim(claim: RunClaim<QueuedRun>): Promise<'ran' | 'deferred'> {
    const { job } = claim;
    const { runId } = job;
    const scope = { orgId: job.scope.orgId, sandboxId: job.scope.sandboxId };
    this.waiting.delete(runId);
    this.ownRuns.add(runId);
    const stored = await this.runs.records(scope, [runId]).then((found) => found.get(runId));
    if (!stored || !unfinished.has(statusOf(stored.body) ?? '')) {
      // Nothing left to do but end the job: the run was finished by an earlier attempt (or deleted with its sandbox).
      await this.deps.db.transaction().execute((trx) => claim.settle(trx));
      if (!this.deps.queue.redelivers) {
        const lease = await this.leases.find(runId);
        if (lease) await this.leases.dropIf(lease.scope, runId, lease.etag);
      }
      return 'ran';
    }
    // The lease says the run executes before the limits are counted, so two workers that start runs at once both
    // see both: at worst both step back, never both go over.
    const marks = { executing: true, connectionId: job.connectionId };
    const lease = this.deps.queue.redelivers ? await this.leases.take(scope, runId, marks) : await this.leases.hold(scope, runId, marks);
    if (await this.overLimit(job)) {
      if (this.deps.queue.redelivers) await lease.release();
      else {
        await lease.mark({});
        await lease.release({ keep: true });
      }
      await this.deps.queue.defer(claim, limitBackoffMs());
      return 'deferred';
    }
    /** The etag the first save expects (the queued record's); after it, any etag this attempt wrote is its own. */
    const claimedFrom = stored.etag;
    const written = new Set<string>();
    const createdAt = stored.createdAt;
    let recordFinal = false;
    let plan: RunPlan | undefined;
    let outcome = emptyOutcome(this.deps.now(), job.window);
    /**
     * Saves are conditional on the record holding an etag this attempt wrote (progress saves may overlap, so any of
     * its own will do), or, for the first, the etag it was claimed from. Anything else means another attempt or a
     * recovery wrote it since: `ClaimLost`. A final record's etag only counts once its transaction commits.
     */
    const save = async (next: RunOutcome, runs: RunsRepository, current: RunIdentity, inTransaction = false) => {
      const fresh = newRunEtag();
      const record = { kind: runKind, id: runId, body: runDocument(current, runId, fresh, createdAt, next), secret: null, etag: fresh, createdAt, updatedAt: this.deps.now() };
      for (let tries = 0; tries < 3; tries += 1) {
        const held = written.size === 0 ? claimedFrom : (await runs.records(scope, [runId])).get(runId)?.etag;
        if (held === undefined || (written.size > 0 && !written.has(held))) break;
        if (await runs.update(scope, record, held)) {
          if (!inTransaction) written.add(fresh);
          return;
        }
        // Another save of this attempt moved the record between the read and the update: read again.
      }
      throw new ClaimLost(runId, claim.attempt, 'its run record was changed by another process');
    };
    const finalRecord = async (next: RunOutcome, trx: Transaction<Database>, current: RunIdentity) => {
      await claim.settle(trx);
      await save(next, new RunsRepository(trx), current, true);
      await this.recorded({ runId, flowId: job.flowId, scope, status: next.status === 'success' ? 'success' : 'failed', failedRecords: next.failedRecords }, trx);
    };
    try {
      try {
        if (!this.deps.planQueued) throw new Error('this process cannot plan queued runs');
        plan = await this.deps.planQueued(job);
      } catch (error) {
        // The flow changed since the run was asked for (disabled, its connection deleted): the run fails, as it would have then.
        outcome = { ...outcome, status: 'failed', completedAt: this.deps.now(), errors: [{ code: 'CONNECTOR-1001-500', message: `the run could not start: ${error instanceof Error ? error.message : String(error)}` }] };
        const failedPlan = identityOfRecord(stored.body, job);
        await this.deps.db.transaction().execute((trx) => finalRecord(outcome, trx, failedPlan));
        recordFinal = true;
        this.tellFinished({ runId, plan: failedPlan, outcome });
        return 'ran';
      }
      const current = plan;
      if (claim.attempt > 0) outcome.notices = [{ code: 'CONNECTOR-2002-200', message: `the run was taken up again (attempt ${claim.attempt + 1}) after the worker running it stopped` }];
      // The first save claims the record for this attempt: an earlier attempt that resumes now fails its own saves.
      await save(outcome, this.runs, current);
      outcome = await runFlow(current, runId, outcome, {
        db: this.deps.db,
        layout: this.deps.layout,
        now: this.deps.now,
        log: this.deps.log,
        connectors: this.deps.connectors,
        attempt: claim.attempt,
        progress: (next) => save(next, this.runs, current),
        finalRecord: (next, trx) => finalRecord(next, trx, current),
      });
      recordFinal = true;
      this.tellFinished({ runId, plan: current, outcome });
      return 'ran';
    } catch (error) {
      if (error instanceof ClaimLost) this.deps.log?.warn({ runId, attempt: claim.attempt }, `run ${runId}: ${error.message}; this attempt's work is discarded`);
      throw error;
    } finally {
      // A run whose final record was not saved (the store failed under it) still reads inProgress: its lease stays,
      // without a heartbeat, so that a sweep finds it and fails it or gives it to another worker.
      // A queue that redelivers needs no lease kept: it gives the run to another attempt itself.
      await lease.release({ keep: !recordFinal && !this.deps.queue.redelivers });
    }
  }

  /** Forgets the shared-queue runs this process accepted that have finished (anywhere); resolves to how many remain. */
  private async pruneAccepted(): Promise<number> {
    const open = await this.runs.unfinishedOf([...this.acceptedShared]);
    for (const id of this.acceptedShared) if (!open.has(id)) this.acceptedShared.delete(id);
    return this.acceptedShared.size;
  }

  /**
   * Lands a batch's files in this process (streaming's flushes, the API server's own background work), through the
   * same pipeline as a flow run, and resolves when it is done. Batch Ingestion's COMPLETE is queued instead
   * (`queueLanding`), for any worker.
   */
  async ingest(plan: RunPlan, hooks: Pick<RunDeps, 'onCommit'> = {}): Promise<RunOutcome> {
    const key = `batch:${plan.upload?.batchId ?? plan.flowId}`;
    if (this.running.has(key)) throw new FlowBusyError(key);
    const runId = landingLeaseId(plan.upload?.batchId ?? plan.flowId);
    this.ownRuns.add(runId);
    const execution = (async () => {
      const lease = await this.leases.take({ orgId: plan.scope.orgId, sandboxId: plan.scope.sandboxId }, runId);
      try {
        return await runFlow(plan, runId, emptyOutcome(this.deps.now(), plan.window), {
          db: this.deps.db,
          layout: this.deps.layout,
          now: this.deps.now,
          log: this.deps.log,
          connectors: this.deps.connectors,
          finalRecord: async () => undefined,
          onCommit: hooks.onCommit,
        });
      } finally {
        await lease.release();
        this.ownRuns.delete(runId);
      }
    })().finally(() => this.running.delete(key));
    this.running.set(key, execution);
    return execution;
  }

  /**
   * Whether the process landing an upload batch (`ingest`) is alive: `none` when no process holds its lease (it
   * has not taken it yet, or it is done), `gone` when the one holding it stopped.
   */
  async ingestLease(batchId: string): Promise<'alive' | 'gone' | 'none'> {
    const runId = landingLeaseId(batchId);
    if (this.ownRuns.has(runId)) return 'alive';
    const lease = await this.leases.find(runId);
    if (!lease) return 'none';
    return this.leases.isAlive(lease) ? 'alive' : 'gone';
  }

  /** Drops the lease of an upload batch's landing whose process stopped, so the batch can be landed again. */
  async dropStoppedIngest(batchId: string): Promise<void> {
    const runId = landingLeaseId(batchId);
    const lease = this.ownRuns.has(runId) ? undefined : await this.leases.find(runId);
    if (lease && !this.leases.isAlive(lease)) await this.leases.dropIf(lease.scope, runId, lease.etag);
  }

  /** Resolves when no run or landing is executing here (tests, and shutdown). */
  async idle(): Promise<void> {
    // Runs waiting in this process's own queue count only while something takes them: after a worker stopped, they
    // wait for the next start (which fails them as interrupted, as a restart always did).
    const waitingHere = async () => this.deps.queue.consuming && (this.waiting.size > 0 || (await this.pruneAccepted()) > 0);
    while (this.running.size > 0 || this.executing.size > 0 || (await waitingHere())) {
      await Promise.allSettled([...this.running.values(), ...this.executing.values()]);
      if (this.running.size === 0 && this.executing.size === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Recovers now and then every `intervalMs`, for the runs of servers that stopped while this one runs. */
  startSweeping(intervalMs: number): () => Promise<void> {
    // A lake folder younger than ten minutes may be another server's commit in flight. With a queue that
    // redelivers, a run may also have been delivered to a worker that died before its lease was written: sweeps
    // then read every unfinished run (by the status index: as many as there are runs queued or running).
    const reach = this.deps.queue.redelivers ? 'everyRun' : 'leasedRuns';
    const sweep = new PeriodicSweep(() => this.recover(10 * 60_000, reach), {
      everyMs: intervalMs,
      atStart: false,
      failed: (error) => this.deps.log?.warn({ err: error }, 'sweeping unfinished runs failed'),
    });
    sweep.start();
    return () => sweep.stop();
  }

  /**
   * After a restart, and now and then: the unfinished runs whose process is gone (this host's earlier process, or a server whose
   * heartbeat stopped) are failed and their leftovers go. Runs another live server is running are left alone.
   *
   * `everyRun` (at start) reads every unfinished run (by its `flow_runs` status, not every body), for those no lease names: a store restored from a backup,
   * which leaves leases out. `leasedRuns` (the sweeps) reads only the runs named by leases whose holder is gone: a
   * run takes its lease before its first record and drops it after its last, so a run that loses its process
   * while this server runs is always named by one, and a sweep costs the same with a million finished runs.
   */
  async recover(orphanGraceMs = 0, reach: 'everyRun' | 'leasedRuns' = 'everyRun'): Promise<number> {
    // Staging before leases: a run takes its lease before it makes its staging folder, so every folder listed here
    // belongs to a run the lease read below names. Listed after that read, the folder of a run that another worker
    // started in between would be taken for nobody's and removed under it.
    const staging = this.deps.layout.stagingRoot();
    const staged = fs.existsSync(staging) ? fs.readdirSync(staging) : [];
    // Runs before leases: a run read unfinished had its lease before its record, so the lease read next names it.
    const found = reach === 'everyRun' ? await this.runs.acrossSandboxes({ unfinished: true }) : [];
    const leases = await this.leases.all();
    const alive = (runId: string) => this.isRunning(runId, leases);
    if (reach === 'leasedRuns') found.push(...(await this.runs.acrossSandboxes({ ids: [...leases.keys()].filter((runId) => !alive(runId)) })));
    let failed = 0;
    for (const { scope, run } of found) {
      const body = run.body;
      if (!unfinished.has(statusOf(body) ?? '') || alive(run.id)) continue;
      // A queue that redelivers gives the run to another worker (or it is still waiting for one): not a failure yet.
      // A dead lease says the worker is gone now; without one, the worker may have taken the run a moment ago and not
      // yet written its lease, so the queue waits for as long as a lease may be silent.
      if ((await this.deps.queue.reclaim(run.id, leases.has(run.id) ? 0 : this.leases.silenceMs)) !== 'gone') continue;
      const now = this.deps.now();
      const error = { code: 'CONNECTOR-2001-500', message: 'The run was interrupted (the process stopped); nothing of it was ingested. Re-trigger it.' };
      const next: StoredRunBody = { ...body, updatedAt: now, metrics: { ...body.metrics, statusSummary: { status: 'failed', errors: [error] }, durationSummary: { ...body.metrics?.durationSummary, completedAtUTC: now } } };
      const flowId = body.flowId;
      // The etag read above: a run that finished since (its lease dropped a moment after the read), or that another
      // server's sweep failed first, is not overwritten or told of twice.
      const updated = await this.deps.db.transaction().execute(async (trx) => {
        if (!(await new RunsRepository(trx).update(scope, { kind: runKind, id: run.id, body: next, secret: null, etag: newRunEtag(), createdAt: now, updatedAt: now }, run.etag))) return false;
        if (flowId) await this.recorded({ runId: run.id, flowId, scope, status: 'failed', failedRecords: 0 }, trx);
        return true;
      });
      if (!updated) continue;
      failed += 1;
      if (flowId) this.tell(this.interruptedListeners, { runId: run.id, flowId, scope });
    }
    for (const [runId, lease] of leases) {
      if (alive(runId)) continue;
      // A queued COMPLETE whose worker went silent is given to another worker. The grace is a lease's silence: the
      // attempt that wrote this lease started longer ago than that, so a redelivery just taken up is left alone.
      // A lease of a pid seen dead is dead at once; kept while the queue holds the job, it is looked at again next sweep.
      const landing = batchOfLandingLease(runId);
      if (this.deps.queue.redelivers && landing !== undefined && (await this.reclaimLanding(landing, this.leases.silenceMs)) === 'held') continue;
      // Conditionally: a worker that took over a redelivered run's lease since the read keeps it.
      await this.leases.dropIf(lease.scope, runId, lease.etag);
    }
    for (const dir of staged) {
      // `<runId>.<attempt>` for a redelivered run's later attempts.
      if (!alive(dir.split('.')[0] ?? dir)) fs.rmSync(path.join(staging, dir), { recursive: true, force: true });
    }
    // A live server may be between moving a batch into the lake and committing it: orphans wait until no one runs.
    if (![...leases.keys()].some(alive) && this.ownRuns.size === 0) await this.removeOrphanBatches(orphanGraceMs);
    return failed;
  }

  /**
   * Whether a run is running, here or on a live process. A lease of this very process that it no longer runs was
   * left by a run whose final record failed to save.
   */
  private isRunning(runId: string, leases: ReadonlyMap<string, ReadLease>): boolean {
    const lease = leases.get(runId);
    return this.ownRuns.has(runId) || (lease !== undefined && lease.owner !== this.leases.owner && this.leases.isAlive(lease));
  }

  /**
   * Lake folders whose batch never committed (a crash between the move and the commit) are not data. A batch
   * that Batch Ingestion created and that is still loading (or claimed by a completion that stopped) has not
   * committed either: its folder would stop the retried completion from moving its files in.
   */
  private async removeOrphanBatches(graceMs: number): Promise<void> {
    const lake = this.deps.layout.lakeRoot();
    if (!fs.existsSync(lake)) return;
    // The folders first, then the status of those batches alone (from the batch index): a sweep reads as many
    // rows as the lake has folders, not every batch body of the store.
    const folders: { batch: string; folder: string }[] = [];
    for (const org of fs.readdirSync(lake)) {
      for (const sandbox of fs.readdirSync(path.join(lake, org))) {
        for (const dataSet of fs.readdirSync(path.join(lake, org, sandbox))) {
          for (const batch of fs.readdirSync(path.join(lake, org, sandbox, dataSet))) folders.push({ batch, folder: path.join(lake, org, sandbox, dataSet, batch) });
        }
      }
    }
    // Leases again, after the listing and before the statuses: a run that moved a listed folder in held its lease
    // before it did, so either that lease is read here (and nothing is removed), or the run had committed and
    // dropped it, and the status read next says committed. The sweep's first read may predate such a run.
    const leasesNow = await this.leases.all();
    if (this.ownRuns.size > 0 || [...leasesNow.keys()].some((runId) => this.isRunning(runId, leasesNow))) return;
    const landing = new Set<string>([...uncommittedStatuses, claimedStatus]);
    const committed = new Set<string>();
    for (let i = 0; i < folders.length; i += 500) {
      const ids = folders.slice(i, i + 500).map((f) => f.batch);
      const rows = await this.deps.db.selectFrom('catalog_batches').select(['batch_id', 'status']).where('batch_id', 'in', ids).execute();
      for (const row of rows) if (row.status === null || !landing.has(row.status)) committed.add(row.batch_id);
    }
    for (const { batch, folder } of folders) {
      if (!committed.has(batch) && Date.now() - fs.statSync(folder).mtimeMs >= graceMs) fs.rmSync(folder, { recursive: true, force: true });
    }
  }
}
