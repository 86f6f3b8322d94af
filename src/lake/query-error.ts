/**
 * Why a query did not answer:
 * - `refused`: not a single read-only statement (a write, ATTACH, SET, several statements ...);
 * - `sql`: DuckDB could not parse, bind or run it (the message is DuckDB's);
 * - `timeout`: it ran past its deadline and was stopped;
 * - `memory`: it needed more memory (or spill space) than a query may have, and was stopped;
 * - `cancelled`: someone asked for it to stop.
 * The first four are the client's to fix; none is a server fault.
 */
export class QueryError extends Error {
  constructor(
    readonly kind: 'refused' | 'sql' | 'timeout' | 'memory' | 'cancelled',
    message: string,
    readonly sql: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
