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
  const zone = sqlString(delta.timezone ?? 'UTC');
  const type = column.type.toUpperCase();
  if (type.startsWith('TIMESTAMP WITH TIME ZONE')) return ref;
  if (type.startsWith('TIMESTAMP') || type === 'DATE') return `timezone(${zone}, CAST(${ref} AS TIMESTAMP))`;
  if (/INT|DECIMAL|DOUBLE|FLOAT|NUMERIC/.test(type)) {
    return `(CASE WHEN ${ref} > 100000000000 THEN to_timestamp(${ref} / 1000.0) ELSE to_timestamp(${ref}) END)`;
  }
  if (delta.dateFormat) {
    const normalised = normaliseDatePattern(delta.dateFormat);
    if ('error' in normalised) throw new RunFailure('CONNECTOR-1002-400', normalised.error, 'config');
    // Text that does not follow the pattern but is plain ISO-8601 still counts, rather than being skipped.
    return `timezone(${zone}, coalesce(try_strptime(CAST(${ref} AS VARCHAR), ${sqlString(javaPatternToStrftime(normalised.pattern))}), TRY_CAST(${ref} AS TIMESTAMP)))`;
  }
  return `TRY_CAST(${ref} AS TIMESTAMPTZ)`;
}
