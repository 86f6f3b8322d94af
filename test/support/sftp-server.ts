import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2, { type Connection, type ParsedKey, type SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/** A fault the server plays on one file read: it breaks off after `afterBytes` of the file were sent. */
export interface ReadFault {
  /** `drop`: the TCP connection is destroyed; `stall`: the server stops answering that file's reads. */
  kind: 'drop' | 'stall';
  afterBytes: number;
  /** Only reads of this file (relative to the served folder); any file when absent. */
  file?: string;
}

export interface SftpUser {
  name: string;
  password?: string;
  /** The user's public key, OpenSSH format (`ssh-ed25519 AAAA…`). */
  publicKey?: string;
}

/**
 * A real SSH server (the `ssh2` package's server side) whose SFTP subsystem serves one temp folder as `/`, for
 * the SFTP source's tests: password and public-key users, paths whose reads are refused, and injected faults
 * (a dropped connection or a stalled read after some bytes). Folders are listed in pages of `pageSize`.
 */
export class TestSftpServer {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'sftp-served-'));
  readonly hostKey = utils.generateKeyPairSync('ed25519');
  /** Paths (relative to the root) whose OPEN or OPENDIR answers permission denied. */
  readonly denied = new Set<string>();
  /** Faults played in order, one per file read that matches. */
  faults: ReadFault[] = [];
  /** A fault played on every read (a server that never recovers); takes precedence over `faults`. */
  everyRead: ReadFault | undefined;
  /** Every OPEN of a file, by path relative to the root, in order. */
  readonly opened: string[] = [];
  pageSize = 100;
  port = 0;
  private readonly server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly users: SftpUser[]) {
    this.server = new Server({ hostKeys: [this.hostKey.private] }, (client) => this.serve(client));
  }

  static async start(users: SftpUser[]): Promise<TestSftpServer> {
    const server = new TestSftpServer(users);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', () => resolve()));
    server.port = (server.server.address() as { port: number }).port;
    return server;
  }

  /** The host key's fingerprint as `ssh-keygen -l` prints it. */
  get fingerprint(): string {
    const key = utils.parseKey(this.hostKey.public) as ParsedKey;
    return `SHA256:${crypto.createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
  }

  /** Writes a file below the root, with a modification time (s) when given. */
  write(name: string, content: string | Buffer, mtimeSeconds?: number): string {
    const file = path.join(this.root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (mtimeSeconds !== undefined) fs.utimesSync(file, mtimeSeconds, mtimeSeconds);
    return file;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private serve(client: Connection): void {
    const socket = (client as unknown as { _sock: Socket })._sock;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const user = this.users.find((u) => u.name === ctx.username);
      if (user && ctx.method === 'password' && user.password !== undefined && ctx.password === user.password) return ctx.accept();
      if (user && ctx.method === 'publickey' && user.publicKey) {
        const known = utils.parseKey(user.publicKey) as ParsedKey;
        if (ctx.key.algo === known.type && ctx.key.data.equals(known.getPublicSSH())) {
          if (!ctx.signature) return ctx.accept();
          if (ctx.blob && known.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.accept();
        }
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        acceptSession().on('sftp', (acceptSftp) => this.sftp(acceptSftp(), socket));
      });
    });
  }

  private sftp(sftp: SFTPWrapper, socket: Socket): void {
    const handles = new Map<number, { kind: 'file'; fd: number; name: string; sent: number; fault: ReadFault | undefined } | { kind: 'dir'; entries: string[]; folder: string }>();
    let next = 0;
    const handleOf = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
    const newHandle = (value: Parameters<typeof handles.set>[1]) => {
      const id = (next += 1);
      handles.set(id, value);
      const buffer = Buffer.alloc(4);
      buffer.writeUInt32BE(id, 0);
      return buffer;
    };
    const local = (requested: string) => {
      const relative = path.posix.normalize(`/${requested}`).replace(/^\/+/, '').replace(/\/+$/, '');
      return { relative: relative === '.' ? '' : relative, absolute: path.join(this.root, relative) };
    };
    const statOf = (absolute: string) => {
      const stat = fs.statSync(absolute);
      return { mode: stat.mode, uid: stat.uid, gid: stat.gid, size: stat.size, atime: Math.floor(stat.atimeMs / 1000), mtime: Math.floor(stat.mtimeMs / 1000) };
    };
    const onStat = (reqid: number, requested: string) => {
      const { absolute } = local(requested);
      if (!fs.existsSync(absolute)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
      return sftp.attrs(reqid, statOf(absolute));
    };
    sftp.on('REALPATH', (reqid, requested) => sftp.name(reqid, [{ filename: `/${local(requested).relative}`, longname: '', attrs: {} as never }]));
    sftp.on('STAT', onStat);
    sftp.on('LSTAT', onStat);
    sftp.on('FSTAT', (reqid, handle) => {
      const open = handleOf(handle);
      if (open?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
      const stat = fs.fstatSync(open.fd);
      return sftp.attrs(reqid, { mode: stat.mode, uid: stat.uid, gid: stat.gid, size: stat.size, atime: Math.floor(stat.atimeMs / 1000), mtime: Math.floor(stat.mtimeMs / 1000) });
    });
    sftp.on('OPEN', (reqid, requested, flags) => {
      const { relative, absolute } = local(requested);
      if (!(flags & OPEN_MODE.READ) || flags & OPEN_MODE.WRITE) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
      if (this.denied.has(relative)) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
      this.opened.push(relative);
      const queued = this.faults.findIndex((f) => f.file === undefined || f.file === relative);
      const fault = this.everyRead ?? (queued >= 0 ? this.faults.splice(queued, 1)[0] : undefined);
      return sftp.handle(reqid, newHandle({ kind: 'file', fd: fs.openSync(absolute, 'r'), name: relative, sent: 0, fault }));
    });
    sftp.on('READ', (reqid, handle, offset, length) => {
      const open = handleOf(handle);
      if (open?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
      const fault = open.fault;
      // A stalled read is never answered; a dropped one sends what it had left, then the connection goes.
      if (fault?.kind === 'stall' && open.sent >= fault.afterBytes) return undefined;
      const allowed = fault ? Math.max(0, fault.afterBytes - open.sent) : length;
      const buffer = Buffer.alloc(Math.min(length, allowed));
      const read = buffer.length === 0 ? 0 : fs.readSync(open.fd, buffer, 0, buffer.length, offset);
      if (read === 0 && fault && open.sent >= fault.afterBytes) {
        if (fault.kind === 'drop') socket.destroy();
        return undefined;
      }
      if (read === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      open.sent += read;
      return sftp.data(reqid, buffer.subarray(0, read));
    });
    sftp.on('OPENDIR', (reqid, requested) => {
      const { relative, absolute } = local(requested);
      if (this.denied.has(relative)) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
      return sftp.handle(reqid, newHandle({ kind: 'dir', entries: fs.readdirSync(absolute).sort(), folder: absolute }));
    });
    sftp.on('READDIR', (reqid, handle) => {
      const open = handleOf(handle);
      if (open?.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE);
      if (open.entries.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      const page = open.entries.splice(0, this.pageSize);
      return sftp.name(reqid, page.map((name) => ({ filename: name, longname: name, attrs: statOf(path.join(open.folder, name)) as never })));
    });
    sftp.on('CLOSE', (reqid, handle) => {
      const open = handleOf(handle);
      if (!open) return sftp.status(reqid, STATUS_CODE.FAILURE);
      if (open.kind === 'file') fs.closeSync(open.fd);
      handles.delete(handle.readUInt32BE(0));
      return sftp.status(reqid, STATUS_CODE.OK);
    });
  }
}

/** An RSA key pair in the PEM form AEP's SFTP docs show (`-----BEGIN RSA PRIVATE KEY-----`). */
export function rsaPemKeyPair(): { privateKeyContent: string; publicKey: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const parsed = utils.parseKey(privateKey) as ParsedKey;
  return { privateKeyContent: Buffer.from(privateKey).toString('base64'), publicKey: `ssh-rsa ${parsed.getPublicSSH().toString('base64')}` };
}

/** A key pair for a public-key user: the private key as a connection's base64 `privateKeyContent`, the public key for the server. */
export function userKeyPair(passphrase?: string): { privateKeyContent: string; publicKey: string } {
  const pair = passphrase ? utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 16 }) : utils.generateKeyPairSync('ed25519');
  return { privateKeyContent: Buffer.from(pair.private).toString('base64'), publicKey: pair.public };
}
