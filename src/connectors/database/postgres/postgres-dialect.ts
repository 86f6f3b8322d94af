import fs from 'node:fs';
import { sqlIdentifier, sqlString } from '../../../mapping/sql-text.js';
import type { ListedTable, PageQuery, SourceColumn, SqlSourceDialect, StagedPage, TableDescription, TableName } from '../sql-source-dialect.js';
import { connect, copyInto, type PostgresSession } from './postgres-connection.js';
import { classifyPostgresError } from './postgres-errors.js';
import { stageInParts } from './parallel-full-read.js';
import { readLastKey } from './staged-tail.js';
import { postgresColumn, type CatalogColumn, type PostgresColumn } from './postgres-types.js';

/**
 * The longest staged row DuckDB's CSV reader accepts: a row holding a bigger json or bytea value fails the read.
 * DuckDB's own default (2 MB) is too small for documents kept in json columns; its read buffer is kept at its
 * default size (by default it grows to 16 rows' worth, which would not fit a run's memory).
 */
const maxStagedRowBytes = 32 * 1024 * 1024;

/**
 * PostgreSQL through `pg`: pages are `COPY (SELECT …) TO STDOUT` in CSV, piped to the staging file as the server
 * sends them, with one more column holding the row's keyset values as text, so the page's last key is read from
 * the file's tail and no row passes through JavaScript.
 */
export const postgresDialect: SqlSourceDialect<PostgresSession> = {
  product: 'PostgreSQL',

  async open(address) {
    try {
      const tls = address.tls.mode !== 'off';
      return { client: await connect(address, tls), address, tls };
    } catch (error) {
      // EncryptionMethod=6 asks for TLS and goes on without it when the server offers none.
      if (address.tls.mode === 'request' && /does not support SSL/i.test(error instanceof Error ? error.message : '')) {
        try {
          return { client: await connect(address, false), address, tls: false };
        } catch (plainError) {
          throw classifyPostgresError(plainError, { doing: 'connect', address });
        }
      }
      throw classifyPostgresError(error, { doing: 'connect', address });
    }
  },

  async close(session) {
    await session.client.end().catch(() => undefined);
  },

  async ping(session) {
    const answer = await session.client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    return answer.rows[0]?.version ?? 'server';
  },

  async listTables(session) {
    const answer = await session.client.query<{ schema: string; name: string; kind: string }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
          AND has_schema_privilege(n.oid, 'USAGE')
        ORDER BY 1, 2`,
    );
    return answer.rows.map((row): ListedTable => ({ schema: row.schema, name: row.name, kind: row.kind === 'v' || row.kind === 'm' ? 'view' : 'table' }));
  },

  async describeTable(session, table) {
    const found = await session.client.query<{ oid: number; schema: string; name: string; kind: string }>(
      `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
      [regclassText(table)],
    );
    const relation = found.rows[0];
    if (!relation) return undefined;
    const columns = await session.client.query<{ name: string; source_type: string; type_name: string; type_kind: string; element_name: string | null; typmod: number }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS source_type, bt.typname AS type_name, bt.typtype AS type_kind,
              et.typname AS element_name, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod
         FROM pg_attribute a
         JOIN pg_type t ON t.oid = a.atttypid
         JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
         LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [relation.oid],
    );
    const key = await session.client.query<{ name: string }>(
      `SELECT a.attname AS name
         FROM pg_index i
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1 AND i.indisprimary
        ORDER BY k.position`,
      [relation.oid],
    );
    const indexes = await session.client.query<{ columns: string[] }>(
      `SELECT array_agg(a.attname::text ORDER BY k.position) AS columns
         FROM pg_index i
         JOIN pg_class ix ON ix.oid = i.indexrelid
         JOIN pg_am am ON am.oid = ix.relam AND am.amname = 'btree'
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1 AND i.indisvalid AND i.indpred IS NULL AND k.position <= i.indnkeyatts
        GROUP BY i.indexrelid
       HAVING bool_and(k.attnum > 0)`,
      [relation.oid],
    );
    const catalog = columns.rows.map(
      (row): CatalogColumn => ({ name: row.name, sourceType: row.source_type, typeName: row.type_name, typeKind: row.type_kind, elementName: row.element_name, typmod: Number(row.typmod) }),
    );
    return {
      schema: relation.schema,
      name: relation.name,
      kind: relation.kind === 'v' || relation.kind === 'm' ? 'view' : 'table',
      columns: catalog.map(postgresColumn),
      primaryKey: key.rows.map((row) => row.name),
      indexes: indexes.rows.map((row) => row.columns),
    };
  },

  async preview(session, table, limit) {
    const columns = postgresColumns(table.columns);
    const select = columns.length > 0 ? `json_build_array(${columns.map((c) => c.previewed(sqlIdentifier(c.name))).join(', ')})::text` : "'[]'";
    const answer = await session.client.query<{ row: string }>(`SELECT ${select} AS row FROM ${qualified(table)} LIMIT ${Math.max(0, Math.floor(limit))}`);
    return answer.rows.map((row) => {
      const values = JSON.parse(row.row) as unknown[];
      return Object.fromEntries(columns.map((c, i) => [c.name, values[i] ?? null]));
    });
  },

  async snapshot(session, work) {
    await session.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const result = await work();
      await session.client.query('COMMIT');
      return result;
    } catch (error) {
      await session.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  },

  async stagePage(session, page, file): Promise<StagedPage> {
    const columns = postgresColumns(page.table.columns);
    const order = postgresColumns(page.order);
    const select = [...columns.map((c) => c.staged(sqlIdentifier(c.name))), order.length > 0 ? keyText(order) : 'NULL'];
    // ORDER BY names the table's columns through its alias: a bare name could mean an output column (the key's).
    const orderBy = order.length > 0 ? ` ORDER BY ${order.map((c) => `t.${sqlIdentifier(c.name)}`).join(', ')}` : '';
    const sql = `COPY (SELECT ${select.join(', ')} FROM ${qualified(page.table)} AS t${whereClause(page, order)}${orderBy}${page.limit !== undefined ? ` LIMIT ${page.limit}` : ''}) TO STDOUT WITH (FORMAT csv)`;
    if (order.length === 0 && page.limit === undefined && !page.delta) {
      const parts = await stageInParts(session, page.table, select, file);
      if (parts) return parts;
    }
    const rows = await copyInto(session.client, sql, file);
    const bytes = fs.statSync(file).size;
    if (rows === 0 || order.length === 0) return { rows, bytes };
    const last = readLastKey(file, bytes).split('|');
    if (last.length !== order.length) throw new Error(`the staged page's last key has ${last.length} parts, not ${order.length}`);
    return { rows, bytes, last: last.map((value, i) => (order[i]?.keyText === 'hex' ? Buffer.from(value, 'hex').toString('utf8') : value)) };
  },

  stagedReader(files, columns) {
    const staged = postgresColumns(columns);
    const types = [...staged.map((c, i) => `c${i}: ${sqlString(c.csvType)}`), `k: 'VARCHAR'`];
    const reader = `read_csv([${files.map(sqlString).join(', ')}], header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, max_line_size = ${maxStagedRowBytes}, buffer_size = ${maxStagedRowBytes}, columns = {${types.join(', ')}})`;
    return `(SELECT ${staged.map((c, i) => `${c.cast(`c${i}`)} AS ${sqlIdentifier(c.name)}`).join(', ')} FROM ${reader})`;
  },

  classify: classifyPostgresError,
};

