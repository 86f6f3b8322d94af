/** How often a periodic flow runs; `once` is a single run. */
export type Frequency = 'once' | 'minute' | 'hour' | 'day' | 'week';

/**
 * A flow's `scheduleParams`, read from the stored flow (times in epoch seconds, as AEP's scheduleSpec has them).
 * The flow spec's validation has already enforced the interval minimums (15 for `minute`, else 1).
 */
export type Schedule =
  | { frequency: 'once'; startTime: number }
  | { frequency: Exclude<Frequency, 'once'>; startTime: number; interval: number; backfill: boolean; endTime?: number | undefined };

/** A run's window in epoch ms: rows with a delta value in (start, end]; a null start takes all history. */
export interface RunWindow {
  start: number | null;
  end: number;
}

const unitMs: Record<Exclude<Frequency, 'once'>, number> = {
  minute: 60_000,
  hour: 3_600_000,
  // Days and weeks are fixed lengths of UTC time: the grid never shifts with daylight saving.
  day: 86_400_000,
  week: 604_800_000,
};

/**
 * The window a scheduled run should cover at `now`, or undefined when none is due.
 *
 * Periodic flows tick on the grid `startTime + k·interval·unit` (k ≥ 0, never past `endTime`). The due window ends
 * at the latest tick ≤ now, so after downtime ONE run covers every missed tick. It starts where the last window
 * ended; the first window starts at null with backfill (all history) or at `startTime` without it, in which case
 * the tick at `startTime` itself is skipped, since its window would be empty.
 *
 * ```ts
 * const hourly: Schedule = { frequency: 'hour', startTime: 1_700_000_000, interval: 1, backfill: true };
 * nextDue(hourly, undefined, 1_700_000_000_000); // { start: null, end: 1_700_000_000_000 }
 * nextDue(hourly, 1_700_000_000_000, 1_700_000_000_000 + 5.5 * 3_600_000); // { start: 1_700_000_000_000, end: … + 5 h }
 * ```
 */
export function nextDue(schedule: Schedule, lastWindowEnd: number | undefined, now: number): RunWindow | undefined {
  const start = schedule.startTime * 1000;
  if (now < start) return undefined;
  if (schedule.frequency === 'once') {
    // A single run has no next window to stay aligned with, so it takes what exists when it runs, like an
    // on-demand run: a flow whose start time passed while the server was down still gets its rows.
    return lastWindowEnd === undefined ? { start: null, end: now } : undefined;
  }
  const tick = latestTickAtOrBefore(schedule, now);
  if (tick === undefined) return undefined;
  const floor = lastWindowEnd ?? (schedule.backfill ? -Infinity : start);
  if (tick <= floor) return undefined;
  return { start: lastWindowEnd ?? (schedule.backfill ? null : start), end: tick };
}

/** The first tick strictly after `now`, or undefined when the schedule has no more ticks. */
export function nextTickAfter(schedule: Schedule, now: number): number | undefined {
  const start = schedule.startTime * 1000;
  if (now < start) return start;
  if (schedule.frequency === 'once') return undefined;
  const step = stepMs(schedule);
  const tick = start + (Math.floor((now - start) / step) + 1) * step;
  return schedule.endTime !== undefined && tick > schedule.endTime * 1000 ? undefined : tick;
}

function latestTickAtOrBefore(schedule: Extract<Schedule, { interval: number }>, now: number): number | undefined {
  const start = schedule.startTime * 1000;
  const limit = schedule.endTime === undefined ? now : Math.min(now, schedule.endTime * 1000);
  if (limit < start) return undefined;
  const step = stepMs(schedule);
  return start + Math.floor((limit - start) / step) * step;
}

function stepMs(schedule: Extract<Schedule, { interval: number }>): number {
  // The flow's validation keeps interval ≥ 1; the guard only keeps a corrupt row from making the grid loop in place.
  return Math.max(1, schedule.interval) * unitMs[schedule.frequency];
}
