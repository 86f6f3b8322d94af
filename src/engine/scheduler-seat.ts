import type { RunLog } from './run-log.js';

/** What the seat runs while it holds the lock: the scheduler. */
export interface Seated {
  start(): void;
  stop(): Promise<void>;
}

/** A lock one process at a time holds (see `trySessionLock`). */
export interface SeatLock {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** How often a server without the seat asks for it: the longest a failover waits once the holder's lock is freed. */
export const defaultSeatRetryMs = 2_000;

/**
 * Exactly one scheduler is active among the servers of one store: the one holding the scheduler lock. The others
 * ask every `retryMs`; when the holder dies its lock is freed with its database session, and one of them takes
 * over within `retryMs`. Even during a moment with two schedulers (a holder cut off from the database but still
 * running), a window runs once: each run's cursor moves in the transaction that records it.
 */
export class SchedulerSeat {
  private timer: NodeJS.Timeout | undefined;
  private held: SeatLock | undefined;
  private stopped = false;
  private trying: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      scheduler: Seated;
      acquire: () => Promise<SeatLock | undefined>;
      retryMs?: number | undefined;
      log?: RunLog | undefined;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.trying;
    const held = this.held;
    this.held = undefined;
    if (held) {
      await this.deps.scheduler.stop();
      await held.release();
    }
  }

  private attempt(): void {
    this.trying = this.take().finally(() => {
      this.trying = undefined;
      if (!this.stopped && !this.held) this.arm();
    });
  }

  private arm(): void {
    this.timer = setTimeout(() => this.attempt(), this.deps.retryMs ?? defaultSeatRetryMs);
    this.timer.unref();
  }

  private async take(): Promise<void> {
    let lock: SeatLock | undefined;
    try {
      lock = await this.deps.acquire();
    } catch (error) {
      this.deps.log?.warn({ err: error }, 'asking for the scheduler lock failed; asking again');
      return;
    }
    if (!lock) return;
    if (this.stopped) {
      await lock.release();
      return;
    }
    this.held = lock;
    this.deps.log?.info?.({}, 'this process runs the scheduler');
    this.deps.scheduler.start();
    void lock.lost.then(async () => {
      if (this.held !== lock) return;
      this.held = undefined;
      this.deps.log?.warn({}, 'the scheduler lock was lost (its database session broke); the scheduler stops until the lock is taken again');
      await this.deps.scheduler.stop();
      if (!this.stopped) this.arm();
    });
  }
}