/** The columns as this dialect described them: the core hands back what `describeTable` gave it. */
function postgresColumns(columns: SourceColumn[]): PostgresColumn[] {
  return columns.map((c) => {
    if (!('staged' in c)) throw new Error(`column ${c.name} was not described by the PostgreSQL dialect`);
    return c as PostgresColumn;
  });
}

function qualified(table: Pick<TableDescription, 'schema' | 'name'>): string {
  return `${sqlIdentifier(table.schema)}.${sqlIdentifier(table.name)}`;
}

/** The name as `to_regclass` reads it: quoted parts, so case and dots are kept; no schema follows the search path. */
function regclassText(table: TableName): string {
  return table.schema === undefined ? sqlIdentifier(table.name) : `${sqlIdentifier(table.schema)}.${sqlIdentifier(table.name)}`;
}

/** The row's keyset values, `|`-separated; a value that may hold `,`, `"`, `|` or a newline is written as hex. */
function keyText(order: PostgresColumn[]): string {
  return order.map((c) => (c.keyText === 'hex' ? `encode(convert_to(${sqlIdentifier(c.name)}::text, 'UTF8'), 'hex')` : `${sqlIdentifier(c.name)}::text`)).join(` || '|' || `);
}

function whereClause(page: PageQuery, order: PostgresColumn[]): string {
  const conditions: string[] = [];
  if (page.delta) {
    const delta = sqlIdentifier(page.delta.column.name);
    const bound = timeBound(page.delta.column);
    if (page.delta.after !== undefined) conditions.push(`${delta} > ${bound(page.delta.after)}`);
    conditions.push(`${delta} <= ${bound(page.delta.upTo)}`);
  }
  if (page.after) {
    const values = page.after.map((value, i) => `${sqlString(value)}::${order[i]?.sourceType ?? 'text'}`);
    conditions.push(`(${order.map((c) => sqlIdentifier(c.name)).join(', ')}) > (${values.join(', ')})`);
  }
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

/** An ISO instant as a value of the delta column's type: a timestamp without zone and a date are UTC ones. */
function timeBound(column: SourceColumn): (iso: string) => string {
  const instant = (iso: string) => `${sqlString(iso)}::timestamptz`;
  if (column.time === 'local') return (iso) => `(${instant(iso)} AT TIME ZONE 'UTC')`;
  if (column.time === 'date') return (iso) => `(${instant(iso)} AT TIME ZONE 'UTC')::date`;
  return instant;
}
