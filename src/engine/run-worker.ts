import type { Engine } from './engine.js';
import type { RunLog } from './run-log.js';
import { jobIdOf, type RunClaim } from './queue/run-queue.js';

/** Runs at once per worker process unless TRIBUTARY_WORKER_RUNS says otherwise: a run keeps about a core busy. */
export const defaultWorkerConcurrency = 2;

/** How long a stopping worker waits for its runs before it hands them back (TRIBUTARY_WORKER_STOP_SECONDS). */
export const defaultStopDeadlineMs = 60_000;

/**
 * Takes runs from the engine's queue and runs them, `concurrency` at a time. `tributary worker` is one of these
 * and nothing else; `serve` has one unless `--no-worker`.
 *
 * ```ts
 * const worker = new RunWorker({ engine, concurrency: 2 });
 * worker.start();
 * await worker.stop(60_000); // on SIGTERM: no new run, the current ones finish or go back to the queue
 * ```
 */
export class RunWorker {
  private readonly claims = new Map<string, RunClaim>();
  private started = false;

  constructor(private readonly deps: { engine: Engine; concurrency?: number | undefined; log?: RunLog | undefined }) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    const { engine } = this.deps;
    engine.queue.consume(
      async (claim) => {
        this.claims.set(jobIdOf(claim.job), claim);
        try {
          await engine.execute(claim);
        } finally {
          this.claims.delete(jobIdOf(claim.job));
        }
      },
      { concurrency: this.deps.concurrency ?? defaultWorkerConcurrency },
    );
  }

  /**
   * Takes no new run, waits up to `deadlineMs` for the runs in progress, then hands those still running back to the
   * queue, for another worker (pg-boss) or this process's next start (in-process). Their attempts here are fenced
   * off, so whatever they still do after this cannot commit.
   */
  async stop(deadlineMs = defaultStopDeadlineMs): Promise<void> {
    const { engine } = this.deps;
    await engine.queue.stopConsuming();
    // Polled, and bounded by the deadline: the runs in progress end in their own time.
    const until = Date.now() + deadlineMs;
    while (this.claims.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const claim of this.claims.values()) {
      this.deps.log?.warn({ jobId: jobIdOf(claim.job) }, `the worker is stopping: job ${jobIdOf(claim.job)} did not finish within ${Math.round(deadlineMs / 1000)} s and goes back to the queue`);
      await engine.queue.handBack(claim, 'the worker running it shut down').catch(() => undefined);
    }
  }
}
