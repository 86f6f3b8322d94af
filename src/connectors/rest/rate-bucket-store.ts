/**
 * Where shared token buckets keep their state: one atomic step a call, so any number of processes sharing it stay
 * within the rate together. The metadata store's `RateBucketsRepository` is the one in use.
 *
 * @example
 * const { waitMs } = await store.reserve('Stripe:5d3c…', { requestsPerSecond: 25, capacity: 21 }, 5);
 * await new Promise((resolve) => setTimeout(resolve, waitMs)); // then the 5 requests may go
 */
export interface RateBucketStore {
  /**
   * Refills bucket `key` for the time since its last reservation (by the store's one clock), at most to `capacity`,
   * and reserves `count` tokens, which may leave it below zero: they may be used once `waitMs` have passed, when
   * the refill has paid for them. A bucket never seen starts full. `count` must not exceed `capacity`.
   */
  reserve(key: string, rate: { requestsPerSecond: number; capacity: number }, count: number): Promise<{ waitMs: number }>;
}
