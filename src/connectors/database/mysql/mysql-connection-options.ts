import type { ConnectionOptions } from 'mysql2';
import { SourceConfigError } from '../../source-connector.js';

/**
 * How the connection may use TLS, in the words of the ADO.NET connection strings AEP's MySQL and MariaDB
 * sources take (`SslMode=None|Preferred|Required|VerifyCA|VerifyFull`); DataDirect's
 * `EncryptionMethod=0|1;ValidateServerCertificate=0|1` is read too.
 * - `None`: plain TCP.
 * - `Preferred` (the default when the string says nothing): TLS when the server offers it, plain TCP when it
 *   says it does not.
 * - `Required`: TLS, the certificate not checked.
 * - `VerifyCA`: TLS, the certificate must chain to a trusted CA (the host name is not checked).
 * - `VerifyFull`: TLS, trusted CA and matching host name.
 */
export type MysqlTlsMode = 'None' | 'Preferred' | 'Required' | 'VerifyCA' | 'VerifyFull';

/** What a MySQL/MariaDB connection string says, checked. The password is kept only to connect. */
export interface MysqlConnectionSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  tls: MysqlTlsMode;
}

/** Connecting gives up after this long: a host that drops packets would otherwise hold a run for minutes. */
export const mysqlConnectTimeoutMs = 15_000;

const tlsModes: Record<string, MysqlTlsMode> = {
  none: 'None',
  disabled: 'None',
  preferred: 'Preferred',
  required: 'Required',
  verifyca: 'VerifyCA',
  verify_ca: 'VerifyCA',
  verifyfull: 'VerifyFull',
  verify_identity: 'VerifyFull',
};

/** The names each setting goes by in the connection strings people copy from their tools. */
const aliases = {
  host: ['server', 'host', 'data source', 'datasource', 'address', 'addr'],
  port: ['port'],
  database: ['database', 'initial catalog', 'db'],
  user: ['uid', 'user id', 'userid', 'user', 'username', 'user name'],
  password: ['pwd', 'password'],
  sslMode: ['sslmode', 'ssl mode', 'ssl-mode'],
  encryptionMethod: ['encryptionmethod'],
  validateCertificate: ['validateservercertificate'],
} as const;

/**
 * Reads the settings out of a connection string's entries (names in lower case). A missing or malformed
 * setting is a `SourceConfigError` naming it; no message repeats the password.
 *
 * @example
 * mysqlConnectionSettings(new Map([['server', 'db.example.com'], ['port', '3306'], ['database', 'shop'], ['uid', 'etl'], ['pwd', '…']]));
 * // { host: 'db.example.com', port: 3306, database: 'shop', user: 'etl', password: '…', tls: 'Preferred' }
 */
export function mysqlConnectionSettings(entries: ReadonlyMap<string, string>): MysqlConnectionSettings {
  const pick = (names: readonly string[]): string | undefined => {
    for (const name of names) {
      const value = entries.get(name);
      if (value !== undefined && value.trim() !== '') return value.trim();
    }
    return undefined;
  };
  const host = pick(aliases.host);
  if (!host) throw new SourceConfigError('the connection string names no server: add Server=<host name or address>');
  const portText = pick(aliases.port) ?? '3306';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new SourceConfigError(`Port "${portText}" is not a port number (1 to 65535; MySQL's default is 3306)`);
  const database = pick(aliases.database);
  if (!database) throw new SourceConfigError('the connection string names no database: add Database=<database name>');
  const user = pick(aliases.user);
  if (!user) throw new SourceConfigError('the connection string names no user: add UID=<user name>');
  // A password may legitimately be empty or end in spaces: taken as written.
  const password = aliases.password.map((name) => entries.get(name)).find((value) => value !== undefined) ?? '';
  return { host, port, database, user, password, tls: tlsModeOf(pick(aliases.sslMode), pick(aliases.encryptionMethod), pick(aliases.validateCertificate)) };
}

function tlsModeOf(sslMode: string | undefined, encryptionMethod: string | undefined, validate: string | undefined): MysqlTlsMode {
  if (sslMode !== undefined) {
    const mode = tlsModes[sslMode.toLowerCase()];
    if (!mode) throw new SourceConfigError(`SslMode "${sslMode}" is not one of None, Preferred, Required, VerifyCA, VerifyFull`);
    return mode;
  }
  if (encryptionMethod !== undefined) {
    if (encryptionMethod === '0') return 'None';
    if (encryptionMethod !== '1') throw new SourceConfigError(`EncryptionMethod "${encryptionMethod}" is not 0 (no TLS) or 1 (TLS)`);
    return validate === '0' ? 'Required' : 'VerifyFull';
  }
  return 'Preferred';
}

/**
 * mysql2's options for the settings. Values come back as raw text (the reader decides what each becomes), in
 * utf8mb4 so every Unicode character survives, and the session's time zone is set to UTC on connect (by the
 * caller, `SET time_zone = '+00:00'`) so TIMESTAMP columns read as UTC instants.
 *
 * `tls` overrides the settings' mode: `Preferred` connects with TLS first and, when the server has none,
 * again with `None`.
 */
export function mysql2Options(settings: MysqlConnectionSettings, tls: MysqlTlsMode = settings.tls): ConnectionOptions {
  const ssl =
    tls === 'None'
      ? undefined
      : tls === 'VerifyFull'
        ? { rejectUnauthorized: true }
        : tls === 'VerifyCA'
          ? { rejectUnauthorized: true, checkServerIdentity: () => undefined }
          : { rejectUnauthorized: false };
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    charset: 'UTF8MB4_UNICODE_CI',
    connectTimeout: mysqlConnectTimeoutMs,
    multipleStatements: false,
    ...(ssl ? { ssl } : {}),
  };
}
