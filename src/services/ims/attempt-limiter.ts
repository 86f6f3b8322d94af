/**
 * Counts attempts per key (a client id, a remote address) over a sliding window, in memory. Each key keeps at
 * most `attempts` timestamps, and at most `maxKeys` keys are tracked: past that the key touched longest ago is
 * forgotten, so a flood of fresh keys costs bounded memory (and at worst lets an old key start over).
 *
 * ```ts
 * const limiter = new AttemptLimiter({ attempts: 10, windowMs: 60_000, maxKeys: 10_000 }, Date.now);
 * if (limiter.retryAfterSeconds('client-1') === 0) limiter.record('client-1');
 * ```
 */
export class AttemptLimiter {
  // A Map iterates in insertion order; re-inserting a key on each record keeps the stalest first.
  private readonly keys = new Map<string, number[]>();

  constructor(
    private readonly limit: { attempts: number; windowMs: number; maxKeys: number },
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(limit.attempts) || limit.attempts < 1) throw new Error(`an attempt limit must be a positive integer, got ${limit.attempts}`);
    if (!(limit.windowMs > 0)) throw new Error(`an attempt window must be positive, got ${limit.windowMs} ms`);
  }

  /** Whole seconds until `key` may try again (at least 1 while it is limited), or 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const times = this.current(key);
    if (times.length < this.limit.attempts) return 0;
    // The attempt that must leave the window before one more fits in it.
    const oldest = times[times.length - this.limit.attempts] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.limit.windowMs - this.now()) / 1000));
  }

  record(key: string): void {
    const times = this.current(key);
    times.push(this.now());
    if (times.length > this.limit.attempts) times.splice(0, times.length - this.limit.attempts);
    this.keys.delete(key);
    this.keys.set(key, times);
    while (this.keys.size > this.limit.maxKeys) {
      const stalest = this.keys.keys().next();
      if (stalest.done) break;
      this.keys.delete(stalest.value);
    }
  }

  /** Takes back the latest attempt recorded for `key` (it turned out not to be a failure). */
  forgive(key: string): void {
    const times = this.keys.get(key);
    if (!times) return;
    times.pop();
    if (times.length === 0) this.keys.delete(key);
  }

  /** Keys tracked now (for tests of the memory bound). */
  get tracked(): number {
    return this.keys.size;
  }

  private current(key: string): number[] {
    const times = this.keys.get(key);
    if (!times) return [];
    const since = this.now() - this.limit.windowMs;
    const kept = times.filter((at) => at > since);
    if (kept.length === 0) this.keys.delete(key);
    else if (kept.length !== times.length) this.keys.set(key, kept);
    return kept;
  }
}
