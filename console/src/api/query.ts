import { request, type Scope } from './client.js';

export const queries = '/data/foundation/query/queries';

export interface QueryColumn {
  name: string;
  /** DuckDB's type, e.g. `VARCHAR` or `STRUCT("name" VARCHAR)`. */
  type: string;
}

export type QueryRow = Record<string, unknown>;

/** SUBMITTED, IN_PROGRESS, then SUCCESS, FAILED or CANCELLED. */
export type QueryState = 'SUBMITTED' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'CANCELLED';

/** The answer to `POST /queries`: the query in its final state, with its rows. */
export interface QueryAnswer {
  id: string;
  state: QueryState;
  sql: string;
  rowCount: number;
  truncated: boolean;
  elapsedTime: number;
  created: string;
  columns: QueryColumn[];
  rows: QueryRow[];
}

/** One statement over the sandbox's datasets. The POST answers when the query has ended; aborting it cancels the query. */
export function runQuery(scope: Scope, sql: string, signal: AbortSignal): Promise<QueryAnswer> {
  return request<QueryAnswer>(scope, 'POST', queries, { body: { dbName: `${scope.sandbox}:all`, sql }, signal });
}

interface ResultsPage {
  columns: QueryColumn[];
  rows: QueryRow[];
  truncated: boolean;
  _page: { start: number; limit: number; count: number; total: number };
}

/** Most rows one results page holds (the server keeps at most as many rows of a query). */
const resultsPageSize = 10_000;

/** A finished query's rows read again, page by page (`GET /queries/{id}/results`), as long as the server keeps them. */
export async function readResults(scope: Scope, id: string, signal: AbortSignal): Promise<{ columns: QueryColumn[]; rows: QueryRow[]; truncated: boolean }> {
  const rows: QueryRow[] = [];
  for (;;) {
    const page = await request<ResultsPage>(scope, 'GET', `${queries}/${encodeURIComponent(id)}/results?start=${rows.length}&limit=${resultsPageSize}`, { signal });
    rows.push(...page.rows);
    if (page.rows.length === 0 || rows.length >= page._page.total) return { columns: page.columns, rows, truncated: page.truncated };
  }
}

/** An identifier as DuckDB reads it, quoted so that any table name is taken as it is. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
