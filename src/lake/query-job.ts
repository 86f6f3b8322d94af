import { Type, type Static } from 'typebox';

/**
 * What passes between the server and a query worker process (see `QueryWorkers` and `query-worker.ts`). Both
 * sides check every message against these schemas: a message is data from another process, not a trusted value.
 */

/** A table a query can read: a view over Parquet files. A table without files is known but empty. */
export const QueryTable = Type.Object({
  name: Type.String(),
  files: Type.Array(Type.String()),
  /**
   * Makes the table the newest version of each record instead of every row: the batches in commit order, each
   * with its data files and the files listing the record ids it deleted, and the column that identifies a record.
   */
  versions: Type.Optional(
    Type.Object({
      key: Type.String(),
      batches: Type.Array(Type.Object({ files: Type.Array(Type.String()), deletions: Type.Array(Type.String()) })),
    }),
  ),
});
export type QueryTable = Static<typeof QueryTable>;

/** One query for a worker, with every bound it runs under. */
export const QueryJob = Type.Object({
  tables: Type.Array(QueryTable),
  sql: Type.String(),
  maxRows: Type.Integer({ minimum: 1 }),
  /** The most JSON bytes of rows the result keeps (see `QuerySession.run`). */
  maxBytes: Type.Integer({ minimum: 1 }),
  /** Rows up to this many bytes come back in the answer; more go to `resultFile` (when there is none, all come back). */
  inlineBytes: Type.Integer({ minimum: 0 }),
  /** Where a larger result is written, one JSON row a line; the server chose it under the data directory. */
  resultFile: Type.Optional(Type.String()),
  tempDirectory: Type.String(),
  timeoutMs: Type.Integer({ minimum: 1 }),
  /** The worker process's resident memory at which the query is stopped, in bytes. */
  memoryCapBytes: Type.Integer({ minimum: 1 }),
  /** DuckDB's own buffer limit (`memory_limit`), below the process cap so DuckDB spills before the cap is hit. */
  duckDbMemory: Type.String(),
  threads: Type.Integer({ minimum: 1 }),
  maxTempDirectorySize: Type.String(),
});
export type QueryJob = Static<typeof QueryJob>;

export const QueryColumn = Type.Object({ name: Type.String(), type: Type.String({ description: 'The DuckDB type.' }) });
export type QueryColumn = Static<typeof QueryColumn>;
export const ResultRow = Type.Record(Type.String(), Type.Unknown());

/** The query ran; its rows are in `rows`, or in the job's `resultFile` when `inFile`. */
export const WorkerDone = Type.Object({
  type: Type.Literal('done'),
  columns: Type.Array(QueryColumn),
  rowCount: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
  truncated: Type.Boolean(),
  limitedBy: Type.Optional(Type.Union([Type.Literal('rows'), Type.Literal('bytes')])),
  /** The tables (of those given) the statement names. */
  tables: Type.Array(Type.String()),
  inFile: Type.Boolean(),
  rows: Type.Optional(Type.Array(ResultRow)),
});
export type WorkerDone = Static<typeof WorkerDone>;

/** The query failed for a reason its author can act on (see `QueryError`). */
export const WorkerFailed = Type.Object({
  type: Type.Literal('failed'),
  kind: Type.Union([Type.Literal('refused'), Type.Literal('sql'), Type.Literal('timeout'), Type.Literal('memory')]),
  message: Type.String(),
});

/** Something went wrong in the worker that is not the query's fault (a file that could not be written ...). */
export const WorkerBroken = Type.Object({ type: Type.Literal('broken'), message: Type.String() });

export const WorkerAnswer = Type.Union([WorkerDone, WorkerFailed, WorkerBroken]);
export type WorkerAnswer = Static<typeof WorkerAnswer>;

/** The one wording of "too much memory", whichever side notices it. */
export function memoryCapMessage(capBytes: number): string {
  return `The query needed more memory than its cap of ${Math.round(capBytes / 1024 / 1024)} MB and was stopped.`;
}
