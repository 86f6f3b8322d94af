import { Type, type Static } from 'typebox';
import { QueryColumn } from '../../lake/query-job.js';

/** Most rows one query keeps; its result is stored for `GET /queries/{id}/results`, so it stays bounded. */
export const maxResultRows = 10_000;

export const CreateQueryBody = Type.Object(
  {
    dbName: Type.String({ minLength: 1, description: 'The sandbox to query, as AEP spells it: `<sandbox name>:all`, e.g. `prod:all`.' }),
    sql: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'One read-only statement (SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN).' }),
    name: Type.Optional(Type.String({ maxLength: 1024 })),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxResultRows, description: `Tributary: the most rows to keep (default and maximum ${maxResultRows}).` })),
  },
  // CTAS and INSERT INTO parameters would ask for writes: refuse what is not understood instead of ignoring it.
  { additionalProperties: false },
);
export type CreateQueryBody = Static<typeof CreateQueryBody>;

export const ResultsQuery = Type.Object({
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'Offset of the first row.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxResultRows })),
});
export type ResultsQuery = Static<typeof ResultsQuery>;

const Row = Type.Record(Type.String(), Type.Unknown());
const Link = Type.Object({ href: Type.String(), method: Type.Optional(Type.String()), body: Type.Optional(Type.String()) });

/**
 * SUBMITTED: recorded, not started; IN_PROGRESS: running in a query worker; then SUCCESS, FAILED (its `errors` say
 * why, a timeout included) or CANCELLED (by `PATCH {"op":"cancel"}`, or by the server shutting down).
 */
export const QueryState = Type.Union([Type.Literal('SUBMITTED'), Type.Literal('IN_PROGRESS'), Type.Literal('SUCCESS'), Type.Literal('FAILED'), Type.Literal('CANCELLED')]);
export type QueryState = Static<typeof QueryState>;

export const QueryProblem = Type.Object({ code: Type.String(), message: Type.String() });
export type QueryProblem = Static<typeof QueryProblem>;

/** A query as stored: its request, its outcome and who ran it (times in epoch ms). */
export const StoredQuery = Type.Object({
  id: Type.String(),
  /** Absent on queries stored before states were: those were stored only once they had succeeded. */
  state: Type.Optional(QueryState),
  errors: Type.Optional(Type.Array(QueryProblem)),
  /** By then the server running the query has ended it; a query still unfinished later lost its server. */
  deadline: Type.Optional(Type.Integer()),
  /** A cancel sent to another server than the one running the query, which looks for it while it runs. */
  cancelRequested: Type.Optional(Type.Boolean()),
  dbName: Type.String(),
  sql: Type.String(),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  rowCount: Type.Integer(),
  truncated: Type.Boolean(),
  elapsedTime: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  clientId: Type.String(),
  userId: Type.String(),
  referencedDataSets: Type.Array(Type.String()),
});
export type StoredQuery = Static<typeof StoredQuery>;

/**
 * A query's rows, stored apart from the query so listing or reading queries never loads results: in the metadata
 * store when small, otherwise in a file of the data directory (`LakeLayout.queryResultFile`), one row a line.
 */
export const StoredResult = Type.Union([
  Type.Object({ columns: Type.Array(QueryColumn), rows: Type.Array(Row) }),
  Type.Object({ columns: Type.Array(QueryColumn), rowCount: Type.Integer({ minimum: 0 }), bytes: Type.Integer({ minimum: 0 }), inFile: Type.Literal(true) }),
]);
export type StoredResult = Static<typeof StoredResult>;

/**
 * AEP's query object (`GET /query/queries/{id}`), with ISO-8601 times as Query Service writes them. The query is
 * recorded before it runs, so it can be read and cancelled while it does. Additions: `sql` (also under
 * `request`), `truncated` and the `results` link.
 */
export const QueryObject = Type.Object(
  {
    id: Type.String(),
    state: QueryState,
    request: Type.Object({ dbName: Type.String(), sql: Type.String(), name: Type.Optional(Type.String()), description: Type.Optional(Type.String()) }),
    sql: Type.String(),
    name: Type.Optional(Type.String()),
    rowCount: Type.Integer(),
    truncated: Type.Boolean(),
    errors: Type.Array(QueryProblem),
    isCTAS: Type.Boolean(),
    isInsertInto: Type.Boolean(),
    version: Type.Integer(),
    elapsedTime: Type.Integer({ description: 'Milliseconds.' }),
    client: Type.String(),
    clientId: Type.String(),
    userId: Type.String(),
    created: Type.String({ format: 'date-time' }),
    updated: Type.String({ format: 'date-time' }),
    _links: Type.Object({
      self: Link,
      results: Link,
      soft_delete: Link,
      cancel: Type.Optional(Link),
      referenced_datasets: Type.Array(Type.Object({ id: Type.String(), href: Type.String() })),
    }),
  },
  { description: 'The query' },
);
export type QueryObject = Static<typeof QueryObject>;

/** The answer to `POST /queries`: the query object with its result. */
export const QueryAnswer = Type.Object(
  { ...QueryObject.properties, columns: Type.Array(QueryColumn), rows: Type.Array(Row, { description: 'Every row kept (see `truncated`); `GET /queries/{id}/results` reads them again by page' }) },
  { description: 'The query in its final state (SUCCESS, or CANCELLED when it was cancelled while it ran), with its result' },
);

export const QueryResults = Type.Object(
  {
    columns: Type.Array(QueryColumn),
    rows: Type.Array(Row),
    truncated: Type.Boolean({ description: 'The query produced more rows than it kept.' }),
    _page: Type.Object({ start: Type.Integer(), limit: Type.Integer(), count: Type.Integer(), total: Type.Integer() }),
    _links: Type.Object({ query: Link }),
  },
  { description: 'A page of the rows the query kept' },
);
export type QueryResults = Static<typeof QueryResults>;

export const QueryPatchBody = Type.Object(
  {
    op: Type.Union([Type.Literal('cancel'), Type.Literal('soft_delete')], {
      description: '`cancel` stops a SUBMITTED or IN_PROGRESS query (it ends CANCELLED); `soft_delete` removes the query and its result, as DELETE does.',
    }),
  },
  { additionalProperties: false },
);
export type QueryPatchBody = Static<typeof QueryPatchBody>;

export const QueryPatchAnswer = Type.Object({ message: Type.String(), statusCode: Type.Integer() }, { description: 'The request was taken: a cancelled query has stopped by the time this is answered' });
