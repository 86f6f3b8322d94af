/** A date and time in the viewer's time zone, as the console shows every time. */
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An epoch-milliseconds time in the viewer's time zone, or a dash when there is none. */
export function timeText(epochMs: number | undefined): string {
  return epochMs === undefined ? '—' : timeFormat.format(new Date(epochMs));
}
