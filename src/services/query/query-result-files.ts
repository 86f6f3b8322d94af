import fs from 'node:fs';
import readline from 'node:readline';
import { hasShape } from '../../store/compiled-check.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { ResultRow } from '../../lake/query-job.js';
import type { StoredResult } from './query.schema.js';

/**
 * Results up to this many bytes of JSON stay in the metadata store, as they always did: most answers are a few
 * rows. Larger ones go to a file, so the store never holds megabytes per query.
 */
export const inlineResultBytes = 128 * 1024;

/** Rows are sent on in pieces of about this size, so a large answer is neither one huge string nor a write per row. */
const pieceBytes = 64 * 1024;

type Row = Record<string, unknown>;

/**
 * The files of results too large for the metadata store: `<data dir>/results/<query id>.ndjson`, one JSON row a
 * line, written by the query's worker (mode 0600). A page is read line by line, never the whole file.
 */
export class QueryResultFiles {
  constructor(private readonly layout: LakeLayout) {}

  fileOf(queryId: string): string {
    return this.layout.queryResultFile(queryId);
  }

  /** Rows `start` to `start + limit` of a result, or undefined when its file is gone (expired and swept). */
  async page(queryId: string, stored: StoredResult, start: number, limit: number): Promise<{ rows: Row[]; total: number } | undefined> {
    if ('rows' in stored) return { rows: stored.rows.slice(start, start + limit), total: stored.rows.length };
    const lines = await this.lines(queryId);
    if (!lines) return undefined;
    const rows: Row[] = [];
    let index = 0;
    try {
      for await (const line of lines) {
        // The file has `rowCount` lines; the page ends sooner when it is full.
        if (index >= start + limit) break;
        if (index >= start) rows.push(parseRow(line, queryId));
        index += 1;
      }
    } finally {
      lines.close();
    }
    return { rows, total: stored.rowCount };
  }

  /**
   * `answer` as JSON text with a `rows` array read from the query's file, in pieces: a large answer to the POST is
   * streamed from disk instead of being parsed and serialised again in the server. Undefined when the file is gone.
   */
  async answerWithRows(queryId: string, answer: Record<string, unknown>): Promise<AsyncIterable<string> | undefined> {
    const lines = await this.lines(queryId);
    if (!lines) return undefined;
    const head = JSON.stringify(answer);
    return (async function* pieces() {
      let piece = `${head.slice(0, -1)},"rows":[`;
      let first = true;
      try {
        for await (const line of lines) {
          piece += first ? line : `,${line}`;
          first = false;
          if (piece.length >= pieceBytes) {
            yield piece;
            piece = '';
          }
        }
      } finally {
        lines.close();
      }
      yield `${piece}]}`;
    })();
  }

  async remove(queryId: string): Promise<void> {
    await fs.promises.rm(this.fileOf(queryId), { force: true });
  }

  /** The file's lines, and `close`, which also closes the file when reading stops early. */
  private async lines(queryId: string): Promise<(AsyncIterable<string> & { close: () => void }) | undefined> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.fileOf(queryId), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const input = handle.createReadStream();
    const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    return {
      [Symbol.asyncIterator]: () => lines[Symbol.asyncIterator](),
      close: () => {
        lines.close();
        input.destroy();
      },
    };
  }
}

/** A line of a result file; the file is ours, but a file edited by hand must fail loudly. */
function parseRow(line: string, queryId: string): Row {
  const row: unknown = JSON.parse(line);
  if (!hasShape(ResultRow, row)) throw new Error(`a line of the result file of query ${queryId} is not a row`);
  return row;
}
