import type { Extracted } from '../connectors/source-connector.js';
import type { SourceColumn } from '../mapping/compile-mapping.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import type { DuckDbSession } from '../lake/duckdb-session.js';
import { deltaExpression } from './delta-expression.js';
import type { FlowState } from './flow-state.js';
import type { RunPlan } from './run-plan.js';

/** What a first, cheap pass over the source says: its columns, and how many rows the window holds. */
export interface Survey {
  sourceColumns: SourceColumn[];
  inWindow: string;
  /** The window's rows that may land. */
  windowRows: string;
  /** The window's rows the source says were deleted (API sources with a change log); null when it says none. */
  deletedRows: string | null;
  stats: Record<string, unknown>;
}

/** A source column by this name marks rows that stand for deleted records. */
const deletedColumn = '_deleted';

export async function surveySource(duck: DuckDbSession, extracted: Pick<Extracted, 'unseenAfter' | 'snapshot'> & { relation: string }, plan: RunPlan, state: FlowState): Promise<Survey> {
  const { relation } = extracted;
  const sourceColumns = await describe(duck, `SELECT * FROM ${relation}`);
  const delta = plan.deltaColumn ? deltaExpression(plan.deltaColumn, sourceColumns, 's') : undefined;
  const unseen = extracted.unseenAfter ? `s.${sqlIdentifier(extracted.unseenAfter.column)} > to_timestamp(${extracted.unseenAfter.after} / 1000.0)` : undefined;
  // A snapshot lands whole: a row the watermark would skip must still be there, or it would count as deleted.
  const inWindow = delta && !extracted.snapshot ? windowCondition(plan, state, `(${delta})`, unseen) : 'true';
  const deletes = sourceColumns.some((c) => c.name === deletedColumn);
  const live = deletes ? `${inWindow} AND NOT coalesce(s.${deletedColumn}, false)` : inWindow;
  const deleted = deletes ? `count(*) FILTER (WHERE ${inWindow} AND s.${deletedColumn})` : '0';
  // Only the delta column is parsed here. A snapshot skips nothing, but its newest delta value still becomes
  // the watermark the next, incremental, run starts from.
  const skipped = delta && !extracted.snapshot ? `count(*) FILTER (WHERE (${delta}) IS NULL)` : '0';
  const watermark = delta ? `strftime(max(${delta}) FILTER (WHERE ${inWindow}), '%Y-%m-%dT%H:%M:%S.%fZ')` : 'NULL';
  const [stats] = await duck.rows(`SELECT ${skipped} AS skipped, count(*) FILTER (WHERE ${live}) AS staged, ${deleted} AS deleted, ${watermark} AS watermark FROM ${relation} s`);
  return {
    sourceColumns,
    inWindow,
    windowRows: `(SELECT s.* FROM ${relation} s WHERE ${live})`,
    deletedRows: deletes ? `(SELECT s.* FROM ${relation} s WHERE ${inWindow} AND s.${deletedColumn})` : null,
    stats: stats ?? {},
  };
}

export function isMalformedInput(error: unknown): boolean {
  return error instanceof Error && /Malformed JSON|Invalid Input Error/i.test(error.message);
}

/** Rows whose delta value lies after the watermark (or the window's start) and at most at the window's end. */
function windowCondition(plan: RunPlan, state: FlowState, delta: string, unseen?: string): string {
  const conditions = [`${delta} <= to_timestamp(${plan.window.end} / 1000.0)`];
  // With a watermark, it alone is the lower bound: a row stamped inside an earlier window that arrived late
  // still lands. The window's start only bounds a flow's first run (backfill off). A row the source had not
  // shown before (a lagging provider) lands whatever its stamp.
  if (state.watermark) conditions.push(unseen ? `(${delta} > TIMESTAMPTZ ${sqlString(state.watermark)} OR ${unseen})` : `${delta} > TIMESTAMPTZ ${sqlString(state.watermark)}`);
  else if (plan.window.start !== null) conditions.push(`${delta} > to_timestamp(${plan.window.start} / 1000.0)`);
  return conditions.join(' AND ');
}

async function describe(duck: DuckDbSession, sql: string): Promise<SourceColumn[]> {
  return (await duck.rows(`DESCRIBE ${sql}`)).map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}
