import { describe, expect, it } from 'vitest';
import { nextDue, nextTickAfter, type Schedule } from '../src/engine/schedule-grid.js';

const startTime = 1_700_000_000; // epoch seconds, as scheduleParams carry it
const start = startTime * 1000;
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const week = 7 * day;

const every = (frequency: 'minute' | 'hour' | 'day' | 'week', interval: number, extra: { backfill?: boolean; endTime?: number } = {}): Schedule => ({
  frequency,
  startTime,
  interval,
  backfill: extra.backfill ?? true,
  endTime: extra.endTime,
});

describe('the schedule grid', () => {
  it('runs nothing before startTime, whatever the frequency', () => {
    for (const schedule of [every('minute', 15), every('hour', 1), every('day', 1), every('week', 1), { frequency: 'once', startTime } as const]) {
      expect(nextDue(schedule, undefined, start - 1)).toBeUndefined();
      expect(nextTickAfter(schedule, start - 1)).toBe(start);
    }
  });

  it('ticks on startTime + k·interval for minute, hour, day and week grids', () => {
    const cases = [
      { schedule: every('minute', 15), step: 15 * minute },
      { schedule: every('hour', 2), step: 2 * hour },
      { schedule: every('day', 15), step: 15 * day },
      { schedule: every('week', 1), step: week },
    ];
    for (const { schedule, step } of cases) {
      expect(nextTickAfter(schedule, start)).toBe(start + step);
      expect(nextTickAfter(schedule, start + step - 1)).toBe(start + step);
      expect(nextTickAfter(schedule, start + 3 * step)).toBe(start + 4 * step);
      // Between ticks, the due window ends at the tick before now, never at now.
      expect(nextDue(schedule, start + step, start + 2 * step + step / 2)).toEqual({ start: start + step, end: start + 2 * step });
      expect(nextDue(schedule, start + 2 * step, start + 3 * step - 1)).toBeUndefined();
    }
  });

  it('takes all history in the first window with backfill, from startTime without it', () => {
    expect(nextDue(every('minute', 15), undefined, start)).toEqual({ start: null, end: start });
    expect(nextDue(every('minute', 15), undefined, start + 20 * minute)).toEqual({ start: null, end: start + 15 * minute });
    // Without backfill the tick at startTime would be an empty window; the first run is the next tick.
    expect(nextDue(every('minute', 15, { backfill: false }), undefined, start)).toBeUndefined();
    expect(nextDue(every('minute', 15, { backfill: false }), undefined, start + 15 * minute)).toEqual({ start, end: start + 15 * minute });
  });

  it('covers everything missed during downtime with ONE window ending at the last tick', () => {
    const schedule = every('minute', 15);
    const lastEnd = start + 15 * minute;
    const now = lastEnd + 2 * hour + 7 * minute;
    expect(nextDue(schedule, lastEnd, now)).toEqual({ start: lastEnd, end: lastEnd + 2 * hour });
    // Once that window is recorded, nothing is due until the next tick.
    expect(nextDue(schedule, lastEnd + 2 * hour, now)).toBeUndefined();
    expect(nextTickAfter(schedule, now)).toBe(lastEnd + 2 * hour + 15 * minute);
  });

  it('does not run the same tick twice', () => {
    const schedule = every('hour', 1);
    expect(nextDue(schedule, start + hour, start + hour)).toBeUndefined();
    expect(nextDue(schedule, start + hour, start + 2 * hour)).toEqual({ start: start + hour, end: start + 2 * hour });
  });

  it('stops at endTime: no tick after it, and a catch-up ends at the last tick before it', () => {
    const schedule = every('hour', 1, { endTime: startTime + 3 * 3600 + 1800 });
    expect(nextDue(schedule, start + hour, start + 10 * hour)).toEqual({ start: start + hour, end: start + 3 * hour });
    expect(nextDue(schedule, start + 3 * hour, start + 10 * hour)).toBeUndefined();
    expect(nextTickAfter(schedule, start + 2 * hour)).toBe(start + 3 * hour);
    expect(nextTickAfter(schedule, start + 3 * hour)).toBeUndefined();
    // A tick exactly at endTime still runs.
    const exact = every('hour', 1, { endTime: startTime + 2 * 3600 });
    expect(nextDue(exact, start + hour, start + 5 * hour)).toEqual({ start: start + hour, end: start + 2 * hour });
  });

  it('runs a once flow a single time, at or after startTime, over all history', () => {
    const once: Schedule = { frequency: 'once', startTime };
    expect(nextDue(once, undefined, start)).toEqual({ start: null, end: start });
    // Late (the server was down at startTime): it still runs once, taking what exists when it runs.
    expect(nextDue(once, undefined, start + day)).toEqual({ start: null, end: start + day });
    expect(nextDue(once, start, start + day)).toBeUndefined();
    expect(nextTickAfter(once, start)).toBeUndefined();
  });

  it('picks up from a window end off the grid (the schedule was edited) without going backwards', () => {
    const schedule = every('hour', 1);
    const offGrid = start + 90 * minute;
    expect(nextDue(schedule, offGrid, start + 100 * minute)).toBeUndefined();
    expect(nextDue(schedule, offGrid, start + 2 * hour)).toEqual({ start: offGrid, end: start + 2 * hour });
  });

  it('matches the example in nextDue\'s doc comment', () => {
    const hourly: Schedule = { frequency: 'hour', startTime: 1_700_000_000, interval: 1, backfill: true };
    expect(nextDue(hourly, undefined, 1_700_000_000_000)).toEqual({ start: null, end: 1_700_000_000_000 });
    expect(nextDue(hourly, 1_700_000_000_000, 1_700_000_000_000 + 5.5 * 3_600_000)).toEqual({ start: 1_700_000_000_000, end: 1_700_000_000_000 + 5 * 3_600_000 });
  });
});
