import type { Flow, ScheduleParams } from './flow-wire.js';
import { timeText } from '../../ui/time-text.js';

const unitMs = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;
const unitNames = { minute: 'minute', hour: 'hour', day: 'day', week: 'week' } as const;

const seconds = (value: number | string | undefined): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return n === undefined || !Number.isFinite(n) ? undefined : n;
};

/** `Every 15 minutes, from 2 Jan 2025, 10:00:00`, `One-time, from …`. */
export function scheduleText(schedule: ScheduleParams | undefined): string {
  if (!schedule) return 'Streaming: records land as they arrive';
  const start = seconds(schedule.startTime);
  const from = start === undefined ? '' : `, from ${timeText(start * 1000)}`;
  if (schedule.frequency === 'once') return `One-time${from}`;
  const interval = seconds(schedule.interval) ?? 1;
  const end = seconds(schedule.endTime);
  const every = interval === 1 ? `Every ${unitNames[schedule.frequency]}` : `Every ${interval} ${unitNames[schedule.frequency]}s`;
  return `${every}${from}${end === undefined ? '' : ` until ${timeText(end * 1000)}`}`;
}

/**
 * When the flow runs next, on the scheduler's grid `startTime + k·interval·unit` (the first tick after `now`):
 * "one-time" for a flow that runs once, and why there is none for the others that will not run.
 */
export function nextRunText(flow: Flow, now: number): string {
  const schedule = flow.scheduleParams;
  if (!schedule) return 'Streaming';
  if (flow.state === 'disabled') return 'None: disabled';
  const start = (seconds(schedule.startTime) ?? 0) * 1000;
  if (schedule.frequency === 'once') return flow.lastRunDetails === undefined && start > now ? `one-time, ${timeText(start)}` : 'one-time';
  if (now < start) return timeText(start);
  const step = Math.max(1, seconds(schedule.interval) ?? 1) * unitMs[schedule.frequency];
  const tick = start + (Math.floor((now - start) / step) + 1) * step;
  const end = seconds(schedule.endTime);
  return end !== undefined && tick > end * 1000 ? 'None: the schedule has ended' : timeText(tick);
}
