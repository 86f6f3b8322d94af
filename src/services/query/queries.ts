import { Check } from 'typebox/value';
import { StoredQuery, StoredResult, type QueryObject } from './query.schema.js';

export const queryKind = 'query.query';
export const queryResultKind = 'query.result';
export const queryBase = '/data/foundation/query';

/** The wire form of a stored query, in AEP's query-object shape. */
export function queryDocument(query: StoredQuery): QueryObject {
  const self = `${queryBase}/queries/${query.id}`;
  return {
    id: query.id,
    state: 'SUCCESS',
    request: { dbName: query.dbName, sql: query.sql, ...(query.name !== undefined ? { name: query.name } : {}), ...(query.description !== undefined ? { description: query.description } : {}) },
    sql: query.sql,
    ...(query.name !== undefined ? { name: query.name } : {}),
    rowCount: query.rowCount,
    truncated: query.truncated,
    errors: [],
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
      referenced_datasets: query.referencedDataSets.map((id) => ({ id, href: `/data/foundation/catalog/dataSets/${id}` })),
    },
  };
}

/** Stored documents are ours, but a row edited by hand must fail loudly here, not deep in a handler. */
export function parseStoredQuery(body: unknown): StoredQuery {
  if (!Check(StoredQuery, body)) throw new Error('a stored query does not have the stored-query shape');
  return body;
}

export function parseStoredResult(body: unknown): StoredResult {
  if (!Check(StoredResult, body)) throw new Error('a stored query result does not have the stored-result shape');
  return body;
}
