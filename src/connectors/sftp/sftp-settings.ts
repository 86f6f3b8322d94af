import { SourceConfigError } from '../source-connector.js';

/** AEP's SFTP connection spec: its id, and its two auth specs' names. */
export const sftpSpecId = 'b7bf2577-4520-42c9-bae9-cad01560f7bc';
export const sftpBasicAuthName = 'Basic Authentication for sftp';
export const sftpKeyAuthName = 'SSH PublicKey Authentication for sftp';

/** What a connection to one SFTP server needs, read from the base connection's auth params. */
export interface SftpSettings {
  host: string;
  port: number;
  userName: string;
  password?: string | undefined;
  /** The private key as the key file holds it (OpenSSH or PEM), decoded from `privateKeyContent`. */
  privateKey?: Buffer | undefined;
  passPhrase?: string | undefined;
  /** The folder every name is relative to: `folderPath`, or the user's login folder (`.`). */
  root: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it; when set, any other host key is refused. */
  hostKeyFingerprint?: string | undefined;
}

/**
 * The settings in the auth params AEP's SFTP auth specs take (host, port, userName, and password or
 * privateKeyContent with passPhrase, optional folderPath), plus Tributary's optional hostKeyFingerprint.
 * A missing or malformed one is named; a secret's value never is.
 */
export function sftpSettings(auth: Record<string, unknown>): SftpSettings {
  const text = (name: string) => (typeof auth[name] === 'string' && (auth[name] as string).trim() !== '' ? (auth[name] as string) : undefined);
  const host = text('host');
  const userName = text('userName') ?? text('username');
  if (!host) throw new SourceConfigError('the SFTP connection needs auth.params.host');
  if (!userName) throw new SourceConfigError('the SFTP connection needs auth.params.userName');
  const port = auth.port === undefined || auth.port === null ? 22 : Number(auth.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SourceConfigError('auth.params.port must be a whole number from 1 to 65535');
  const password = text('password');
  const keyContent = text('privateKeyContent');
  if (!password && !keyContent) throw new SourceConfigError('the SFTP connection needs auth.params.password, or privateKeyContent for SSH public key authentication');
  const folderPath = text('folderPath');
  const fingerprint = text('hostKeyFingerprint');
  if (fingerprint && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(fingerprint.trim())) {
    throw new SourceConfigError('auth.params.hostKeyFingerprint must be the SHA256 fingerprint as ssh-keygen -l prints it (SHA256: and 43 base64 characters)');
  }
  return {
    host,
    port,
    userName,
    password,
    privateKey: keyContent ? decodeKey(keyContent) : undefined,
    passPhrase: text('passPhrase'),
    root: folderPath ? (folderPath.replace(/\/+$/, '') || '/') : '.',
    hostKeyFingerprint: fingerprint?.trim().replace(/=$/, ''),
  };
}

/** `privateKeyContent` is the key file in base64 (as AEP takes it); a key pasted as is is taken too. */
function decodeKey(content: string): Buffer {
  if (content.includes('-----BEGIN')) return Buffer.from(content);
  const decoded = Buffer.from(content.replace(/\s+/g, ''), 'base64');
  if (!decoded.toString('latin1').includes('-----BEGIN')) {
    throw new SourceConfigError('auth.params.privateKeyContent is not a base64-encoded private key file (decoded, it should start with -----BEGIN … PRIVATE KEY-----)');
  }
  return decoded;
}

/** The path on the server of a name relative to the connection's root. */
export function serverPath(root: string, name: string): string {
  if (name === '') return root;
  if (root === '.') return name;
  return root === '/' ? `/${name}` : `${root}/${name}`;
}
