import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { RunLog as Logger } from './run-log.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { Database } from '../store/database.js';
import { newEtag as newRunEtag } from '../store/cosmos-etag.js';
import { batchKind, claimedStatus, uncommittedStatuses } from './batch-document.js';
import { runDocument, runKind } from './run-document.js';
import { emptyOutcome, type RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import { runFlow, type RunDeps } from './run-flow.js';
import { PeriodicSweep } from './periodic-sweep.js';
import { RunLeases } from './run-leases.js';
import { RunsRepository } from './runs.repository.js';
import type { ConnectorLookup } from './connectors-by-spec.js';

export interface EngineDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  log?: Logger | undefined;
  /** Which connector reads a connection spec's sources. */
  connectors: ConnectorLookup;
}

/** A flow run that reached its final record (success or failure); upload ingests are not flow runs. */
export interface FinishedRun {
  runId: string;
  plan: RunPlan;
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

/** A second run of a flow was asked for while one is in progress; callers check `isRunning` first, this closes the race. */
export class FlowBusyError extends Error {
  constructor(readonly flowId: string) {
    super(`a run of flow ${flowId} is in progress`);
    this.name = 'FlowBusyError';
  }
}

/** A run in progress can be told apart from a finished one by its record alone. */
const unfinished = new Set(['queued', 'inProgress']);

/**
 * Starts runs and keeps their records. Runs execute in this process, in the background; at most one run
 * of a flow at a time. On start, `recover` fails what a previous process left unfinished and removes
 * lake folders that no successful batch owns.
 */
export class Engine {
  private readonly running = new Map<string, Promise<RunOutcome>>();
  private readonly runs: RunsRepository;
  private readonly leases: RunLeases;
  /** The runs this engine is running: alive whatever a lease read a moment ago says. */
  private readonly ownRuns = new Set<string>();
  private readonly listeners: RunListener[] = [];
  private readonly interruptedListeners: InterruptedRunListener[] = [];
  private readonly recordHooks: RunRecordHook[] = [];
  /** Flow runs accepted and not finished, and those of them not yet executing (see `runCounts`). */
  private readonly flowRuns = new Set<string>();
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: EngineDeps) {
    this.runs = new RunsRepository(deps.db);
    this.leases = new RunLeases(deps.db, deps.now);
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

  /**
   * This process's flow runs: `inProgress` executing, `queued` accepted but not started yet. Runs start at once
   * today (no queue, no workers), so `queued` only counts the moment a run takes its lease and saves its record.
   */
  runCounts(): { inProgress: number; queued: number } {
    return { inProgress: this.flowRuns.size - this.waiting.size, queued: this.waiting.size };
  }

  isRunning(flowId: string): boolean {
    return this.running.has(flowId);
  }

  /** Records the run and starts it; resolves as soon as the run exists (AEP answers POST /runs the same way). */
  async start(plan: RunPlan): Promise<{ id: string; etag: string }> {
    if (this.running.has(plan.flowId)) throw new FlowBusyError(plan.flowId);
    const runId = crypto.randomUUID();
    const createdAt = this.deps.now();
    const scope = { orgId: plan.scope.orgId, sandboxId: plan.scope.sandboxId };
    let outcome = emptyOutcome(createdAt, plan.window);
    let etag = newRunEtag();
    // The lease comes first: another server's recovery must never see this run without its owner.
    this.ownRuns.add(runId);
    const leased = this.leases.take(scope, runId);
    const recorded = leased.then(() => this.runs.insert(scope, plan.flowId, { kind: runKind, id: runId, body: runDocument(plan, runId, etag, createdAt, outcome), secret: null, etag, createdAt, updatedAt: createdAt }));
    const save = async (next: RunOutcome, runs: RunsRepository) => {
      const previous = etag;
      etag = newRunEtag();
      const now = this.deps.now();
      await runs.update(scope, { kind: runKind, id: runId, body: runDocument(plan, runId, etag, createdAt, next), secret: null, etag, createdAt, updatedAt: now }, previous);
    };
    const started = { id: runId, etag };
    this.flowRuns.add(runId);
    this.waiting.add(runId);
    // The flow is claimed before the first await, so two callers (the scheduler, POST /runs) that both saw
    // isRunning() false cannot start two runs of it.
    const execution = (async () => {
      const release = await leased;
      let recordFinal = false;
      try {
        await recorded;
        await new Promise((resolve) => setImmediate(resolve));
        this.waiting.delete(runId);
        outcome = await runFlow(plan, runId, outcome, {
          db: this.deps.db,
          layout: this.deps.layout,
          now: this.deps.now,
          log: this.deps.log,
          connectors: this.deps.connectors,
          progress: (next) => save(next, this.runs),
          finalRecord: async (next, trx) => {
            await save(next, new RunsRepository(trx));
            await this.recorded({ runId, flowId: plan.flowId, scope, status: next.status === 'success' ? 'success' : 'failed', failedRecords: next.failedRecords }, trx);
          },
        });
        recordFinal = true;
      } finally {
        // A run whose final record was not saved (the store failed under it) still reads inProgress: its lease stays,
        // without a heartbeat, so that a sweep finds it and fails it, here or on another server.
        await release({ keep: !recordFinal });
        this.ownRuns.delete(runId);
      }
      this.tellFinished({ runId, plan, outcome });
      return outcome;
    })().finally(() => {
      this.running.delete(plan.flowId);
      this.flowRuns.delete(runId);
      this.waiting.delete(runId);
    });
    this.running.set(plan.flowId, execution);
    execution.catch((error: unknown) => this.deps.log?.error({ err: error, runId }, 'run crashed'));
    await recorded;
    return started;
  }

  /**
   * Lands the files uploaded into a batch (Batch Ingestion), through the same pipeline as a flow run, and
   * resolves when it is done: AEP answers COMPLETE only once the batch has a final status.
   */
  async ingest(plan: RunPlan, hooks: Pick<RunDeps, 'onCommit'> = {}): Promise<RunOutcome> {
    const key = `batch:${plan.upload?.batchId ?? plan.flowId}`;
    if (this.running.has(key)) throw new FlowBusyError(key);
    const runId = `import-${plan.upload?.batchId ?? plan.flowId}`;
    this.ownRuns.add(runId);
    const execution = (async () => {
      const release = await this.leases.take({ orgId: plan.scope.orgId, sandboxId: plan.scope.sandboxId }, runId);
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
        await release();
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
    const runId = `import-${batchId}`;
    if (this.ownRuns.has(runId)) return 'alive';
    const lease = await this.leases.find(runId);
    if (!lease) return 'none';
    return this.leases.isAlive(lease) ? 'alive' : 'gone';
  }

  /** Drops the lease of an upload batch's landing whose process stopped, so the batch can be landed again. */
  async dropStoppedIngest(batchId: string): Promise<void> {
    const runId = `import-${batchId}`;
    const lease = this.ownRuns.has(runId) ? undefined : await this.leases.find(runId);
    if (lease && !this.leases.isAlive(lease)) await this.leases.drop(lease.scope, runId);
  }

  /** Resolves when no run is in progress (tests, and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Recovers now and then every `intervalMs`, for the runs of servers that stopped while this one runs. */
  startSweeping(intervalMs: number): () => Promise<void> {
    // A lake folder younger than ten minutes may be another server's commit in flight.
    const sweep = new PeriodicSweep(() => this.recover(10 * 60_000, 'leasedRuns'), {
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
    // Runs before leases: a run read unfinished had its lease before its record, so the lease read next names it.
    const rows = reach === 'everyRun' ? await this.runRows() : [];
    const leases = await this.leases.all();
    // A lease of this very process that it no longer runs was left by a run whose final record failed to save.
    const alive = (runId: string) => {
      const lease = leases.get(runId);
      return this.ownRuns.has(runId) || (lease !== undefined && lease.owner !== this.leases.owner && this.leases.isAlive(lease));
    };
    if (reach === 'leasedRuns') rows.push(...(await this.runRows([...leases.keys()].filter((runId) => !alive(runId)))));
    let failed = 0;
    for (const row of rows) {
      const body = JSON.parse(row.body) as Record<string, unknown> & { metrics?: { statusSummary?: { status?: string; errors?: unknown[] } } };
      const status = body.metrics?.statusSummary?.status;
      if (!status || !unfinished.has(status) || alive(row.id)) continue;
      const now = this.deps.now();
      const error = { code: 'CONNECTOR-2001-500', message: 'The run was interrupted (the process stopped); nothing of it was ingested. Re-trigger it.' };
      const next = { ...body, updatedAt: now, metrics: { ...body.metrics, statusSummary: { status: 'failed', errors: [error] }, durationSummary: { ...(body.metrics as Record<string, unknown>).durationSummary as object, completedAtUTC: now } } };
      const scope = { orgId: row.org_id, sandboxId: row.sandbox_id };
      const flowId = typeof body.flowId === 'string' ? body.flowId : undefined;
      // The etag read above: a run that finished since (its lease dropped a moment after the read), or that another
      // server's sweep failed first, is not overwritten or told of twice.
      const updated = await this.deps.db.transaction().execute(async (trx) => {
        if (!(await new RunsRepository(trx).update(scope, { kind: runKind, id: row.id, body: next, secret: null, etag: newRunEtag(), createdAt: now, updatedAt: now }, row.etag))) return false;
        if (flowId) await this.recorded({ runId: row.id, flowId, scope, status: 'failed', failedRecords: 0 }, trx);
        return true;
      });
      if (!updated) continue;
      failed += 1;
      if (flowId) this.tell(this.interruptedListeners, { runId: row.id, flowId, scope });
    }
    for (const [runId, lease] of leases) if (!alive(runId)) await this.leases.drop(lease.scope, runId);
    const staging = this.deps.layout.stagingRoot();
    for (const dir of fs.existsSync(staging) ? fs.readdirSync(staging) : []) {
      if (!alive(dir)) fs.rmSync(path.join(staging, dir), { recursive: true, force: true });
    }
    // A live server may be between moving a batch into the lake and committing it: orphans wait until no one runs.
    if (![...leases.keys()].some(alive) && this.ownRuns.size === 0) await this.removeOrphanBatches(orphanGraceMs);
    return failed;
  }

  /**
   * Run records: every unfinished one (found by `flow_runs.status`, so a start reads no finished run), or those with
   * these ids (500 per query, under both backends' parameter limits).
   */
  private async runRows(ids?: readonly string[]): Promise<{ id: string; org_id: string; sandbox_id: string; body: string; etag: string }[]> {
    const query = this.deps.db.selectFrom('resources').select(['id', 'org_id', 'sandbox_id', 'body', 'etag']).where('kind', '=', runKind);
    if (!ids) {
      return this.deps.db
        .selectFrom('flow_runs as indexed')
        .innerJoin('resources as run', (join) =>
          join.onRef('run.id', '=', 'indexed.run_id').onRef('run.org_id', '=', 'indexed.org_id').onRef('run.sandbox_id', '=', 'indexed.sandbox_id').on('run.kind', '=', runKind),
        )
        .select(['run.id', 'run.org_id', 'run.sandbox_id', 'run.body', 'run.etag'])
        .where('indexed.status', 'in', [...unfinished])
        .execute();
    }
    const rows = [];
    for (let i = 0; i < ids.length; i += 500) rows.push(...(await query.where('id', 'in', ids.slice(i, i + 500)).execute()));
    return rows;
  }

  /**
   * Lake folders whose batch never committed (a crash between the move and the commit) are not data. A batch
   * that Batch Ingestion created and that is still loading (or claimed by a completion that stopped) has not
   * committed either: its folder would stop the retried completion from moving its files in.
   */
  private async removeOrphanBatches(graceMs: number): Promise<void> {
    const rows = await this.deps.db.selectFrom('resources').select(['id', 'body']).where('kind', '=', batchKind).execute();
    const landing = [...uncommittedStatuses, claimedStatus];
    const committed = new Set(rows.filter((r) => !landing.includes(String((JSON.parse(r.body) as { status?: unknown }).status))).map((r) => r.id));
    const lake = this.deps.layout.lakeRoot();
    if (!fs.existsSync(lake)) return;
    for (const org of fs.readdirSync(lake)) {
      for (const sandbox of fs.readdirSync(path.join(lake, org))) {
        for (const dataSet of fs.readdirSync(path.join(lake, org, sandbox))) {
          for (const batch of fs.readdirSync(path.join(lake, org, sandbox, dataSet))) {
            const folder = path.join(lake, org, sandbox, dataSet, batch);
            if (!committed.has(batch) && Date.now() - fs.statSync(folder).mtimeMs >= graceMs) fs.rmSync(folder, { recursive: true, force: true });
          }
        }
      }
    }
  }
}
