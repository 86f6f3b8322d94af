/**
 * Checks a Java DateTimeFormatter-style pattern such as `yyyy-MM-dd HH:mm:ss`. The tutorial writes
 * `YYYY-MM-DD`: week-year and day-of-year in Java, but everyone means year and day-of-month, so those read as
 * `yyyy` and `dd`.
 */
export function normaliseDatePattern(pattern: string): { pattern: string } | { error: string } {
  const normalised = pattern.replace(/YYYY/g, 'yyyy').replace(/(^|[^D])DD(?!D)/g, '$1dd');
  const withoutQuoted = normalised.replace(/'[^']*'/g, '');
  const unknown = withoutQuoted.match(/[A-Za-z]/g)?.filter((letter) => !'yMdHhmsSaXxZzEuk'.includes(letter));
  if (unknown && unknown.length > 0) {
    return { error: `"${pattern}" has pattern letters ${[...new Set(unknown)].join(', ')} that are not supported; use e.g. yyyy-MM-dd HH:mm:ss` };
  }
  if (!/y/.test(withoutQuoted)) return { error: `"${pattern}" has no year (yyyy)` };
  return { pattern: normalised };
}
