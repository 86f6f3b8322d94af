const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An epoch-milliseconds time in the viewer's time zone, or a dash when there is none. */
export function dateTime(epochMs: number | undefined): string {
  return epochMs === undefined ? '—' : format.format(epochMs);
}
