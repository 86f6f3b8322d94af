import { jobIdOf, type QueuedJob, type ReclaimOutcome, type RunClaim, type RunQueue } from './run-queue.js';

/**
 * The embedded queue (SQLite): runs wait in this process's memory and run here. Nothing redelivers a run whose
 * process stopped; a restart fails it (`Engine.recover`), as a run cut short by a restart always was.
 */
export class InProcessRunQueue implements RunQueue {
  readonly redelivers = false;
  private readonly waiting: QueuedJob[] = [];
  /** Runs accepted here and not yet finished: waiting or delivered. */
  private readonly held = new Set<string>();
  /** Runs put back by `defer`, waiting for their timer. */
  private readonly deferred = new Set<string>();
  private consumer: { run: (claim: RunClaim) => Promise<void>; concurrency: number } | undefined;
  private active = 0;

  async add(_trx: unknown, job: QueuedJob): Promise<() => void> {
    return () => {
      this.held.add(jobIdOf(job));
      this.waiting.push(job);
      this.drain();
    };
  }

  consume(run: (claim: RunClaim) => Promise<void>, options: { concurrency: number }): void {
    this.consumer = { run, concurrency: Math.max(1, options.concurrency) };
    this.drain();
  }

  get consuming(): boolean {
    return this.consumer !== undefined;
  }

  async stopConsuming(): Promise<void> {
    this.consumer = undefined;
  }

  async reclaim(runId: string): Promise<ReclaimOutcome> {
    return this.held.has(runId) ? 'held' : 'gone';
  }

  async defer(claim: RunClaim, delayMs: number): Promise<void> {
    this.deferred.add(jobIdOf(claim.job));
    const timer = setTimeout(() => {
      this.deferred.delete(jobIdOf(claim.job));
      this.waiting.push(claim.job);
      this.drain();
    }, delayMs);
    timer.unref();
  }

  /** Nothing else would take the run: it waits here for the next consumer of this process. */
  async handBack(claim: RunClaim): Promise<void> {
    this.waiting.unshift(claim.job);
  }

  async close(): Promise<void> {
    this.consumer = undefined;
  }

  private drain(): void {
    const consumer = this.consumer;
    if (!consumer) return;
    while (this.active < consumer.concurrency) {
      const job = this.waiting.shift();
      if (!job) return;
      this.active += 1;
      // The settle is a no-op: this queue never gives a run to a second attempt, so the run record's etag is fence enough.
      const claim: RunClaim = { job, attempt: 0, settle: async () => undefined };
      void consumer
        .run(claim)
        .catch(() => undefined)
        .finally(() => {
          this.active -= 1;
          // A deferred run stays held: its timer delivers it again (see `defer`).
          if (!this.deferred.has(jobIdOf(job))) this.held.delete(jobIdOf(job));
          this.drain();
        });
    }
  }
}
