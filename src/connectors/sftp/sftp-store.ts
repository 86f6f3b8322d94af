import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { Client, type FileEntry, type SFTPWrapper, type Stats } from 'ssh2';
import { SourceConfigError, SourceTransientError } from '../source-connector.js';
import type { RemoteEntry, RemoteFileStore, RemoteListing } from '../remote-files/remote-file-store.js';
import { serverPath, sftpSettings, type SftpSettings } from './sftp-settings.js';

/**
 * How long connecting (TCP, handshake and authentication) may take, and how long any one SFTP request other than a
 * file read may go unanswered (reads have the fetch's stall timeout). Either failing is the server being unreachable.
 */
export const defaultSftpTimeouts: SftpTimeouts = { connectMs: 20_000, requestMs: 60_000 };

export interface SftpTimeouts {
  connectMs: number;
  requestMs: number;
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02) a store tells apart. */
const noSuchFile = 2;
const permissionDenied = 3;
const endOfFile = 1;

const fileType = 0o170000;
const directory = 0o040000;
const regularFile = 0o100000;
const symbolicLink = 0o120000;

/**
 * Connects to the SFTP server the auth params name and opens an SFTP session: the `OpenRemoteFileStore` of the
 * SFTP source. Refused credentials, an unknown host, a key that cannot be read and a host key that is not the
 * pinned one are `SourceConfigError`s naming the param to fix.
 */
export function sftpStoreOpener(timeouts: SftpTimeouts = defaultSftpTimeouts) {
  return async (auth: Record<string, unknown>): Promise<RemoteFileStore> => {
    const settings = sftpSettings(auth);
    const client = new Client();
    let seenFingerprint: string | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve());
        client.once('error', reject);
        client.connect({
          host: settings.host,
          port: settings.port,
          username: settings.userName,
          ...(settings.password ? { password: settings.password } : {}),
          ...(settings.privateKey ? { privateKey: settings.privateKey } : {}),
          ...(settings.passPhrase ? { passphrase: settings.passPhrase } : {}),
          readyTimeout: timeouts.connectMs,
          // Without a pinned fingerprint any host key is taken, as AEP does; with one, only that key.
          hostVerifier: (key: Buffer) => {
            seenFingerprint = `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
            return settings.hostKeyFingerprint === undefined || settings.hostKeyFingerprint === seenFingerprint;
          },
        });
      });
    } catch (error) {
      client.end();
      throw connectFailure(error, settings, seenFingerprint);
    }
    // Errors after this point fail the request under way (the connector retries it); the client must not throw them.
    client.on('error', () => undefined);
    try {
      const sftp = await withTimeout<SFTPWrapper>('opening the SFTP session', timeouts.requestMs, (done) => client.sftp(done));
      sftp.on('error', () => undefined);
      return new SftpStore(client, sftp, settings, timeouts);
    } catch (error) {
      client.end();
      throw new SourceConfigError(`the SSH server at ${settings.host}:${settings.port} accepted user "${settings.userName}" but would not start SFTP for it (${message(error)}): check that the account may use SFTP`);
    }
  };
}

class SftpStore implements RemoteFileStore {
  private handles = new Map<string, Buffer>();
  private pages = 0;

  constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
    private readonly settings: SftpSettings,
    private readonly timeouts: SftpTimeouts,
  ) {}

  async list(folder: string, next: string | undefined): Promise<RemoteListing> {
    const where = serverPath(this.settings.root, folder);
    let handle = next === undefined ? undefined : this.handles.get(next);
    if (next !== undefined) this.handles.delete(next);
    if (!handle) {
      handle = await this.request<Buffer>(`opening folder "${folder || '/'}"`, (done) => this.sftp.opendir(where, done)).catch((error: unknown) => {
        throw this.pathFailure(error, folder, 'list');
      });
    }
    const opened = handle;
    const chunk = await this.request<FileEntry[] | false>(`listing "${folder || '/'}"`, (done) =>
      this.sftp.readdir(opened, (error, list) => (isStatus(error, endOfFile) ? done(undefined, false) : done(error, list))),
    ).catch((error: unknown) => {
      this.sftp.close(opened, () => undefined);
      throw this.pathFailure(error, folder, 'list');
    });
    if (chunk === false) {
      this.sftp.close(opened, () => undefined);
      return { entries: [] };
    }
    const entries: RemoteEntry[] = [];
    for (const item of chunk) {
      if (item.filename === '.' || item.filename === '..') continue;
      const name = folder === '' ? item.filename : `${folder}/${item.filename}`;
      let attrs: Stats | undefined = item.attrs as Stats;
      // A link is shown as what it points at; one that points nowhere is left out.
      if ((attrs.mode & fileType) === symbolicLink) attrs = await this.statOf(name).catch(() => undefined);
      const entry = attrs && entryOf(name, attrs);
      if (entry) entries.push(entry);
    }
    const token = `page-${(this.pages += 1)}`;
    this.handles.set(token, opened);
    return { entries, next: token };
  }

  async stat(name: string): Promise<RemoteEntry | undefined> {
    try {
      const attrs = await this.statOf(name);
      return entryOf(name, attrs);
    } catch (error) {
      if (isStatus(error, noSuchFile)) return undefined;
      throw this.pathFailure(error, name, 'read');
    }
  }

  async read(name: string, offset: number): Promise<Readable> {
    const where = serverPath(this.settings.root, name);
    const handle = await this.request<Buffer>(`opening "${name}"`, (done) => this.sftp.open(where, 'r', done)).catch((error: unknown) => {
      // It was there when the run listed it: removed since, which another run will see.
      if (isStatus(error, noSuchFile)) throw new SourceTransientError(`"${name}" was removed from the SFTP server while the run read it; re-trigger the run`);
      throw this.pathFailure(error, name, 'read');
    });
    const stream = this.sftp.createReadStream(where, { handle, start: offset, autoClose: true });
    // Closing the handle of a stream whose connection dropped fails again after the reader has let go of it.
    stream.on('error', () => undefined);
    return stream;
  }

  async check(): Promise<void> {
    const root = await this.statOf('').catch((error: unknown) => {
      throw this.pathFailure(error, '', 'list');
    });
    if ((root.mode & fileType) !== directory) throw new SourceConfigError(`folderPath "${this.settings.root}" is a file on the SFTP server, not a folder: set folderPath to a folder`);
    const handle = await this.request<Buffer>('opening the root folder', (done) => this.sftp.opendir(this.settings.root, done)).catch((error: unknown) => {
      throw this.pathFailure(error, '', 'list');
    });
    this.sftp.close(handle, () => undefined);
  }

  async close(): Promise<void> {
    this.handles.clear();
    this.client.end();
  }

  private statOf(name: string): Promise<Stats> {
    return this.request<Stats>(`looking up "${name || '/'}"`, (done) => this.sftp.stat(serverPath(this.settings.root, name), done));
  }

  private request<T>(what: string, call: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return withTimeout(what, this.timeouts.requestMs, call);
  }

  /** A missing or forbidden path is the user's to fix, named; anything else is passed on for the connector to retry. */
  private pathFailure(error: unknown, name: string, action: 'read' | 'list'): unknown {
    const shown = name === '' ? (this.settings.root === '.' ? `the login folder of "${this.settings.userName}"` : `folderPath "${this.settings.root}"`) : `"${name}"`;
    if (isStatus(error, noSuchFile)) {
      return new SourceConfigError(
        name === '' ? `${shown} does not exist on the SFTP server: set folderPath to an existing folder` : `${shown} does not exist under the connection's root on the SFTP server: check params.path`,
      );
    }
    if (isStatus(error, permissionDenied)) {
      return new SourceConfigError(`the SFTP server does not let user "${this.settings.userName}" ${action} ${shown} (permission denied): grant the user read access, or leave it out of params.path`);
    }
    return error;
  }
}

