import { SourceConfigError } from '../source-connector.js';

/** Where a database is and how to sign in to it, read from AEP's connection string. */
export interface DatabaseAddress {
  host: string;
  /** Undefined: the dialect's default port. */
  port: number | undefined;
  database: string;
  user: string;
  password: string;
  tls: TlsChoice;
}

/**
 * AEP's `EncryptionMethod`: 0 no TLS (the default), 1 TLS required, 6 TLS asked for (the server may refuse it and
 * the session goes on in the clear). `validateCertificate` (`ValidateServerCertificate`, 1 by default when TLS is
 * on) checks the server's certificate against the system's trusted authorities and its host name.
 */
export interface TlsChoice {
  mode: 'off' | 'require' | 'request';
  validateCertificate: boolean;
}

/** Each key AEP's database connection strings use, lower-cased, with the field it fills. */
const keys: Record<string, keyof Settings> = {
  server: 'host',
  host: 'host',
  database: 'database',
  port: 'port',
  uid: 'user',
  'user id': 'user',
  userid: 'user',
  user: 'user',
  username: 'user',
  password: 'password',
  pwd: 'password',
  encryptionmethod: 'encryption',
  validateservercertificate: 'validate',
  validationservercertificate: 'validate',
};

interface Settings {
  host: string;
  database: string;
  port: string;
  user: string;
  password: string;
  encryption: string;
  validate: string;
}

/**
 * Reads `Server=…;Database=…;Port=…;UID=…;Password=…` (keys in any case and order; `PWD` and `User Id` too; a value
 * may be wrapped in braces or quotes to hold a `;`). A mistake names the key at fault and never repeats the string,
 * which holds the password.
 *
 * @example
 * parseConnectionString('Server=db.local;Database=shop;UID=app;PWD={a;b};EncryptionMethod=1')
 * // { host: 'db.local', port: undefined, database: 'shop', user: 'app', password: 'a;b', tls: { mode: 'require', validateCertificate: true } }
 */
export function parseConnectionString(text: unknown): DatabaseAddress {
  if (typeof text !== 'string' || text.trim() === '') throw new SourceConfigError('the connection has no connectionString (Server=…;Database=…;Port=…;UID=…;Password=…)');
  const settings: Partial<Settings> = {};
  for (const [key, value] of pairs(text)) {
    const field = keys[key.toLowerCase().replace(/\s+/g, ' ')];
    // Keys the database drivers AEP uses know but Tributary has no use for are let through: the string still works.
    if (field === undefined) continue;
    if (settings[field] !== undefined) throw new SourceConfigError(`the connectionString sets ${key} twice`);
    settings[field] = value;
  }
  for (const [field, key] of [['host', 'Server'], ['database', 'Database'], ['user', 'UID']] as const) {
    if (!settings[field]) throw new SourceConfigError(`the connectionString has no ${key}=… (Server=…;Database=…;Port=…;UID=…;Password=…)`);
  }
  return {
    host: settings.host as string,
    port: settings.port === undefined || settings.port === '' ? undefined : portOf(settings.port),
    database: settings.database as string,
    user: settings.user as string,
    password: settings.password ?? '',
    tls: tlsOf(settings.encryption, settings.validate),
  };
}

/** The `key=value` pairs of the string, values unwrapped from `{…}` or quotes. */
function* pairs(text: string): Generator<[string, string]> {
  let at = 0;
  let previous: string | undefined;
  while (at < text.length) {
    const equals = text.indexOf('=', at);
    const rest = text.slice(at, equals === -1 ? undefined : equals);
    if (equals === -1) {
      // Trailing blanks or a lone `;` are fine; anything else is a key without a value.
      // The text itself is not repeated: after a `;` inside an unwrapped password it would be part of the password.
      if (rest.replace(/[;\s]/g, '') !== '') throw new SourceConfigError(`the connectionString has a part without =value${afterKey(previous)}; wrap a value holding ";" in {…}`);
      return;
    }
    const key = rest.replace(/^[;\s]+/, '').trim();
    if (key === '' || key.includes(';')) throw new SourceConfigError(`the connectionString has a part without a key before "="${afterKey(previous)}; write it as Key=value;Key=value and wrap a value holding ";" in {…}`);
    let value: string;
    let next: number;
    const opening = text[equals + 1];
    const closing = opening === '{' ? '}' : opening === '"' || opening === "'" ? opening : undefined;
    if (closing) {
      const end = text.indexOf(closing, equals + 2);
      if (end === -1) throw new SourceConfigError(`the connectionString's ${key} value opens with ${opening} but never closes it`);
      value = text.slice(equals + 2, end);
      next = text.indexOf(';', end);
    } else {
      next = text.indexOf(';', equals);
      value = text.slice(equals + 1, next === -1 ? undefined : next).trim();
    }
    yield [key, value];
    previous = key;
    if (next === -1) return;
    at = next + 1;
  }
}

function afterKey(key: string | undefined): string {
  return key === undefined ? '' : ` after ${key}`;
}

function portOf(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new SourceConfigError('the connectionString\'s Port must be a number from 1 to 65535');
  return port;
}

function tlsOf(encryption: string | undefined, validate: string | undefined): TlsChoice {
  const modes: Record<string, TlsChoice['mode']> = { '0': 'off', '1': 'require', '6': 'request' };
  const mode = encryption === undefined || encryption === '' ? 'off' : modes[encryption];
  if (mode === undefined) throw new SourceConfigError('the connectionString\'s EncryptionMethod must be 0 (no TLS), 1 (TLS) or 6 (TLS when the server offers it)');
  if (validate !== undefined && validate !== '' && validate !== '0' && validate !== '1') {
    throw new SourceConfigError('the connectionString\'s ValidateServerCertificate must be 0 or 1');
  }
  return { mode, validateCertificate: validate !== '0' };
}
