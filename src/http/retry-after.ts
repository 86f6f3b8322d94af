/**
 * A `Retry-After` header in milliseconds from `now`: delay-seconds (RFC 9110; a fraction is read as given, as
 * some providers send one) or an HTTP date. Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
