import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../store/unique-violation.js';
import { newEtag } from '../store/cosmos-etag.js';
import type { Database } from '../store/database.js';
import { ResourcesRepository, toStored, type Scope, type StoredResource } from '../store/resources.repository.js';
import { FlowBusyError, type Engine } from './engine.js';
import type { RunLog } from './run-log.js';
import type { RunPlan } from './run-plan.js';
import { RunsRepository } from './runs.repository.js';
import { nextDue, nextTickAfter, type RunWindow, type Schedule } from './schedule-grid.js';

export const scheduleKind = 'engine.schedule';

/** A flow as the scheduler sees it; the Flow Service reads these from the stored flows. */
export interface ScheduledFlow {
  flowId: string;
  scope: Scope;
  enabled: boolean;
  schedule: Schedule;
}

/**
 * What the scheduler is built from. Only the Flow Service can turn a flow into a RunPlan, and the engine never
 * imports services, so the flows and the plans come in as callbacks.
 *
 * ```ts
 * const scheduler = new Scheduler({
 *   clock: { now: Date.now },
 *   db,
 *   engine,
 *   listFlows: async () => [{ flowId, scope, enabled: true, schedule: { frequency: 'hour', startTime, interval: 1, backfill: true } }],
 *   planRun: async (flow, window) => ({ ...(await buildPlanSomehow(flow)), window }),
 * });
 * scheduler.start(); // and `await scheduler.stop()` on shutdown
 * ```
 */
export interface SchedulerDeps {
  clock: { now(): number };
  db: Kysely<Database>;
  engine: Pick<Engine, 'start'>;
  /** Every flow that has a schedule, in every org and sandbox. */
  listFlows(): Promise<ScheduledFlow[]>;
  /** The plan of one run of `flow` over `window`; throws when the flow cannot run. */
  planRun(flow: ScheduledFlow, window: RunWindow): Promise<RunPlan>;
  log?: RunLog | undefined;
  /** The longest the timer sleeps, so new flows and flows that were busy at their tick are picked up soon. */
  maxSleepMs?: number | undefined;
}

export interface TickReport {
  started: { flowId: string; runId: string; window: RunWindow }[];
  /** The earliest grid tick after this tick, over all enabled flows. */
  nextTickAt: number | undefined;
}

/**
 * The schedule cursor of one flow, stored as resource kind `engine.schedule`. It is written when a run starts,
 * not when it succeeds: the run record is what says whether the window landed (see `windowFor`).
 */
interface ScheduleState {
  version: 1;
  lastWindowStart: number | null;
  lastWindowEnd: number;
  lastRunId: string;
}

/**
 * Starts the runs that flows' schedules make due (see `nextDue` for the grid, backfill and catch-up rules).
 * `tick()` does one pass and is what tests call with a fake clock; `start()` repeats it on a timer.
 */
export class Scheduler {
  private readonly runs: RunsRepository;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<TickReport> | undefined;
  private started = false;
  private stopped = false;
  /** Why each flow last failed to start, so a broken flow is reported once, not on every pass. */
  private readonly reported = new Map<string, string>();

  constructor(private readonly deps: SchedulerDeps) {
    this.runs = new RunsRepository(deps.db);
  }

