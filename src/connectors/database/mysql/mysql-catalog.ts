import type { Connection, RowDataPacket } from 'mysql2';
import type { MysqlColumn } from './mysql-column-types.js';
import { isMariaDb } from './mysql-session.js';

/** A table or view of the connection's database, as `information_schema.TABLES` lists it. */
export interface MysqlTableEntry {
  name: string;
  kind: 'table' | 'view';
}

/** One table or view: its columns in order and its primary key (empty for views and tables without one). */
export interface MysqlTableShape {
  name: string;
  kind: 'table' | 'view';
  columns: MysqlColumn[];
  primaryKey: string[];
}

/**
 * The tables and views of the connection's database that the user can see. The server shows only those it
 * holds some privilege on, so a table the user may not read is missing here, not refused.
 */
export async function listMysqlTables(connection: Connection): Promise<MysqlTableEntry[]> {
  const [rows] = await connection.promise().query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
  );
  return rows.map((row) => ({ name: String(row.name), kind: String(row.type) === 'VIEW' ? 'view' : 'table' }));
}

/**
 * A table's or view's columns and primary key, or undefined when the database has none of that name that the
 * user can see (the caller asks the server which of missing and forbidden it is).
 */
export async function describeMysqlTable(connection: Connection, table: string): Promise<MysqlTableShape | undefined> {
  const [tables] = await connection.promise().query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [table],
  );
  const found = tables[0];
  if (!found) return undefined;
  const [columns] = await connection.promise().query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType,
            NUMERIC_PRECISION AS numericPrecision, NUMERIC_SCALE AS numericScale
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [table],
  );
  const [keys] = await connection.promise().query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    [table],
  );
  const jsonColumns = (await isMariaDb(connection)) ? await mariaDbJsonColumns(connection, table) : new Set<string>();
  return {
    name: String(found.name),
    kind: String(found.type) === 'VIEW' ? 'view' : 'table',
    columns: columns.map((row) => ({
      name: String(row.name),
      dataType: String(row.dataType).toLowerCase(),
      columnType: String(row.columnType),
      precision: row.numericPrecision === null ? null : Number(row.numericPrecision),
      scale: row.numericScale === null ? null : Number(row.numericScale),
      isJson: String(row.dataType).toLowerCase() === 'json' || jsonColumns.has(String(row.name)),
    })),
    primaryKey: keys.map((row) => String(row.name)),
  };
}

/**
 * MariaDB's JSON is LONGTEXT with a `json_valid(col)` check constraint: the columns that have one. (A view's
 * columns carry no constraint, so a view shows its JSON as text.)
 */
async function mariaDbJsonColumns(connection: Connection, table: string): Promise<Set<string>> {
  const [checks] = await connection.promise().query<RowDataPacket[]>(
    `SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
    [table],
  );
  const names = new Set<string>();
  for (const check of checks) {
    const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(check.clause).trim());
    if (match?.[1]) names.add(match[1].replaceAll('``', '`'));
  }
  return names;
}
