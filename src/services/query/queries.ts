import { hasShape } from '../../store/compiled-check.js';
import { StoredQuery, StoredResult, type QueryObject, type QueryProblem, type QueryState } from './query.schema.js';

export const queryKind = 'query.query';
export const queryResultKind = 'query.result';
export const queryBase = '/data/foundation/query';

/**
 * A query whose server stopped while running it is never finished by anyone: once its deadline is this far behind,
 * it is shown as FAILED (the grace covers clocks that differ between servers and the final write itself).
 */
export const lostQueryGraceMs = 60_000;

const finalStates: readonly QueryState[] = ['SUCCESS', 'FAILED', 'CANCELLED'];

export function isFinal(state: QueryState): boolean {
  return finalStates.includes(state);
}

/** The state as it stands at `now`: recorded, or FAILED for an unfinished query whose server is gone. */
export function currentState(query: StoredQuery, now: number): { state: QueryState; errors: QueryProblem[] } {
  const state = query.state ?? 'SUCCESS';
  const errors = query.errors ?? [];
  if (!isFinal(state) && query.deadline !== undefined && now > query.deadline + lostQueryGraceMs) {
    return { state: 'FAILED', errors: [...errors, { code: 'lost', message: 'The server running this query stopped before it finished.' }] };
  }
  return { state, errors };
}

/** The wire form of a stored query, in AEP's query-object shape. */
export function queryDocument(query: StoredQuery, now: number): QueryObject {
  const self = `${queryBase}/queries/${query.id}`;
  const { state, errors } = currentState(query, now);
  return {
    id: query.id,
    state,
    request: { dbName: query.dbName, sql: query.sql, ...(query.name !== undefined ? { name: query.name } : {}), ...(query.description !== undefined ? { description: query.description } : {}) },
    sql: query.sql,
    ...(query.name !== undefined ? { name: query.name } : {}),
    rowCount: query.rowCount,
    truncated: query.truncated,
    errors,
    isCTAS: false,
    isInsertInto: false,
    version: 1,
    elapsedTime: query.elapsedTime,
    client: 'API',
    clientId: query.clientId,
    userId: query.userId,
    created: new Date(query.created).toISOString(),
    updated: new Date(query.updated).toISOString(),
    _links: {
      self: { href: self, method: 'GET' },
      results: { href: `${self}/results`, method: 'GET' },
      soft_delete: { href: self, method: 'PATCH', body: '{"op":"soft_delete"}' },
      ...(isFinal(state) ? {} : { cancel: { href: self, method: 'PATCH', body: '{"op":"cancel"}' } }),
      referenced_datasets: query.referencedDataSets.map((id) => ({ id, href: `/data/foundation/catalog/dataSets/${id}` })),
    },
  };
}

/** Stored documents are ours, but a row edited by hand must fail loudly here, not deep in a handler. */
export function parseStoredQuery(body: unknown): StoredQuery {
  if (!hasShape(StoredQuery, body)) throw new Error('a stored query does not have the stored-query shape');
  return body;
}

export function parseStoredResult(body: unknown): StoredResult {
  if (!hasShape(StoredResult, body)) throw new Error('a stored query result does not have the stored-result shape');
  return body;
}
