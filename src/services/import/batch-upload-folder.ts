import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** A file of a batch, by the name the client gave it. */
export interface UploadedFile {
  name: string;
  /** Where its bytes are on disk: a name Tributary chose, never the client's. */
  path: string;
  bytes: number;
  modifiedAt: number;
}

/**
 * The files uploaded into one batch. A client's file name is kept as data, never used as a path: each file is
 * stored under a digest of its name (with the name's extension, which DuckDB reads compression from), and the
 * name itself is written beside it. So any name AEP allows (spaces, unicode, `%`, `*`, `[`, folders) can be
 * stored, listed and read by DuckDB, which would otherwise take `*` and `[` for glob patterns.
 *
 *   files/<key><ext>          complete files
 *   names/<key>.json          {"name": ...} of each file
 *   partial/<key>…            large files still arriving in chunks (see chunked-upload.ts)
 */
export class BatchUploadFolder {
  constructor(readonly root: string) {}

  /** Stores a whole file from a stream; a PUT of a name that exists replaces it, as AEP's PUT is idempotent. */
  async put(name: string, body: NodeJS.ReadableStream): Promise<UploadedFile> {
    const target = this.dataPath(name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Written aside and renamed: an upload that breaks off never leaves half a file among the batch's files.
    const temp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    try {
      await pipeline(body, fs.createWriteStream(temp));
      this.adopt(name, temp);
    } finally {
      fs.rmSync(temp, { force: true });
    }
    return this.find(name) as UploadedFile;
  }

  /** Makes a fully written file one of the batch's files, under `name`. */
  adopt(name: string, file: string): void {
    this.writeName(name);
    fs.mkdirSync(path.dirname(this.dataPath(name)), { recursive: true });
    fs.renameSync(file, this.dataPath(name));
  }

  /** The batch's complete files, sorted by name. */
  list(): UploadedFile[] {
    const names = path.join(this.root, 'names');
    const entries = fs.existsSync(names) ? fs.readdirSync(names).filter((f) => f.endsWith('.json')) : [];
    const files: UploadedFile[] = [];
    for (const entry of entries) {
      const name = this.readName(path.join(names, entry));
      const found = name === undefined ? undefined : this.find(name);
      if (found) files.push(found);
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  find(name: string): UploadedFile | undefined {
    const file = this.dataPath(name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat?.isFile() ? { name, path: file, bytes: stat.size, modifiedAt: stat.mtimeMs } : undefined;
  }

  /** Where a large file's chunks and progress are kept until it is complete. */
  partialPath(name: string): string {
    return path.join(this.root, 'partial', key(name));
  }

  /**
   * When anything was last written here (a file, a chunk, a chunk's progress), in epoch ms; undefined without an
   * upload. The folder holds `files/`, `names/` and `partial/`, each flat, so two levels are all there is to look at.
   */
  lastWrittenAt(): number | undefined {
    const mtime = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    let latest = mtime(this.root);
    if (latest === undefined) return undefined;
    for (const part of ['files', 'names', 'partial']) {
      const dir = path.join(this.root, part);
      const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      for (const file of [dir, ...entries.map((entry) => path.join(dir, entry))]) latest = Math.max(latest, mtime(file) ?? 0);
    }
    return latest;
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private dataPath(name: string): string {
    return path.join(this.root, 'files', `${key(name)}${extension(name)}`);
  }

  private writeName(name: string): void {
    const file = path.join(this.root, 'names', `${key(name)}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ name }));
  }

  private readName(file: string): string | undefined {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && typeof (parsed as { name?: unknown }).name === 'string' ? (parsed as { name: string }).name : undefined;
    } catch {
      return undefined;
    }
  }
}

function key(name: string): string {
  return crypto.createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 40);
}

/** `.json`, `.csv.gz`: what DuckDB tells formats and compression by. Anything odd is left out. */
function extension(name: string): string {
  const match = /((?:\.[A-Za-z0-9]{1,10}){1,2})$/.exec(path.posix.basename(name));
  return match?.[1]?.toLowerCase() ?? '';
}
