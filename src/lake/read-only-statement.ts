import type { DuckDBConnection, DuckDBPreparedStatement, StatementType } from '@duckdb/node-api';
import { QueryError } from './query-error.js';

/**
 * Prepares `sql` if, and only if, it is one read-only statement: SELECT, WITH … SELECT, VALUES, FROM-first,
 * TABLE, DESCRIBE, SHOW, SUMMARIZE, PRAGMA table_info-style lookups (DuckDB plans all of these as SELECT), or an
 * EXPLAIN [ANALYZE] of one of them. DuckDB's own parser classifies the statement, so comments, odd casing and
 * string literals cannot disguise a write as a read.
 *
 * @example
 * const prepared = await prepareReadOnly(connection, 'SELECT count(*) FROM payments');
 * await prepareReadOnly(connection, 'DROP VIEW payments'); // throws QueryError('refused', ...)
 */
export async function prepareReadOnly(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  // Loaded when first needed (see createDuckDbInstance); by now a connection exists, so it is already in memory.
  const { StatementType } = await import('@duckdb/node-api');
  const prepared = await prepareOne(connection, sql);
  const type = prepared.statementType;
  if (type === StatementType.EXPLAIN) {
    // EXPLAIN ANALYZE runs its statement, so what it explains must be read-only too.
    const inner = explained(sql);
    if (inner === undefined) {
      throw new QueryError('refused', 'Write EXPLAIN [ANALYZE] directly before the statement it explains, without comments between the keywords.', sql);
    }
    const innerType = (await prepareOne(connection, inner)).statementType;
    if (innerType !== StatementType.SELECT) throw refusedType(StatementType, innerType, sql);
  } else if (type !== StatementType.SELECT) {
    throw refusedType(StatementType, type, sql);
  }
  if (prepared.parameterCount > 0) throw new QueryError('refused', 'Query parameters ($1, ?) are not supported; write the values into the SQL.', sql);
  return prepared;
}

async function prepareOne(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let extracted;
  try {
    extracted = await connection.extractStatements(sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // DuckDB fails SQL that holds no statement at all (blank, only comments or semicolons) without saying why.
    if (message === 'Error in native callback') throw new QueryError('sql', 'The SQL holds no statement (it is empty, or only comments).', sql);
    throw new QueryError('sql', message.replace(/^Failed to extract statements: /, ''), sql);
  }
  if (extracted.count !== 1) {
    throw new QueryError('refused', `Send exactly one SQL statement; this request holds ${extracted.count}.`, sql);
  }
  try {
    return await extracted.prepare(0);
  } catch (error) {
    throw new QueryError('sql', error instanceof Error ? error.message : String(error), sql);
  }
}

/** The statement after `EXPLAIN [ANALYZE] [(options)]`, or undefined when the prefix is not that plain. */
function explained(sql: string): string | undefined {
  const match = /^\s*explain\s+(?:analy[sz]e\s+)?(?:\([^()]*\)\s*)?/i.exec(sql);
  if (!match) return undefined;
  const rest = sql.slice(match[0].length);
  return rest.trim() === '' ? undefined : rest;
}

function refusedType(types: typeof StatementType, type: StatementType, sql: string): QueryError {
  const name = types[type] ?? `statement type ${type}`;
  return new QueryError(
    'refused',
    `Only read-only queries can run here (SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); this is a ${name} statement. The lake is read-only to queries: data lands through dataflows and Batch Ingestion, and leaves by deleting its batch in Catalog.`,
    sql,
  );
}
