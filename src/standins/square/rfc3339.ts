/**
 * Square takes and returns RFC 3339 timestamps (`2024-01-25T18:25:34Z`, `2024-01-25T18:25:34.524-08:00`).
 * Records carry millisecond precision, as Square's own payloads do.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds, or null when the text is not an RFC 3339 date-time (or names an impossible date). */
export function parseRfc3339(text: string): number | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms);
  // Date.UTC rolls 2024-02-31 over into March; a real calendar check compares the fields back.
  const check = new Date(utc);
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  if (zone === undefined || zone === 'Z' || zone === 'z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  return utc - sign * offsetMinutes * 60_000;
}

export function formatRfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole seconds, as in OAuth `expires_at` (`2006-01-02T15:04:05Z`). */
export function formatRfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