  /** One pass over the flows. A pass already under way is joined, never run twice at once. */
  tick(): Promise<TickReport> {
    this.ticking ??= this.pass().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /**
   * Ticks now, then at each next grid tick (at most `maxSleepMs` apart). The timer never keeps the process alive.
   * A stopped scheduler can start again (a server that lost the scheduler lock and took it back).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.arm(0);
  }

  /** Stops the timer and waits for a pass in progress, so nothing starts a run after shutdown began. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking?.catch(() => undefined);
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => void this.loop(), delayMs);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    let next: number | undefined;
    try {
      next = (await this.tick()).nextTickAt;
    } catch (error: unknown) {
      this.deps.log?.error({ err: error }, 'scheduler pass failed');
    }
    if (this.stopped) return;
    const cap = this.deps.maxSleepMs ?? 30_000;
    this.arm(next === undefined ? cap : Math.min(cap, Math.max(0, next - this.deps.clock.now())));
  }

  /**
   * One pass reads every flow's cursor and which flows are busy in two queries, then works on the due flows alone:
   * with 10,000 flows a query per flow made a pass last seconds, and ticks late. What the reads say may be stale by
   * the time a run starts; the run's transaction checks both again (the cursor's etag, the one-unfinished-run index).
   */
  private async pass(): Promise<TickReport> {
    const now = this.deps.clock.now();
    const report: TickReport = { started: [], nextTickAt: undefined };
    const flows = await this.deps.listFlows();
    const [cursors, busy] = await Promise.all([this.cursors(), this.busyFlows()]);
    for (const flow of flows) {
      if (!flow.enabled) continue;
      const next = nextTickAfter(flow.schedule, now);
      if (next !== undefined) report.nextTickAt = Math.min(report.nextTickAt ?? next, next);
      const key = flowKey(flow.scope, flow.flowId);
      // Its due window waits for the next pass; the catch-up rule then folds it into one run.
      if (busy.has(key)) continue;
      try {
        const started = await this.startDue(flow, now, cursors.get(key));
        if (started) report.started.push(started);
      } catch (error: unknown) {
        this.report(flow, error);
      }
    }
    return report;
  }

  /** Every flow's schedule cursor, in every org and sandbox, by `flowKey`. */
  private async cursors(): Promise<Map<string, StoredResource>> {
    const rows = await this.deps.db.selectFrom('resources').selectAll().where('kind', '=', scheduleKind).execute();
    return new Map(rows.map((row) => [flowKey({ orgId: row.org_id, sandboxId: row.sandbox_id }, row.id), toStored(row)]));
  }

  /** The flows with an unfinished run, on any server, by `flowKey`. */
  private async busyFlows(): Promise<Set<string>> {
    return new Set((await this.runs.busyFlows()).map((busy) => flowKey(busy.scope, busy.flowId)));
  }

  private async startDue(flow: ScheduledFlow, now: number, stored: StoredResource | undefined): Promise<TickReport['started'][number] | undefined> {
    const state = stored ? readState(stored.body) : undefined;
    const due = nextDue(flow.schedule, state?.lastWindowEnd, now);
    if (!due) return undefined;
    // A `once` flow that was already run on demand has had its one run.
    if (flow.schedule.frequency === 'once' && !state && (await this.hasRuns(flow))) return undefined;
    const window = await this.windowFor(flow, due, state);
    const plan = await this.deps.planRun(flow, window);
    let run: { id: string };
    // The cursor moves in the transaction that records the run and queues it: a window is taken once, by one run,
    // whichever scheduler (after a failover, say) read the same cursor.
    const moveCursor = async (trx: Transaction<Database>, runId: string) => {
      const next: ScheduleState = { version: 1, lastWindowStart: window.start, lastWindowEnd: window.end, lastRunId: runId };
      const record = { kind: scheduleKind, id: flow.flowId, body: next, secret: null, etag: newEtag(), createdAt: stored?.createdAt ?? now, updatedAt: now };
      const repo = new ResourcesRepository(trx);
      if (!stored) await repo.insert(flow.scope, record);
      else if (!(await repo.update(flow.scope, record, stored.etag))) throw new CursorMoved(flow.flowId);
    };
    try {
      run = await this.deps.engine.start(plan, { alongside: moveCursor });
    } catch (error: unknown) {
      // A run started on demand since the pass read the busy flows: this window waits for the next pass.
      if (error instanceof FlowBusyError) return undefined;
      // Another scheduler took this window first (a two-scheduler moment during a failover): nothing was recorded.
      if (error instanceof CursorMoved || isUniqueViolation(error)) {
        this.deps.log?.warn({ flowId: flow.flowId, windowEnd: window.end }, 'another process moved this flow\'s schedule at the same time');
        return undefined;
      }
      throw error;
    }
    this.reported.delete(flow.flowId);
    return { flowId: flow.flowId, runId: run.id, window };
  }

  /**
   * A failed window never lets the schedule move past it: when the last scheduled run failed (or was cut short by
   * a restart, which `Engine.recover` marks failed), the next window starts where the failed one started.
   */
  private async windowFor(flow: ScheduledFlow, due: RunWindow, state: ScheduleState | undefined): Promise<RunWindow> {
    if (!state) return due;
    const last = await this.runs.get(flow.scope, state.lastRunId);
    const status = last?.body.metrics?.statusSummary?.status;
    return status === 'failed' ? { start: state.lastWindowStart, end: due.end } : due;
  }

  private async hasRuns(flow: ScheduledFlow): Promise<boolean> {
    return (await this.runs.lastRuns(flow.scope, [flow.flowId])).has(flow.flowId);
  }

  private report(flow: ScheduledFlow, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (this.reported.get(flow.flowId) === reason) return;
    this.reported.set(flow.flowId, reason);
    this.deps.log?.warn({ err: error, flowId: flow.flowId }, 'a scheduled run could not start; the scheduler retries on its next pass');
  }
}

function flowKey(scope: Scope, flowId: string): string {
  return `${scope.orgId}\u0000${scope.sandboxId}\u0000${flowId}`;
}

/** The cursor changed after it was read: another scheduler started this window. */
class CursorMoved extends Error {
  constructor(flowId: string) {
    super(`the schedule of flow ${flowId} moved while a run was being started`);
    this.name = 'CursorMoved';
  }
}

/** Stored state to the current format; version 1 is the only one so far, a version 2 adds a step here. */
function readState(body: unknown): ScheduleState | undefined {
  const value = (body ?? {}) as Partial<ScheduleState>;
  if (typeof value.lastWindowEnd !== 'number' || typeof value.lastRunId !== 'string') return undefined;
  return { version: 1, lastWindowStart: typeof value.lastWindowStart === 'number' ? value.lastWindowStart : null, lastWindowEnd: value.lastWindowEnd, lastRunId: value.lastRunId };
}
