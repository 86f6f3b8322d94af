import { SourceConfigError, SourceProviderError, SourceTransientError } from '../../source-connector.js';
import type { FailureContext } from '../sql-source-dialect.js';

/** What the `pg` driver and Node's sockets put on an error. */
interface DriverError {
  message?: string;
  /** SQLSTATE from the server, or a Node error code (ENOTFOUND, ECONNREFUSED …). */
  code?: string;
}

/** Node socket and TLS codes that mean the network or the server may come back: retry later. */
const transientNetwork = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Certificate checks that failed: the connection string must change (or the server's certificate). */
const certificateCodes = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/**
 * A PostgreSQL failure as the user can act on it. Server errors are read by SQLSTATE class: 28 (sign-in) and 3D
 * (no such database) and 42 (missing table or grant) are the user's to fix; 08 (connection), 40 (serialization),
 * 53 (resources), 57 (shutdown, cancel) may pass. The message names the part of the connection string or the
 * grant to change; it never holds the password (the driver's messages do not either) nor a stack.
 */
export function classifyPostgresError(error: unknown, context: FailureContext): Error {
  const failure = (error ?? {}) as DriverError;
  const code = typeof failure.code === 'string' ? failure.code : '';
  const said = firstLine(failure.message ?? String(error));
  const address = context.address;
  const at = address ? `PostgreSQL at ${address.host}:${address.port ?? 5432}` : 'PostgreSQL';
  const user = address ? `user "${address.user}"` : 'the user';
  const table = context.table ? ` ${context.table}` : '';

  if (code === 'ENOTFOUND') return new SourceConfigError(`${at}: the host "${address?.host ?? ''}" is unknown; check Server= in the connectionString`);
  if (transientNetwork.has(code)) {
    return new SourceTransientError(`${at} cannot be reached (${code === 'ECONNREFUSED' ? 'the connection was refused' : code}); check Server= and Port= in the connectionString and that the server is up`);
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(said)) return new SourceTransientError(`${at} did not answer in time; check Server= and Port= and that the server is up`);
  if (certificateCodes.has(code) || /certificate/i.test(said)) {
    return new SourceConfigError(`${at}: its TLS certificate is not trusted (${said}); install its authority on this machine, or set ValidateServerCertificate=0 in the connectionString`);
  }
  if (/does not support SSL/i.test(said)) return new SourceConfigError(`${at} does not offer TLS; set EncryptionMethod=0, or 6 to use TLS only when offered`);
  if (code === '28P01' || (code === '28000' && /role .* does not exist/i.test(said))) {
    return new SourceConfigError(`${at} refused ${user}: the password is wrong or the user does not exist; check UID= and Password= in the connectionString`);
  }
  if (code === '28000' && /pg_hba|no encryption/i.test(said)) {
    return new SourceConfigError(`${at} does not accept ${user} from this host${/no encryption/.test(said) ? ' without TLS (set EncryptionMethod=1)' : ''}; its pg_hba.conf must allow it`);
  }
  if (code.startsWith('28')) return new SourceConfigError(`${at} refused ${user}: ${said}; check UID= and Password= in the connectionString`);
  if (code === '3D000') return new SourceConfigError(`${at} has no database "${address?.database ?? ''}"; check Database= in the connectionString`);
  if (code === '42501') {
    return new SourceConfigError(`${user} may not read${table} (${said}); grant it: GRANT USAGE ON SCHEMA <schema> TO <user>; GRANT SELECT ON${table || ' <table>'} TO <user>`);
  }
  if (code === '42P01') return new SourceConfigError(`PostgreSQL has no table or view${table} (${said}); check the table name (schema.table)`);
  if (code === '42703') return new SourceConfigError(`a column of${table} changed while it was read (${said}); run again`);
  if (code === '53300') return new SourceTransientError(`${at} has no free connection slot (too many clients); run again later`);
  if (/^(08|40|53|57)/.test(code) || /Connection terminated|server closed the connection/i.test(said)) {
    return new SourceTransientError(`${at} dropped the ${context.doing === 'read' ? 'read' : 'connection'} (${said}); run again`);
  }
  return new SourceProviderError(`PostgreSQL failed to ${context.doing}${table}: ${said}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

