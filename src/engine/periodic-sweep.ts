/**
 * Background work done now and then: one pass at a time (a pass asked for while one is under way joins it), a
 * timer that never keeps the process alive, a failed pass logged and the next one still due, and a stop that
 * waits for the pass under way.
 *
 * ```ts
 * const sweep = new PeriodicSweep(() => removeExpired(), { everyMs: 3_600_000, atStart: true, failed: (err) => log.warn({ err }, 'sweep failed') });
 * sweep.start();
 * await sweep.run(); // a test's pass, or the timer's if one is under way
 * await sweep.stop();
 * ```
 */
export class PeriodicSweep<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly options: { everyMs: number; atStart: boolean; failed: (error: unknown) => void },
  ) {}

  start(): void {
    if (this.timer) return;
    const sweep = () => void this.run().catch(this.options.failed);
    if (this.options.atStart) sweep();
    this.timer = setInterval(sweep, this.options.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  run(): Promise<T> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
