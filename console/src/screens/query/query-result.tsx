import { useMemo } from 'preact/hooks';
import type { QueryColumn, QueryRow } from '../../api/query.js';
import { downloadText, toCsv } from '../../ui/csv-file.js';
import { flattenRows } from '../../ui/flat-rows.js';
import { RowsGrid } from '../../ui/rows-grid.js';

/** A finished query's rows as the screen holds them. */
export interface QueryResult {
  id: string;
  columns: QueryColumn[];
  rows: QueryRow[];
  truncated: boolean;
  elapsedMs?: number;
}

/** The rows of a query: how many, whether the server cut them, the grid, and a CSV of them built here. */
export function QueryResultView({ result }: { result: QueryResult }) {
  const table = useMemo(() => flattenRows(result.columns, result.rows), [result]);
  const count = result.rows.length;
  return (
    <section class="query-result" aria-labelledby="result-title">
      <div class="title-row">
        <h2 id="result-title">Results</h2>
        <p class="result-count" role="status">
          {count.toLocaleString()} row{count === 1 ? '' : 's'}
          {result.elapsedMs !== undefined ? ` in ${result.elapsedMs.toLocaleString()} ms` : ''}
        </p>
        <button type="button" onClick={() => downloadText(toCsv(table), `query-${result.id}.csv`)} disabled={count === 0}>
          Download CSV
        </button>
      </div>
      {result.truncated ? (
        <p class="notice">
          The query produced more rows than the server keeps for one query: these are its first {count.toLocaleString()}. Narrow it with <code>WHERE</code> or{' '}
          <code>LIMIT</code>, or aggregate, to see the rest.
        </p>
      ) : null}
      {count === 0 ? (
        <p class="empty">
          The query returned no rows{result.columns.length > 0 ? ` (columns: ${result.columns.map((c) => c.name).join(', ')})` : ''}.
        </p>
      ) : (
        <RowsGrid table={table} label="Query results" />
      )}
    </section>
  );
}
