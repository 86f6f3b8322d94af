import { CompiledQuery, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../../store/database.js';
import { ClaimLost, jobIdOf, type QueuedJob, type ReclaimOutcome, type RunClaim, type RunQueue } from './run-queue.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one pg-boss queue flow runs (and Batch Ingestion landings) wait in. */
export const runQueueName = 'tributary-flow-runs';

/**
 * Delivery settings, beside the options they shape. A run is redelivered when its worker is taken for gone (its
 * lease went silent, see `Engine.recover`), at most `retryLimit` times; a run whose attempts are spent is failed.
 * `expireInHours` only catches a worker pg-boss itself sees hang: the lease notices a dead one in a minute.
 */
export const defaultRunQueueOptions = {
  retryLimit: 3,
  retryDelaySeconds: 5,
  expireInHours: 23,
  /** How long an idle consumer waits before asking for work again (a run added by this process wakes it at once). */
  pollMs: 500,
  /** Connections pg-boss keeps open beside the store's pool. */
  maxConnections: 4,
};

export interface PgBossRunQueueOptions {
  connectionString: string;
  /** The schema pg-boss keeps its tables in (`job`, `queue`, `archive`, `version`, …). */
  schema: string;
  log?: { warn(details: object, message: string): void } | undefined;
  settings?: Partial<typeof defaultRunQueueOptions> | undefined;
}

type Delivered = PgBoss.JobWithMetadata<QueuedJob>;

/**
 * Runs queued in PostgreSQL with pg-boss, shared by every server and worker on the database. A job's id is its
 * run's id, and it is added in the transaction that records the run. A worker's attempt ends in the transaction
 * that saves the run's final record: that transaction locks the job row, checks the attempt still holds it, and
 * completes it (see `settle`).
 */
export class PgBossRunQueue implements RunQueue {
  readonly redelivers = true;
  private taking = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private active = 0;

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: PgBossRunQueueOptions,
    private readonly settings: typeof defaultRunQueueOptions,
  ) {}

  /** Starts pg-boss (installing or migrating its schema) and creates the run queue if it is new. */
  static async open(options: PgBossRunQueueOptions): Promise<PgBossRunQueue> {
    const settings = { ...defaultRunQueueOptions, ...options.settings };
    const boss = new PgBoss({ connectionString: options.connectionString, schema: options.schema, max: settings.maxConnections, schedule: false });
    boss.on('error', (error: Error) => options.log?.warn({ err: error }, 'the run queue (pg-boss) reported an error'));
    await boss.start();
    if (!(await boss.getQueue(runQueueName))) {
      await boss
        .createQueue(runQueueName, { name: runQueueName, retryLimit: settings.retryLimit, retryDelay: settings.retryDelaySeconds, expireInHours: settings.expireInHours })
        // Another process created it between the read and now.
        .catch(async (error: unknown) => {
          if (!(await boss.getQueue(runQueueName))) throw error;
        });
    }
    return new PgBossRunQueue(boss, options, settings);
  }

  async add(trx: Transaction<Database>, job: QueuedJob): Promise<() => void> {
    const db = inTransaction(trx);
    // A landing's id is its batch's: a batch given back (its landing could not start) and completed again would
    // otherwise meet its earlier, finished job, and pg-boss would silently add nothing.
    if (job.kind === 'landing') await db.executeSql(`DELETE FROM ${this.table()} WHERE name = $1 AND id = $2 AND state IN ('completed', 'failed', 'cancelled')`, [runQueueName, jobIdOf(job)]);
    await this.boss.send(runQueueName, job, { id: jobIdOf(job), db });
    return () => this.wake?.();
  }

  consume(run: (claim: RunClaim) => Promise<void>, options: { concurrency: number }): void {
    if (this.taking) return;
    this.taking = true;
    const concurrency = Math.max(1, options.concurrency);
    this.loop = (async () => {
      while (this.taking) {
        const free = concurrency - this.active;
        const jobs = free > 0 ? await this.fetch(free) : [];
        for (const job of jobs) this.deliver(job, run);
        if (jobs.length === 0 || this.active >= concurrency) await this.idle();
      }
    })();
  }

  get consuming(): boolean {
    return this.taking;
  }

  async stopConsuming(): Promise<void> {
    this.taking = false;
    this.wake?.();
    await this.loop;
  }

  async reclaim(runId: string, graceMs: number): Promise<ReclaimOutcome> {
    const job = await this.job(runId);
    if (!job) return 'gone';
    if (job.state === 'created' || job.state === 'retry') return 'held';
    if (job.state !== 'active') return 'gone';
    if (job.startedMsAgo !== null && job.startedMsAgo < graceMs) return 'held';
    await this.boss.fail(runQueueName, runId, { message: 'the worker running it stopped (its lease went silent)' });
    return (await this.job(runId))?.state === 'retry' ? 'redelivering' : 'gone';
  }

  /**
   * The job goes back to `created`, not started, with a later start: pg-boss counts an attempt only when a job that
   * had started is fetched again (`started_on` set), so the run keeps all its attempts.
   */
  async defer(claim: RunClaim, delayMs: number): Promise<void> {
    await this.boss
      .getDb()
      .executeSql(
        `UPDATE ${this.table()} SET state = 'created', started_on = NULL, start_after = now() + ($3::float8 * interval '1 millisecond') WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $4`,
        [runQueueName, jobIdOf(claim.job), delayMs, claim.attempt],
      );
  }

  async handBack(claim: RunClaim, reason: string): Promise<void> {
    const id = jobIdOf(claim.job);
    const job = await this.job(id);
    if (job?.state === 'active' && job.retryCount === claim.attempt) await this.boss.fail(runQueueName, id, { message: reason });
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    await this.boss.stop({ graceful: false, wait: true });
  }

  private async fetch(count: number): Promise<Delivered[]> {
    try {
      return (await this.boss.fetch<QueuedJob>(runQueueName, { batchSize: count, includeMetadata: true })) ?? [];
    } catch (error) {
      this.options.log?.warn({ err: error }, 'taking runs from the queue failed; trying again');
      return [];
    }
  }

  private deliver(job: Delivered, run: (claim: RunClaim) => Promise<void>): void {
    this.active += 1;
    const claim: RunClaim = { job: job.data, attempt: job.retryCount, settle: (trx) => this.settle(trx, job) };
    void run(claim)
      .catch(async (error: unknown) => {
        // A crash (the store failed under the run): the attempt is given back, for another worker if attempts remain.
        if (!(error instanceof ClaimLost)) await this.handBack(claim, error instanceof Error ? error.message : String(error)).catch(() => undefined);
      })
      .finally(() => {
        this.active -= 1;
        this.wake?.();
      });
  }

  /**
   * Inside the final record's transaction: the job row is locked (`FOR UPDATE`), so no sweep can give it away
   * between the check and the commit, and completed with the run's result.
   */
  private async settle(trx: Transaction<Database>, job: Delivered): Promise<void> {
    const db = inTransaction(trx);
    const { rows } = await db.executeSql(`SELECT state, retry_count FROM ${this.table()} WHERE name = $1 AND id = $2 FOR UPDATE`, [runQueueName, job.id]);
    const row = rows[0] as { state: string; retry_count: number } | undefined;
    if (!row || row.state !== 'active' || Number(row.retry_count) !== job.retryCount) {
      throw new ClaimLost(job.id, job.retryCount, row ? `the queue moved it on (${row.state}, attempt ${String(row.retry_count)})` : 'the queue no longer has it');
    }
    await this.boss.complete(runQueueName, job.id, { id: job.id }, { db });
  }

  /** The job of a run, with how long ago its attempt started by the database's clock (every worker's the same). */
  private async job(runId: string): Promise<{ state: string; retryCount: number; startedMsAgo: number | null } | undefined> {
    // Job ids are uuids; a run recorded before runs were queued (or by hand) may have another id and has no job.
    if (!uuidPattern.test(runId)) return undefined;
    const { rows } = await this.boss
      .getDb()
      .executeSql(`SELECT state, retry_count, (EXTRACT(EPOCH FROM (now() - started_on)) * 1000)::float8 AS started_ms_ago FROM ${this.table()} WHERE name = $1 AND id = $2`, [runQueueName, runId]);
    const row = rows[0] as { state: string; retry_count: number; started_ms_ago: number | null } | undefined;
    return row ? { state: row.state, retryCount: Number(row.retry_count), startedMsAgo: row.started_ms_ago === null ? null : Number(row.started_ms_ago) } : undefined;
  }

  private table(): string {
    return `"${this.options.schema}".job`;
  }

  /** Waits for a poll interval, or less when this process adds a run or a delivered run ends. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.settings.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/** pg-boss's statements, run in a Kysely transaction, so a job commits or rolls back with it. */
function inTransaction(trx: Transaction<Database>): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] as never[] };
    },
  };
}
