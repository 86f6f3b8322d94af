import mysql from 'mysql2';
import type { Connection, RowDataPacket } from 'mysql2';
import type { DatabaseAddress } from '../connection-string.js';
import { mysql2Options } from './mysql-connection-options.js';

/**
 * Opens a connection for one test, explore or read, with the session set up for reading:
 * - `time_zone = '+00:00'`: the server prints TIMESTAMP columns in the session's zone, so they read as UTC
 *   instants whatever the server's own zone (DATETIME has no zone and is read as written, taken as UTC);
 * - TLS asked for but not required (`EncryptionMethod=6`, `SslMode=Preferred`) is tried first, and the session goes
 *   on in plain TCP only when the server says it has no TLS.
 *
 * A failure is thrown as the driver gave it; the dialect classes it. Close what this returns with `end()`.
 */
export async function openMysqlSession(address: DatabaseAddress): Promise<Connection> {
  let connection: Connection;
  try {
    connection = await connect(address, address.tls.mode !== 'off');
  } catch (error) {
    const noTls = (error as { code?: string } | null)?.code === 'HANDSHAKE_NO_SSL_SUPPORT';
    if (!(noTls && address.tls.mode === 'request')) throw error;
    connection = await connect(address, false);
  }
  try {
    await connection.promise().query("SET time_zone = '+00:00'");
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return connection;
}

function connect(address: DatabaseAddress, withTls: boolean): Promise<Connection> {
  const connection = mysql.createConnection(mysql2Options(address, withTls));
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
