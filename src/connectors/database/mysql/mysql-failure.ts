import { isSourceError, SourceConfigError, SourceProviderError, SourceTransientError } from '../../source-connector.js';
import type { FailureContext } from '../sql-source-dialect.js';
import { mysqlDefaultPort } from './mysql-connection-options.js';

/** The parts of a mysql2 error this module reads: a driver or socket code, and the server's number and text. */
interface MysqlDriverError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
}

/** Socket and protocol failures that may pass: the run can be triggered again. */
const transientCodes = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
]);

/**
 * Classes a mysql2 failure by who must act, with a message that names what to change: credentials, host,
 * port, database, table or grants are the user's (`SourceConfigError`); a dropped connection or a busy server
 * may pass (`SourceTransientError`); anything else is reported as the server said it
 * (`SourceProviderError`). No message carries the password, nor a stack.
 *
 * @example
 * mysqlFailure({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 }, { doing: 'connect', address })
 * // SourceConfigError: the server refused user "etl" (wrong user name or password): check UID and PWD …
 */
export function mysqlFailure(error: unknown, context: FailureContext): Error {
  if (isSourceError(error)) return error;
  const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as MysqlDriverError;
  const settings = context.address ?? { host: 'the server', port: undefined, database: 'the database', user: 'the user', password: '' };
  const where = `${settings.host}:${settings.port ?? mysqlDefaultPort}`;
  const table = context.table ? `"${context.table}"` : 'the table';
  const said = scrub(failure.sqlMessage ?? failure.message ?? 'no message', settings.password);
  const config = (message: string): SourceConfigError => new SourceConfigError(message);
  switch (failure.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return config(`the server at ${where} refused user "${settings.user}" (wrong user name or password, or the user may not connect from this host): check UID and PWD in the connection string`);
    case 'ER_DBACCESS_DENIED_ERROR':
      return config(`user "${settings.user}" may not use database "${settings.database}": grant it access (GRANT SELECT ON \`${settings.database}\`.* TO …) or name another Database`);
    case 'ER_BAD_DB_ERROR':
      return config(`database "${settings.database}" does not exist on ${where}: check Database in the connection string`);
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
      // The server gives this answer for a missing table too, to a user without rights on it.
      return config(`user "${settings.user}" may not read ${table} in database "${settings.database}" (or, to this user, it does not exist): grant it SELECT (GRANT SELECT ON \`${settings.database}\`.* TO '${settings.user}') or check the table name`);
    case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
      return config(`user "${settings.user}" lacks a privilege this read needs: ${said}`);
    case 'ER_NO_SUCH_TABLE':
    case 'ER_BAD_TABLE_ERROR':
      return config(`${table} does not exist in database "${settings.database}": check the table name (explore the connection to list its tables and views)`);
    case 'ER_VIEW_INVALID':
      return config(`view ${table} cannot be read (it refers to tables or columns that no longer exist, or its definer lacks rights): ${said}`);
    case 'ENOTFOUND':
      return config(`host "${settings.host}" is unknown (no DNS record): check Server in the connection string`);
    case 'ECONNREFUSED':
      // As for PostgreSQL and SFTP: a server that is down may come back, so a run may be re-triggered.
      return new SourceTransientError(`nothing accepts connections at ${where}: check Server and Port in the connection string, and that the database server is running`);
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return config(`the server at ${where} does not offer TLS: enable TLS on the server, or set SslMode=Preferred (EncryptionMethod=6) or SslMode=None (EncryptionMethod=0)`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return config(`the server's TLS certificate was not accepted (${failure.code}): install a certificate a trusted CA signed, or set SslMode=Required (ValidateServerCertificate=0) to encrypt without checking it`);
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
      return config(`the server asks for an authentication method this client does not offer: ${said}`);
  }
  if (failure.code === 'ETIMEDOUT' && !failure.errno) return new SourceTransientError(`connecting to ${where} timed out: check Server and Port, and that a firewall lets this machine reach it`);
  if (failure.code && transientCodes.has(failure.code)) return new SourceTransientError(`the MySQL connection to ${where} failed (${failure.code}): ${said}; run again later`);
  return new SourceProviderError(`the MySQL server at ${where} answered ${failure.code ?? 'an error'}${failure.errno ? ` (${failure.errno})` : ''}: ${said}`);
}

/** The password never leaves in a message, even when a server or driver repeats it. */
function scrub(text: string, password: string): string {
  return password.length >= 4 ? text.replaceAll(password, '[redacted]') : text;
}
