/**
 * Runs jobs with at most `limit` in flight; a job may add more jobs (a window split in two). The first failure
 * stops new jobs from starting and is what `drain` rejects with.
 */
export class WorkQueue<T> {
  private readonly waiting: T[] = [];
  private active = 0;
  private failure: unknown;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(private readonly limit: number, private readonly run: (job: T, queue: WorkQueue<T>) => Promise<void>) {}

  /** Adds a job at the end, or `first`, before every waiting job (depth first: a split's halves before the rest). */
  push(job: T, first = false): void {
    if (first) this.waiting.unshift(job);
    else this.waiting.push(job);
    this.pump();
  }

  drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.check();
    });
  }

  private pump(): void {
    while (this.failure === undefined && this.active < this.limit && this.waiting.length > 0) {
      const job = this.waiting.shift() as T;
      this.active += 1;
      this.run(job, this)
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => {
          this.active -= 1;
          this.pump();
          this.check();
        });
    }
  }

  private check(): void {
    if (!this.settle || this.active > 0) return;
    if (this.failure !== undefined) this.settle.reject(this.failure);
    else if (this.waiting.length === 0) this.settle.resolve();
  }
}
