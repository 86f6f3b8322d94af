import type { RateBucket } from './rate-bucket.js';

/**
 * A token bucket in memory: `burst` requests may go at once, then `perSecond` on average. Shared by every request
 * of one read, so concurrent windows and detail fetches together stay inside the provider's rate; runs use the
 * shared bucket instead (`shared-rate-buckets.ts`). It measures real elapsed time, whatever clock the run's windows
 * follow.
 */
export class TokenBucket implements RateBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly perSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
