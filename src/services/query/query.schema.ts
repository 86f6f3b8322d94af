import { Type, type Static } from 'typebox';

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

export const QueryColumn = Type.Object({ name: Type.String(), type: Type.String({ description: 'The DuckDB type.' }) });
const Row = Type.Record(Type.String(), Type.Unknown());
const Link = Type.Object({ href: Type.String(), method: Type.Optional(Type.String()) });

/** A query as stored: its request, its outcome and who ran it (times in epoch ms). */
export const StoredQuery = Type.Object({
  id: Type.String(),
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

/** A query's rows, stored apart from the query so listing or reading queries never loads results. */
export const StoredResult = Type.Object({ columns: Type.Array(QueryColumn), rows: Type.Array(Row) });
export type StoredResult = Static<typeof StoredResult>;

/**
 * AEP's query object (`GET /query/queries/{id}`), with ISO-8601 times as Query Service writes them. Tributary runs
 * a query while the POST waits, so the state is final at once. Additions: `sql` (also under `request`),
 * `truncated` and the `results` link.
 */
export const QueryObject = Type.Object(
  {
    id: Type.String(),
    state: Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
    request: Type.Object({ dbName: Type.String(), sql: Type.String(), name: Type.Optional(Type.String()), description: Type.Optional(Type.String()) }),
    sql: Type.String(),
    name: Type.Optional(Type.String()),
    rowCount: Type.Integer(),
    truncated: Type.Boolean(),
    errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
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
      referenced_datasets: Type.Array(Type.Object({ id: Type.String(), href: Type.String() })),
    }),
  },
  { description: 'The query' },
);
export type QueryObject = Static<typeof QueryObject>;

/** The answer to `POST /queries`: the query object with its result. */
export const QueryAnswer = Type.Object(
  { ...QueryObject.properties, columns: Type.Array(QueryColumn), rows: Type.Array(Row, { description: 'Every row kept (see `truncated`); `GET /queries/{id}/results` reads them again by page' }) },
  { description: 'The query, already in its final state, with its result' },
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
