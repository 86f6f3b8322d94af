import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { endOfArchive, headerBlocks, padding } from './tar-header.js';

/** What was written for one entry, for the manifest. */
export interface WrittenEntry {
  bytes: number;
  sha256: string;
}

/** Files are copied in pieces of this size, so a large Parquet file is never held in memory whole. */
const chunkBytes = 1024 * 1024;

/**
 * Writes a tar archive, one entry after another, to a new file only its owner can read (it holds customer data
 * and, on request, the master key). The caller either calls `finish` or `abort`, which removes the file.
 */
export class TarWriter {
  private constructor(private readonly handle: fs.FileHandle, readonly file: string) {}

  /** Creates `file`; an existing file is an error, never overwritten. */
  static async create(file: string): Promise<TarWriter> {
    return new TarWriter(await fs.open(file, 'wx', 0o600), file);
  }

  async addBuffer(name: string, data: Buffer, modified: number): Promise<WrittenEntry> {
    await this.handle.write(headerBlocks(name, data.length, modified));
    await this.handle.write(data);
    await this.handle.write(padding(data.length));
    return { bytes: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
  }

  /**
   * Copies a file. Opening it comes first, so a file that is gone (ENOENT) leaves the archive untouched; one that
   * shrinks while it is read is an error, since its header already promised its size.
   */
  async addFile(name: string, source: string): Promise<WrittenEntry> {
    const input = await fs.open(source, 'r');
    try {
      const { size, mtimeMs } = await input.stat();
      await this.handle.write(headerBlocks(name, size, mtimeMs));
      const hash = crypto.createHash('sha256');
      const buffer = Buffer.alloc(Math.min(chunkBytes, Math.max(size, 1)));
      let copied = 0;
      while (copied < size) {
        const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, size - copied), copied);
        if (bytesRead === 0) throw new Error(`${source} shrank while it was copied into the backup`);
        const piece = buffer.subarray(0, bytesRead);
        hash.update(piece);
        await this.handle.write(piece);
        copied += bytesRead;
      }
      await this.handle.write(padding(size));
      return { bytes: size, sha256: hash.digest('hex') };
    } finally {
      await input.close();
    }
  }

  /** Ends the archive and makes sure it is on disk before anyone is told it exists. */
  async finish(): Promise<void> {
    await this.handle.write(endOfArchive);
    await this.handle.sync();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.file, { force: true });
  }
}
