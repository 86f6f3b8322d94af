import type { Connection, RowDataPacket } from 'mysql2';
import type { ListedTable, TableDescription, TableName } from '../sql-source-dialect.js';
import { mysqlColumn, quoteMysqlIdentifier } from './mysql-column-types.js';
import { isMariaDb } from './mysql-session.js';

/**
 * The tables and views of the connection's database that the user can see. The server lists only those the user
 * holds some privilege on, so a table the user may not read is missing here, not refused.
 */
export async function listMysqlTables(connection: Connection): Promise<ListedTable[]> {
  const [rows] = await connection.promise().query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
  );
  return rows.map((row) => ({ schema: String(row.db), name: String(row.name), kind: String(row.type) === 'VIEW' ? 'view' : 'table' }));
}

/**
 * A table's or view's columns and primary key, or undefined when there is none of that name the user can see. A
 * name without a schema is looked up in the connection's database; `schema.table` names another database.
 */
export async function describeMysqlTable(connection: Connection, table: TableName): Promise<TableDescription | undefined> {
  const sql = connection.promise();
  const [tables] = await sql.query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?`,
    [table.schema ?? null, table.name],
  );
  const found = tables[0];
  if (!found) {
    await probeHiddenTable(connection, table);
    return undefined;
  }
  const where = [String(found.db), String(found.name)];
  const [columns] = await sql.query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS columnType, DATA_TYPE AS dataType
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    where,
  );
  const [keys] = await sql.query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    where,
  );
  const json = (await isMariaDb(connection)) ? await mariaDbJsonColumns(connection, where[0]!, where[1]!) : new Set<string>();
  const primaryKey = keys.map((row) => String(row.name));
  return {
    schema: where[0]!,
    name: where[1]!,
    kind: String(found.type) === 'VIEW' ? 'view' : 'table',
    columns: columns.map((row) => mysqlColumn(String(row.name), json.has(String(row.name)) || String(row.dataType).toLowerCase() === 'json' ? 'json' : String(row.columnType))),
    primaryKey,
    indexes: await orderedIndexes(connection, where[0]!, where[1]!, String(found.engine ?? '').toLowerCase() === 'innodb' ? primaryKey : []),
  };
}

/**
 * The B-tree indexes' columns, each in index order, for the core to tell whether a keyset page is an index range.
 * A prefix index (`name(10)`) orders rows by the prefix only, so its columns stop before such a part. InnoDB keeps
 * the primary key's columns at the end of every secondary index, so an index on (updated_at) orders by
 * (updated_at, id) too: `clusteredKey` adds them.
 */
async function orderedIndexes(connection: Connection, database: string, table: string, clusteredKey: string[]): Promise<string[][]> {
  const [parts] = await connection.promise().query<RowDataPacket[]>(
    `SELECT INDEX_NAME AS indexName, COLUMN_NAME AS columnName, SUB_PART AS subPart, INDEX_TYPE AS indexType
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [database, table],
  );
  const indexes = new Map<string, { columns: string[]; cut: boolean }>();
  for (const part of parts) {
    if (String(part.indexType).toUpperCase() !== 'BTREE') continue;
    const name = String(part.indexName);
    const index = indexes.get(name) ?? { columns: [], cut: false };
    indexes.set(name, index);
    if (index.cut || part.columnName === null) continue;
    if (part.subPart !== null) {
      index.cut = true;
      continue;
    }
    index.columns.push(String(part.columnName));
  }
  return [...indexes.entries()]
    .filter(([, index]) => index.columns.length > 0)
    .map(([name, index]) => (name === 'PRIMARY' || index.cut ? index.columns : [...index.columns, ...clusteredKey.filter((column) => !index.columns.includes(column))]));
}

/**
 * information_schema hides a table the user holds no privilege on, as if it did not exist: reading it tells
 * the two apart. A refusal (`ER_TABLEACCESS_DENIED_ERROR`) is thrown for the dialect to word as a missing grant;
 * a missing table (or any other answer) leaves the caller to say the table was not found.
 */
async function probeHiddenTable(connection: Connection, table: TableName): Promise<void> {
  const from = table.schema === undefined ? quoteMysqlIdentifier(table.name) : `${quoteMysqlIdentifier(table.schema)}.${quoteMysqlIdentifier(table.name)}`;
  try {
    await connection.promise().query(`SELECT 1 FROM ${from} LIMIT 0`);
  } catch (error) {
    const code = (error as { code?: string } | null)?.code;
    if (code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') throw error;
  }
}

/**
 * MariaDB's JSON is LONGTEXT with a `json_valid(col)` check constraint: the columns that have one. (A view's
 * columns carry no constraint, so a view shows its JSON as text.)
 */
async function mariaDbJsonColumns(connection: Connection, database: string, table: string): Promise<Set<string>> {
  const [checks] = await connection.promise().query<RowDataPacket[]>(
    `SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`,
    [database, table],
  );
  const names = new Set<string>();
  for (const check of checks) {
    const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(check.clause).trim());
    if (match?.[1]) names.add(match[1].replaceAll('``', '`'));
  }
  return names;
}
