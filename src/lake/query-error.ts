/**
 * Why a query did not answer:
 * - `refused`: not a single read-only statement (a write, ATTACH, SET, several statements ...);
 * - `sql`: DuckDB could not parse, bind or run it (the message is DuckDB's);
 * - `timeout`: it ran past its deadline and was interrupted.
 * All three are the client's to fix; none is a server fault.
 */
export class QueryError extends Error {
  constructor(
    readonly kind: 'refused' | 'sql' | 'timeout',
    message: string,
    readonly sql: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
