import type { RateLimit } from './definition.js';
import type { RateBucket } from './rate-bucket.js';
import type { RateBucketStore } from './rate-bucket-store.js';
import { SharedTokenBucket } from './shared-token-bucket.js';

/** Past this many ends kept, idle ones are dropped (their state is in the store; only a kept token or two is lost). */
const keptEnds = 256;

/**
 * The rate limits every run of a connection shares, whichever worker runs it: one bucket a key in the store, and
 * one end of it per process, so runs of the same connection in one process also share their tokens. Made once per
 * process and handed to the connectors.
 *
 * @example
 * const shared = new SharedRateBuckets(new RateBucketsRepository(store));
 * const registry = connectorRegistry({ sharedRate: shared });
 */
export class SharedRateBuckets {
  private readonly ends = new Map<string, SharedTokenBucket>();

  constructor(private readonly store: RateBucketStore) {}

  /** The bucket of `key` (vendor and base connection). A new rate (other credentials) gets its own end of the same bucket. */
  bucket(key: string, limit: RateLimit): RateBucket {
    const end = `${key}\n${limit.requestsPerSecond}\n${limit.burst}`;
    const found = this.ends.get(end);
    if (found) return found;
    if (this.ends.size >= keptEnds) {
      for (const [name, bucket] of this.ends) if (bucket.idle()) this.ends.delete(name);
    }
    const made = new SharedTokenBucket(this.store, key, limit);
    this.ends.set(end, made);
    return made;
  }
}
