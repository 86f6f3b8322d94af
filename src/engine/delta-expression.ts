import { javaPatternToStrftime, normaliseDatePattern } from '../mapping/java-date-pattern.js';
import type { SourceColumn } from '../mapping/compile-mapping.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import { RunFailure } from './run-failure.js';
import type { RunPlan } from './run-plan.js';

/**
 * The delta column as a TIMESTAMPTZ SQL expression: typed timestamps as they are, text parsed with the
 * flow's Java-style date pattern in its time zone (UTC by default), epoch numbers as seconds or milliseconds.
 * Values that do not parse become NULL, and the run counts them.
 */
export function deltaExpression(delta: NonNullable<RunPlan['deltaColumn']>, columns: SourceColumn[], alias: string): string {
  const column = columns.find((c) => c.name === delta.name) ?? columns.find((c) => c.name.toLowerCase() === delta.name.toLowerCase());
  if (!column) {
    throw new RunFailure('CONNECTOR-1002-400', `the delta column "${delta.name}" is not a column of the source (it has ${columns.map((c) => c.name).join(', ')})`, 'config');
  }
  const ref = `${alias}.${sqlIdentifier(column.name)}`;
  const zoneName = delta.timezone ?? 'UTC';
  const zone = sqlString(zoneName);
  // A local time read in UTC needs no zone rules: the arithmetic form is exact and far cheaper per row than ICU.
  const local = (naive: string) => (/^(UTC|Etc\/UTC|GMT|Z)$/i.test(zoneName) ? `make_timestamptz(epoch_us(${naive}))` : `timezone(${zone}, ${naive})`);
  const type = column.type.toUpperCase();
  if (type.startsWith('TIMESTAMP WITH TIME ZONE')) return ref;
  if (type.startsWith('TIMESTAMP') || type === 'DATE') return local(`CAST(${ref} AS TIMESTAMP)`);
  if (delta.dateFormat) {
    // The user's pattern wins over what DuckDB guessed: 20240102103000 is a date here, not a number.
    const normalised = normaliseDatePattern(delta.dateFormat);
    if ('error' in normalised) throw new RunFailure('CONNECTOR-1002-400', normalised.error, 'config');
    const text = `CAST(${ref} AS VARCHAR)`;
    const parsed = `try_strptime(${text}, ${sqlString(javaPatternToStrftime(normalised.pattern))})`;
    // A pattern with an offset yields an instant already; only local times are placed in the flow's zone.
    if (/[XxZz]/.test(normalised.pattern.replace(/'[^']*'/g, ''))) return `CAST(${parsed} AS TIMESTAMPTZ)`;
    return local(`coalesce(${parsed}, TRY_CAST(${text} AS TIMESTAMP))`);
  }
  if (/INT|DECIMAL|DOUBLE|FLOAT|NUMERIC/.test(type)) {
    return `(CASE WHEN ${ref} > 100000000000 THEN to_timestamp(${ref} / 1000.0) ELSE to_timestamp(${ref}) END)`;
  }
  // ISO-8601 text: an explicit offset is kept, a local time is read in the flow's zone.
  const text = `CAST(${ref} AS VARCHAR)`;
  return `(CASE WHEN regexp_matches(${text}, '(Z|[+-]\\d\\d(:?\\d\\d)?)$') THEN TRY_CAST(${text} AS TIMESTAMPTZ) ELSE ${local(`TRY_CAST(${text} AS TIMESTAMP)`)} END)`;
}
