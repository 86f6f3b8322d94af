import { SourceTransientError } from '../source-connector.js';
import type { RateLimit } from './definition.js';
import type { RateBucket } from './rate-bucket.js';
import type { RateBucketStore } from './rate-bucket-store.js';

/** The share of a second's tokens one round trip to the store may take at most. */
const batchSeconds = 0.2;

/**
 * How a shared bucket spends a rate: `batch` tokens at most a round trip, a token received and not used within
 * `holdMs` is dropped, and the stored bucket holds `capacity`, the burst less what the hold may add.
 *
 * The bound, for all processes together: reservations of at most `capacity` tokens each, refilled at `rate` by
 * the store's clock, make at most `capacity + rate × T` tokens usable in any T seconds. A process hands a batch to
 * the requests waiting for it the moment it becomes usable, and keeps the rest `holdMs = (batch − 1) / rate` at
 * most, which adds at most `batch − 1` tokens to any interval. So at most `burst + rate × T` requests start in any
 * T seconds, plus `rate ×` the spread of the store's round-trip times (a millisecond or two). `batch ≤ (burst + 1)
 * / 2` keeps `batch ≤ capacity`.
 */
export function sharedBucketShape(limit: RateLimit): { batch: number; holdMs: number; capacity: number } {
  const batch = Math.max(1, Math.min(Math.round(limit.requestsPerSecond * batchSeconds), Math.floor((limit.burst + 1) / 2)));
  return { batch, holdMs: ((batch - 1) / limit.requestsPerSecond) * 1000, capacity: limit.burst - (batch - 1) };
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One process's end of a bucket kept in the store (`RateBucketStore`): it reserves tokens a few at a time, for every
 * run of the connection in this process, waits until they are paid for, and hands them to waiting requests in the
 * order they came. One reservation is under way at a time, so a process owes the bucket one batch at most. Waits
 * and holds are durations on this process's monotonic clock; the only point in time is the store's, so the clocks
 * of other machines never enter.
 */
export class SharedTokenBucket implements RateBucket {
  private readonly shape: ReturnType<typeof sharedBucketShape>;
  private readonly queue: Waiter[] = [];
  private held = 0;
  private heldUntil = 0;
  private reserving = false;
  /** The last reservation had to wait: the bucket is in demand, so ask only for what is waited for. */
  private contended = false;

  constructor(
    private readonly store: RateBucketStore,
    private readonly key: string,
    private readonly limit: RateLimit,
  ) {
    this.shape = sharedBucketShape(limit);
  }

  take(): Promise<void> {
    if (this.held > 0 && performance.now() <= this.heldUntil) {
      this.held -= 1;
      return Promise.resolve();
    }
    this.held = 0;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.reserve();
    });
  }

  /** No request waits, none is being reserved for, and no token is kept: dropping this end loses nothing. */
  idle(): boolean {
    return this.queue.length === 0 && !this.reserving && (this.held === 0 || performance.now() > this.heldUntil);
  }

  private reserve(): void {
    if (this.reserving || this.queue.length === 0) return;
    this.reserving = true;
    this.reserveBatch()
      .catch((error: unknown) => {
        const failure = new SourceTransientError(`the shared rate limit ${this.key} could not be read: ${error instanceof Error ? error.message : String(error)}`);
        for (const waiter of this.queue.splice(0)) waiter.reject(failure);
      })
      .finally(() => {
        this.reserving = false;
        this.reserve();
      });
  }

  private async reserveBatch(): Promise<void> {
    const { batch, holdMs, capacity } = this.shape;
    const count = this.contended ? Math.min(batch, this.queue.length) : batch;
    const { waitMs } = await this.store.reserve(this.key, { requestsPerSecond: this.limit.requestsPerSecond, capacity }, count);
    this.contended = waitMs > 0;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    let left = count;
    // Handed over in this very turn: a token is used the moment it is paid for, or kept for `holdMs` at most.
    while (left > 0 && this.queue.length > 0) {
      left -= 1;
      this.queue.shift()?.resolve();
    }
    this.held = left;
    this.heldUntil = performance.now() + holdMs;
  }
}
