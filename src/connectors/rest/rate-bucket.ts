/**
 * What the requester waits on before each attempt: `take()` resolves when one more request may go. In memory for
 * one run (`TokenBucket`: previews, checks, tests), or shared through the metadata store by every run of one
 * connection on any worker (`SharedRateBuckets`).
 *
 * @example
 * const bucket: RateBucket = new TokenBucket(25, 25);
 * await bucket.take();
 * await fetch('https://api.stripe.com/v1/charges');
 */
export interface RateBucket {
  take(): Promise<void>;
}
