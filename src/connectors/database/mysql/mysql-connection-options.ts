import type { ConnectionOptions } from 'mysql2';
import type { DatabaseAddress } from '../connection-string.js';

/** MySQL's port when the connection string names none. */
export const mysqlDefaultPort = 3306;

/** Connecting gives up after this long: a host that drops packets would otherwise hold a run for minutes. */
export const mysqlConnectTimeoutMs = 15_000;

/**
 * mysql2's options for an address. `withTls` says whether this attempt uses TLS: `request` (EncryptionMethod=6,
 * SslMode=Preferred) tries with and then, when the server has none, without (see `openMysqlSession`). With
 * `validateCertificate` the server's certificate must chain to a trusted authority and name the host; without,
 * the link is encrypted but anyone's certificate is taken.
 *
 * Values are not converted by the driver (the reader takes each one's raw text), the character set is utf8mb4 so
 * every Unicode character survives, and multiple statements are off.
 */
export function mysql2Options(address: DatabaseAddress, withTls: boolean): ConnectionOptions {
  return {
    host: address.host,
    port: address.port ?? mysqlDefaultPort,
    database: address.database,
    user: address.user,
    password: address.password,
    charset: 'UTF8MB4_UNICODE_CI',
    connectTimeout: mysqlConnectTimeoutMs,
    multipleStatements: false,
    ...(withTls ? { ssl: { rejectUnauthorized: address.tls.validateCertificate } } : {}),
  };
}
