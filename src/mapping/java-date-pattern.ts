/**
 * Checks a Java DateTimeFormatter-style pattern such as `yyyy-MM-dd HH:mm:ss`. The tutorial writes
 * `YYYY-MM-DD`: week-year and day-of-year in Java, but everyone means year and day-of-month, so those read as
 * `yyyy` and `dd`.
 */
export function normaliseDatePattern(pattern: string, use: 'parse' | 'print' = 'parse'): { pattern: string } | { error: string } {
  const normalised = pattern.replace(/YYYY/g, 'yyyy').replace(/(^|[^D])DD(?!D)/g, '$1dd');
  const withoutQuoted = normalised.replace(/'[^']*'/g, '');
  // Every letter run must be one the engine can translate; anything else would silently parse nothing.
  let rest = withoutQuoted;
  const unknown = new Set<string>();
  while (rest.length > 0) {
    const token = strftimeTokens.find(([regex]) => regex.test(rest));
    if (token) rest = rest.slice((token[0].exec(rest) as RegExpExecArray)[0].length);
    else {
      const letters = /^[A-Za-z]+/.exec(rest)?.[0];
      if (letters) unknown.add(letters);
      rest = rest.slice(letters?.length ?? 1);
    }
  }
  if (unknown.size > 0) {
    return { error: `"${pattern}" has pattern letters ${[...unknown].join(', ')} that are not supported; use e.g. yyyy-MM-dd HH:mm:ss` };
  }
  // Printing only part of a date is fine; reading one without its year would invent the year.
  if (use === 'parse' && !/y/.test(withoutQuoted)) return { error: `"${pattern}" has no year (yyyy)` };
  return { pattern: normalised };
}

const strftimeTokens: [RegExp, string][] = [
  [/^yyyy/, '%Y'],
  [/^yy/, '%y'],
  [/^MMMM/, '%B'],
  [/^MMM/, '%b'],
  [/^MM/, '%m'],
  [/^M/, '%-m'],
  [/^dd/, '%d'],
  [/^d/, '%-d'],
  [/^HH/, '%H'],
  [/^H/, '%-H'],
  [/^hh/, '%I'],
  [/^h/, '%-I'],
  [/^mm/, '%M'],
  [/^m/, '%-M'],
  [/^ss/, '%S'],
  [/^s/, '%-S'],
  [/^SSSSSS/, '%f'],
  [/^SSS/, '%g'],
  [/^a/, '%p'],
  [/^EEEE/, '%A'],
  [/^EEE/, '%a'],
  [/^(XXX|XX|X|Z+|xxx|xx|x)/, '%z'],
  [/^z+/, '%Z'],
];

/** The DuckDB strptime/strftime format for a Java pattern (after `normaliseDatePattern`). */
export function javaPatternToStrftime(pattern: string): string {
  let out = '';
  let rest = pattern;
  while (rest.length > 0) {
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      const literal = end < 0 ? rest.slice(1) : rest.slice(1, end);
      out += literal === '' ? "'" : literal.replaceAll('%', '%%');
      rest = end < 0 ? '' : rest.slice(end + 1);
      continue;
    }
    const token = strftimeTokens.find(([regex]) => regex.test(rest));
    if (token) {
      const match = token[0].exec(rest) as RegExpExecArray;
      out += token[1];
      rest = rest.slice(match[0].length);
    } else {
      out += rest[0] === '%' ? '%%' : rest[0];
      rest = rest.slice(1);
    }
  }
  return out;
}

/** A pattern cut where it prints a time zone, since DuckDB's strftime can only print UTC's. */
export type PatternPart = { kind: 'text'; pattern: string } | { kind: 'zone'; token: string };

export function splitOnZones(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let text = '';
  let rest = pattern;
  while (rest.length > 0) {
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      const quoted = end < 0 ? rest : rest.slice(0, end + 1);
      text += quoted;
      rest = rest.slice(quoted.length);
      continue;
    }
    const zone = /^(XXX|XX|X|xxx|xx|x|Z+|z+)/.exec(rest)?.[0];
    if (zone) {
      if (text) parts.push({ kind: 'text', pattern: text });
      parts.push({ kind: 'zone', token: zone });
      text = '';
      rest = rest.slice(zone.length);
    } else {
      text += rest[0];
      rest = rest.slice(1);
    }
  }
  if (text) parts.push({ kind: 'text', pattern: text });
  return parts;
}

/** True when the pattern reads an ISO offset letter (X), which writes zero as `Z`. */
export function readsIsoOffset(pattern: string): boolean {
  return splitOnZones(pattern).some((part) => part.kind === 'zone' && part.token.startsWith('X'));
}

/** A time zone id both Node's and DuckDB's ICU know (`UTC`, `Europe/Paris`, `America/Los_Angeles`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone);
  } catch {
    return false;
  }
}
