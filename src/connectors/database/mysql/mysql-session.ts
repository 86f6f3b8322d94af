import mysql from 'mysql2';
import type { Connection, RowDataPacket } from 'mysql2';
import { mysql2Options, type MysqlConnectionSettings, type MysqlTlsMode } from './mysql-connection-options.js';
import { mysqlFailure } from './mysql-failure.js';

/**
 * Opens a connection for one test, explore or read, with the session set up for reading:
 * - `time_zone = '+00:00'`: the server prints TIMESTAMP columns in the session's zone, so they read as UTC
 *   instants whatever the server's own zone (DATETIME has no zone and is read as written, taken as UTC);
 * - `SslMode=Preferred` tries TLS first and falls back to plain TCP only when the server says it has none.
 *
 * A failure to connect is classed (`mysqlFailure`) before it leaves. Close what this returns with `end()`.
 */
export async function openMysqlSession(settings: MysqlConnectionSettings): Promise<Connection> {
  let connection: Connection;
  try {
    connection = await connect(settings, settings.tls);
  } catch (error) {
    const noTls = (error as { code?: string } | null)?.code === 'HANDSHAKE_NO_SSL_SUPPORT';
    if (!(noTls && settings.tls === 'Preferred')) throw mysqlFailure(error, { settings });
    try {
      connection = await connect(settings, 'None');
    } catch (plainError) {
      throw mysqlFailure(plainError, { settings });
    }
  }
  try {
    await connection.promise().query("SET time_zone = '+00:00'");
  } catch (error) {
    connection.destroy();
    throw mysqlFailure(error, { settings });
  }
  return connection;
}

function connect(settings: MysqlConnectionSettings, tls: MysqlTlsMode): Promise<Connection> {
  const connection = mysql.createConnection(mysql2Options(settings, tls));
  // A connection that breaks while idle emits 'error'; without a listener that would end the process.
  connection.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    connection.connect((error) => {
      if (!error) return resolve(connection);
      connection.destroy();
      reject(error);
    });
  });
}

/** Whether the server is MariaDB (its JSON columns are LONGTEXT with a check). */
export async function isMariaDb(connection: Connection): Promise<boolean> {
  const [rows] = await connection.promise().query<RowDataPacket[]>('SELECT VERSION() AS version');
  return /mariadb/i.test(String(rows[0]?.version ?? ''));
}
