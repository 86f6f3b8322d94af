import fs from 'node:fs/promises';
import { blockSize, checksum, parsePaxRecords } from './tar-header.js';

/** One regular file of an archive; `chunks` reads its content (once, before the next entry is asked for). */
export interface TarEntry {
  name: string;
  size: number;
  chunks(): AsyncGenerator<Buffer>;
}

/** The archive cannot be read as a tar: truncated, damaged, or not a tar at all. */
export class DamagedArchiveError extends Error {
  constructor(file: string, reason: string) {
    super(`${file} is not a complete backup archive: ${reason}`);
    this.name = 'DamagedArchiveError';
  }
}

const chunkBytes = 1024 * 1024;
/** pax headers here hold a path and a size; anything near this is not one of ours. */
const maxPaxBytes = 64 * 1024;

/**
 * Reads the regular files of a tar archive in order. Every header's checksum is verified, and an archive that
 * ends before its end marker, or whose last entry is cut short, is an error rather than a shorter list.
 */
export async function* readTar(file: string): AsyncGenerator<TarEntry> {
  const handle = await fs.open(file, 'r');
  try {
    const { size: archiveSize } = await handle.stat();
    const damaged = (reason: string) => new DamagedArchiveError(file, reason);
    const readBlock = async (offset: number): Promise<Buffer> => {
      const block = Buffer.alloc(blockSize);
      const { bytesRead } = await handle.read(block, 0, blockSize, offset);
      if (bytesRead === 0) throw damaged('it ends before its end marker (truncated?)');
      if (bytesRead < blockSize) throw damaged('it ends in the middle of a header (truncated?)');
      return block;
    };
    let offset = 0;
    let pax: Record<string, string> = {};
    for (;;) {
      const header = await readBlock(offset);
      if (header.every((byte) => byte === 0)) return;
      const stored = octal(header, 148, 8);
      if (stored !== checksum(header)) throw damaged(`the header at byte ${offset} has a wrong checksum`);
      const type = String.fromCharCode(header[156] ?? 0);
      const declared = octal(header, 124, 12);
      if (declared === undefined) throw damaged(`the header at byte ${offset} has no readable size`);
      const size = type === '0' || type === '\0' ? Number(pax.size ?? declared) : declared;
      if (!Number.isSafeInteger(size) || size < 0) throw damaged(`the header at byte ${offset} has no readable size`);
      const bodyStart = offset + blockSize;
      const next = bodyStart + Math.ceil(size / blockSize) * blockSize;
      if (next > archiveSize) throw damaged('its last entry is cut short (truncated?)');
      if (type === 'x' || type === 'g') {
        if (size > maxPaxBytes) throw damaged(`the pax header at byte ${offset} is too large`);
        const body = Buffer.alloc(size);
        await handle.read(body, 0, size, bodyStart);
        let records: Record<string, string>;
        try {
          records = parsePaxRecords(body);
        } catch (error) {
          throw damaged((error as Error).message);
        }
        // A global header would apply to every later entry; ours never write one, so it is only read past.
        if (type === 'x') pax = records;
      } else if (type === '0' || type === '\0') {
        const name = pax.path ?? ustarName(header);
        pax = {};
        let consumed = false;
        yield {
          name,
          size,
          chunks: async function* () {
            if (consumed) throw new Error(`the content of ${name} was read already`);
            consumed = true;
            const buffer = Buffer.alloc(Math.min(chunkBytes, Math.max(size, 1)));
            for (let done = 0; done < size; ) {
              const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - done), bodyStart + done);
              if (bytesRead === 0) throw damaged(`${name} is cut short`);
              done += bytesRead;
              yield Buffer.from(buffer.subarray(0, bytesRead));
            }
          },
        };
      } else if (type === '5') {
        pax = {};
      } else {
        throw damaged(`it holds an entry of type "${type}" at byte ${offset}; a backup holds only regular files`);
      }
      offset = next;
    }
  } finally {
    await handle.close();
  }
}

/** A NUL- or space-terminated octal field; undefined when it is not one. */
function octal(block: Buffer, offset: number, length: number): number | undefined {
  const text = block.subarray(offset, offset + length).toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '');
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function ustarName(header: Buffer): string {
  const field = (offset: number, length: number) => {
    const raw = header.subarray(offset, offset + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString('utf8');
  };
  const name = field(0, 100);
  const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? field(345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}
