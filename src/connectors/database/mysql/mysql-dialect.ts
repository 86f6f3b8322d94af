import type { Connection, RowDataPacket } from 'mysql2';
import type { DatabaseAddress } from '../connection-string.js';
import type { FailureContext, ListedTable, PageQuery, SqlSourceDialect, StagedPage, TableDescription, TableName } from '../sql-source-dialect.js';
import { describeMysqlTable, listMysqlTables } from './mysql-catalog.js';
import { quoteMysqlIdentifier, type MysqlSourceColumn } from './mysql-column-types.js';
import { mysqlFailure } from './mysql-failure.js';
import { mysqlPageQuery } from './mysql-page-query.js';
import { previewValue } from './mysql-preview-value.js';
import { stageQueryRows } from './mysql-row-stager.js';
import { openMysqlSession } from './mysql-session.js';
import { stagedRelation } from './staged-csv.js';

/**
 * MySQL and MariaDB through mysql2: one dialect, named for the product its connection spec stands for (the two
 * speak the same protocol and catalog; MariaDB's JSON columns are found by their check constraint).
 *
 * @example
 * const mariadb = new DatabaseSource(new MysqlDialect('MariaDB'));
 * await mariadb.test({ connectionString: 'Server=127.0.0.1;Port=3306;Database=shop;UID=etl;PWD=…' });
 */
export class MysqlDialect implements SqlSourceDialect<Connection> {
  constructor(readonly product: 'MySQL' | 'MariaDB') {}

  async open(address: DatabaseAddress): Promise<Connection> {
    try {
      return await openMysqlSession(address);
    } catch (error) {
      throw mysqlFailure(error, { doing: 'connect', address });
    }
  }

  async close(session: Connection): Promise<void> {
    await new Promise<void>((resolve) => {
      session.end((error) => {
        if (error) session.destroy();
        resolve();
      });
    });
  }

  async ping(session: Connection): Promise<string> {
    const [rows] = await session.promise().query<RowDataPacket[]>('SELECT VERSION() AS version');
    return String(rows[0]?.version ?? 'unknown version');
  }

  listTables(session: Connection): Promise<ListedTable[]> {
    return listMysqlTables(session);
  }

  describeTable(session: Connection, table: TableName): Promise<TableDescription | undefined> {
    return describeMysqlTable(session, table);
  }

  async preview(session: Connection, table: TableDescription, limit: number): Promise<Record<string, unknown>[]> {
    const columns = table.columns as MysqlSourceColumn[];
    const [rows] = await session.promise().query<RowDataPacket[]>({
      sql: `SELECT ${columns.map((c) => c.select).join(', ')} FROM ${quoteMysqlIdentifier(table.schema)}.${quoteMysqlIdentifier(table.name)} LIMIT ${Math.max(0, Math.floor(limit))}`,
      rowsAsArray: true,
      typeCast: (field) => field.buffer(),
    });
    return (rows as unknown as (Buffer | null)[][]).map((row) => Object.fromEntries(columns.map((column, i) => [column.name, previewValue(column, row[i] ?? null)])));
  }

  /**
   * One consistent snapshot for every page: InnoDB's REPEATABLE READ with the snapshot taken at once, read only.
   * (A MyISAM table has no snapshots; its pages see whatever was committed when each ran.)
   */
  async snapshot<T>(session: Connection, work: () => Promise<T>): Promise<T> {
    const sql = session.promise();
    await sql.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await sql.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    try {
      const result = await work();
      await sql.query('COMMIT');
      return result;
    } catch (error) {
      // A broken connection cannot roll back; closing it ends the transaction all the same.
      await sql.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async stagePage(session: Connection, page: PageQuery, file: string): Promise<StagedPage> {
    const columns = page.table.columns as MysqlSourceColumn[];
    const staged = await stageQueryRows(session, mysqlPageQuery(page), columns, file);
    const last = staged.lastRow && page.order.length > 0 ? page.order.map((key) => keyText(key as MysqlSourceColumn, staged.lastRow![columns.findIndex((c) => c.name === key.name)] ?? null)) : undefined;
    return {
      rows: staged.rows,
      bytes: staged.bytes,
      last,
      altered: [{ code: 'MYSQL-ZERO-DATES', what: "zero date(s) (MySQL's 0000-00-00, or a zero month or day) read as null", values: staged.tally.zeroDates }],
    };
  }

  stagedReader(files: string[], columns: MysqlSourceColumn[]): string {
    return stagedRelation(files, columns);
  }

  classify(error: unknown, context: FailureContext): Error {
    return mysqlFailure(error, context);
  }
}

/**
 * A key value as the next page's query takes it back (see `mysqlPageQuery`): the server's text for it, binary in
 * base64, BIT as its number. Key columns are never NULL (a primary key's, or a delta column bounded by the window).
 */
function keyText(column: MysqlSourceColumn, raw: Buffer | null): string {
  if (raw === null) return '';
  if (column.encoding === 'base64') return raw.toString('base64');
  if (column.encoding === 'bits' || column.encoding === 'bitFlag') return raw.reduce((number, byte) => (number << 8n) | BigInt(byte), 0n).toString();
  return raw.toString('utf8');
}
