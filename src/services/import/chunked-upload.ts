import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../server/errors/api-error.js';
import type { BatchUploadFolder } from './batch-upload-folder.js';

/**
 * AEP's large-file upload: `?action=INITIALIZE` starts a file, `PATCH` with `Content-Range` writes one chunk
 * at its offset (in any order, a chunk may be sent again), `?action=COMPLETE` checks that every byte arrived
 * and makes it one of the batch's files. Until then the file waits in the batch's upload folder under
 * `partial/`, which completion of the batch never reads.
 */
export interface ChunkRange {
  start: number;
  /** Inclusive, as in `Content-Range`. */
  end: number;
  total: number;
}

interface Progress {
  total: number | null;
  /** Byte ranges received so far, inclusive, merged. */
  received: [number, number][];
}

function progressFile(folder: BatchUploadFolder, name: string): string {
  return `${folder.partialPath(name)}.progress.json`;
}

export function initializeFile(folder: BatchUploadFolder, name: string): void {
  fs.mkdirSync(path.dirname(folder.partialPath(name)), { recursive: true });
  fs.writeFileSync(folder.partialPath(name), '');
  writeProgress(folder, name, { total: null, received: [] });
}

/**
 * What has arrived of a file (HEAD): the byte ranges received so far and the size the chunks announced, or the
 * whole file once it is complete. Undefined when the batch has no such file.
 */
export function fileStatus(folder: BatchUploadFolder, name: string): { total: number | null; received: [number, number][]; complete: boolean } | undefined {
  const complete = folder.find(name);
  if (complete) return { total: complete.bytes, received: complete.bytes > 0 ? [[0, complete.bytes - 1]] : [], complete: true };
  if (!fs.existsSync(progressFile(folder, name))) return undefined;
  return { ...readProgress(folder, name), complete: false };
}

/**
 * The largest file a batch can take: AEP's largest batch (100 GB, "Batch ingestion constraints"). A chunk of a
 * larger file is refused before a byte is written, so a client's offset never makes a sparse file of terabytes.
 */
export const maxFileBytes = 100 * 1024 ** 3;

/**
 * `Content-Range: bytes <start>-<end>/<total>`. A header of another form, or a range backwards, is the client's
 * mistake (400); a range that reaches past the file's size, or a size past `maxFileBytes`, cannot be satisfied (416).
 */
export function parseContentRange(header: string | undefined): ChunkRange {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  const range = match ? { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) } : undefined;
  if (!range || range.start > range.end) {
    throw new ApiError('validation', 'a chunk needs Content-Range: bytes <start>-<end>/<total>, with start <= end < total', {
      problems: [{ in: 'header', path: 'content-range', message: header ? `"${header}" is not a byte range` : 'missing' }],
    });
  }
  if (range.total > maxFileBytes) throw unsatisfiable(`the file would be ${match?.[3] ?? ''} bytes long; a batch's file can be at most ${maxFileBytes} bytes (100 GiB)`);
  if (range.end >= range.total) throw unsatisfiable(`bytes ${range.start}-${range.end} reach past the end of a file of ${range.total} bytes`);
  return range;
}

function unsatisfiable(why: string): ApiError {
  return new ApiError('rangeNotSatisfiable', `The chunk cannot be stored: ${why}.`, { problems: [{ in: 'header', path: 'content-range', message: why }] });
}

/** Writes one chunk at its offset; the chunk counts only if its length matches its range. */
export async function writeChunk(folder: BatchUploadFolder, name: string, range: ChunkRange, body: AsyncIterable<Buffer | string>): Promise<void> {
  const progress = readProgress(folder, name);
  if (progress.total !== null && progress.total !== range.total) {
    throw unsatisfiable(`the file was declared ${progress.total} bytes long by its first chunk, this chunk says ${range.total}`);
  }
  const handle = await fs.promises.open(folder.partialPath(name), 'r+');
  let offset = range.start;
  try {
    for await (const piece of body) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (offset + bytes.length > range.end + 1) throw new ApiError('validation', `the chunk is longer than its range ${range.start}-${range.end}`);
      await handle.write(bytes, 0, bytes.length, offset);
      offset += bytes.length;
    }
  } finally {
    await handle.close();
  }
  if (offset !== range.end + 1) throw new ApiError('validation', `the chunk holds ${offset - range.start} bytes, its range ${range.start}-${range.end} says ${range.end - range.start + 1}`);
  writeProgress(folder, name, { total: range.total, received: merge([...progress.received, [range.start, range.end]]) });
}

/** Moves a fully received file among the batch's files; names the byte ranges still missing otherwise. */
export function completeFile(folder: BatchUploadFolder, name: string): void {
  const progress = readProgress(folder, name);
  const missing = gaps(progress);
  if (progress.total === null || missing.length > 0) {
    const what = progress.total === null ? 'no chunk has arrived' : `bytes ${missing.map(([a, b]) => `${a}-${b}`).join(', ')} of ${progress.total} are missing`;
    throw new ApiError('validation', `${name} is not complete: ${what}`, { problems: [{ in: 'path', path: 'filePath', message: what }] });
  }
  const file = folder.partialPath(name);
  fs.truncateSync(file, progress.total);
  folder.adopt(name, file);
  fs.rmSync(progressFile(folder, name), { force: true });
}

function readProgress(folder: BatchUploadFolder, name: string): Progress {
  try {
    return JSON.parse(fs.readFileSync(progressFile(folder, name), 'utf8')) as Progress;
  } catch {
    throw new ApiError('validation', `${name} was not initialized; start with POST …/files/${name}?action=INITIALIZE`, { problems: [{ in: 'path', path: 'filePath', message: 'not initialized' }] });
  }
}

function writeProgress(folder: BatchUploadFolder, name: string, progress: Progress): void {
  fs.writeFileSync(progressFile(folder, name), JSON.stringify(progress));
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

function gaps(progress: Progress): [number, number][] {
  if (progress.total === null) return [];
  const out: [number, number][] = [];
  let next = 0;
  for (const [start, end] of progress.received) {
    if (start > next) out.push([next, start - 1]);
    next = Math.max(next, end + 1);
  }
  if (next < progress.total) out.push([next, progress.total - 1]);
  return out;
}
