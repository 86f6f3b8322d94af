/**
 * Holds a failed token answer back for a while before sending it, so that a client posting wrong credentials in a
 * loop waits on a timer instead of the server's CPU: 200 connections in a closed loop make 200 attempts a second
 * at a 1 s delay, not the thousands the event loop could otherwise be made to answer. A legitimate client with a
 * mistyped secret loses one second. At most `maxHeld` answers wait at once (their sockets are what they cost);
 * past that an answer goes out at once and the connection is closed, so the client pays for a new one.
 *
 * ```ts
 * const delay = new FailureDelay({ delayMs: 1000, maxHeld: 1000 });
 * if (!(await delay.hold())) reply.header('connection', 'close');
 * ```
 */
export class FailureDelay {
  private held = 0;

  constructor(
    private readonly bound: { delayMs: number; maxHeld: number },
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(bound.delayMs >= 0)) throw new Error(`a failure delay must not be negative, got ${bound.delayMs} ms`);
    if (!Number.isInteger(bound.maxHeld) || bound.maxHeld < 0) throw new Error(`the answers held at once must be a whole number, got ${bound.maxHeld}`);
  }

  /** Waits out the delay and resolves true; resolves false at once when `maxHeld` answers are waiting already. */
  async hold(): Promise<boolean> {
    if (this.bound.delayMs === 0) return true;
    if (this.held >= this.bound.maxHeld) return false;
    this.held += 1;
    try {
      await this.sleep(this.bound.delayMs);
    } finally {
      this.held -= 1;
    }
    return true;
  }

  /** Answers waiting now (for tests of the bound). */
  get waiting(): number {
    return this.held;
  }
}
