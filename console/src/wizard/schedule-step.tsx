import { useState } from 'preact/hooks';
import type { Column } from './data-step.js';

export interface Schedule {
  frequency: 'once' | 'minute' | 'hour' | 'day' | 'week';
  interval: number | undefined;
  /** Epoch seconds. */
  startTime: number;
  backfill: boolean | undefined;
  deltaColumn: string | undefined;
}

/** What the flow spec's schedule rules say of these values (AEP's: interval at least 15 for minute, else 1). */
export function scheduleProblems(schedule: Schedule): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(schedule.startTime) || schedule.startTime < 0) problems.push('Start time: choose a date and time.');
  if (schedule.frequency !== 'once') {
    const least = schedule.frequency === 'minute' ? 15 : 1;
    if (schedule.interval === undefined || !Number.isInteger(schedule.interval) || schedule.interval < least) problems.push(`Interval: a whole number, at least ${least} for ${schedule.frequency}.`);
  }
  return problems;
}

/** A local date and time for a datetime-local input, in the viewer's time zone. */
function localInput(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Step 5: how often the flow runs, from when, whether it backfills, and which column says what is new. */
export function ScheduleStep({ columns, onChosen }: { columns: Column[]; onChosen: (schedule: Schedule) => void }) {
  const [schedule, setSchedule] = useState<Schedule>({ frequency: 'once', interval: undefined, startTime: Math.floor(Date.now() / 1000), backfill: undefined, deltaColumn: undefined });
  const problems = scheduleProblems(schedule);
  const recurring = schedule.frequency !== 'once';
  const timeColumns = columns.filter((c) => /date|time|timestamp/i.test(c.type) || /updated|modified|created/i.test(c.name));
  return (
    <section aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule</h2>
      <form
        class="schedule"
        aria-label="Schedule"
        onSubmit={(event) => {
          event.preventDefault();
          if (problems.length === 0) onChosen(schedule);
        }}
      >
        <label>
          Frequency
          <select
            value={schedule.frequency}
            onChange={(e) => {
              const frequency = e.currentTarget.value as Schedule['frequency'];
              setSchedule({ ...schedule, frequency, interval: frequency === 'once' ? undefined : (schedule.interval ?? (frequency === 'minute' ? 15 : 1)), backfill: frequency === 'once' ? undefined : (schedule.backfill ?? true) });
            }}
          >
            <option value="once">Once</option>
            <option value="minute">Every few minutes</option>
            <option value="hour">Hourly</option>
            <option value="day">Daily</option>
            <option value="week">Weekly</option>
          </select>
        </label>
        {recurring ? (
          <label>
            Interval
            <input type="number" min={schedule.frequency === 'minute' ? 15 : 1} value={schedule.interval ?? ''} onInput={(e) => setSchedule({ ...schedule, interval: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })} />
          </label>
        ) : null}
        <label>
          Start time (your time zone, {Intl.DateTimeFormat().resolvedOptions().timeZone})
          <input type="datetime-local" value={localInput(schedule.startTime)} onInput={(e) => setSchedule({ ...schedule, startTime: Math.floor(new Date(e.currentTarget.value).getTime() / 1000) })} />
        </label>
        {recurring ? (
          <label class="checkbox">
            <input type="checkbox" checked={schedule.backfill === true} onChange={(e) => setSchedule({ ...schedule, backfill: e.currentTarget.checked })} />
            Backfill: the first run reads everything, not only what is new since the start time
          </label>
        ) : null}
        <label>
          Delta column (what says a row is new or changed)
          <select value={schedule.deltaColumn ?? ''} onChange={(e) => setSchedule({ ...schedule, deltaColumn: e.currentTarget.value === '' ? undefined : e.currentTarget.value })}>
            <option value="">None: new or changed files and records, as the source tells</option>
            {(timeColumns.length > 0 ? timeColumns : columns).map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
        </label>
        {problems.length > 0 ? (
          <ul class="problem" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <button type="submit" disabled={problems.length > 0}>
          Continue
        </button>
      </form>
    </section>
  );
}