function entryOf(name: string, attrs: Stats): RemoteEntry | undefined {
  const type = attrs.mode & fileType;
  if (type === directory) return { type: 'folder', name, bytes: 0, modifiedAt: attrs.mtime * 1000 };
  if (type === regularFile) return { type: 'file', name, bytes: attrs.size, modifiedAt: attrs.mtime * 1000 };
  return undefined;
}

/** Why connecting failed, as the user can act on it; never the password or key. */
function connectFailure(error: unknown, settings: SftpSettings, seenFingerprint: string | undefined): Error {
  const where = `${settings.host}:${settings.port}`;
  const code = (error as { code?: unknown }).code;
  const level = (error as { level?: unknown }).level;
  const text = message(error);
  if (level === 'client-authentication') {
    const what = settings.privateKey ? 'the key in privateKeyContent' : 'the password';
    return new SourceConfigError(`the SFTP server at ${where} refused user "${settings.userName}" with ${what}: check userName and ${settings.privateKey ? 'privateKeyContent (and that its public key is authorised on the server)' : 'password'}`);
  }
  if (code === 'ENOTFOUND') return new SourceConfigError(`the host "${settings.host}" is not known (no DNS record): check host`);
  if (/verification failed|host denied/i.test(text)) {
    return new SourceConfigError(`the SFTP server at ${where} showed host key ${seenFingerprint ?? '(none)'}, not the pinned hostKeyFingerprint: check host, or update hostKeyFingerprint if the server's key was changed on purpose`);
  }
  if (/privateKey|passphrase/i.test(text)) {
    return new SourceConfigError(
      /passphrase/i.test(text) ? 'privateKeyContent is encrypted and passPhrase does not open it: check passPhrase' : 'privateKeyContent cannot be read as a private key (OpenSSH or PEM, RSA, ECDSA or ed25519): check it is the base64 of the key file',
    );
  }
  // The server may be restarting: not the user's to fix yet, so a run retries it (and says what to check when it gives up).
  if (code === 'ECONNREFUSED') return new Error(`nothing accepts connections at ${where}: check host and port, and that the SFTP server is running`);
  if (/timed out/i.test(text) || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'EAI_AGAIN') {
    return new Error(`${where} did not answer in time (${text}); check host and port, and that a firewall lets this machine reach it`);
  }
  return new Error(`connecting to ${where} failed: ${text}`);
}

function withTimeout<T>(what: string, timeoutMs: number, call: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} got no answer for ${timeoutMs} ms`)), timeoutMs);
    call((error, value) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as T);
    });
  });
}

function isStatus(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
