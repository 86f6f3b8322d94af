import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Connection } from 'mysql2';
import type { MysqlSourceColumn } from './mysql-column-types.js';
import { chunkBytes, CsvChunk, fieldEncoders, writeCsvLine, type EncodingTally } from './staged-csv.js';

/** A query whose rows are staged: the SELECT (its columns in the readings' order) and its parameters. */
export interface StagedQuery {
  sql: string;
  values: unknown[];
}

/** What one staged query wrote. */
export interface StagedRows {
  rows: number;
  /** Bytes appended to the staging file. */
  bytes: number;
  /** The last row's raw values (the text protocol's bytes, or null), for the next page's keyset. */
  lastRow: (Buffer | null)[] | undefined;
  tally: EncodingTally;
}

/** How many rows mysql2 may hold before it stops reading from the socket (its stream's high-water mark). */
const rowsInFlight = 2_000;

/**
 * Streams one query's rows into `file` (appended) as CSV lines, in constant memory: mysql2 pauses the socket
 * while the file falls behind, so at most a few thousand rows are ever held. Every value arrives as the bytes
 * of MySQL's text protocol and is encoded as its column reading says; nothing becomes a JavaScript number or
 * Date on the way.
 *
 * A failure part-way leaves the lines written so far in the file; the caller discards the run's staging.
 * The connection is destroyed on failure (a half-read result cannot be abandoned politely).
 *
 * @example
 * const page = await stageQueryRows(connection, { sql: 'SELECT `id`, `name` FROM `orders` WHERE `id` > ? ORDER BY `id` LIMIT 50000', values: [0] }, readings, '/staging/rows.csv');
 * // { rows: 50000, bytes: 1834221, lastRow: [<Buffer 35 30 30 30 30>, …], tally: { zeroDates: 0 } }
 */
export async function stageQueryRows(connection: Connection, query: StagedQuery, columns: MysqlSourceColumn[], file: string): Promise<StagedRows> {
  const encode = fieldEncoders(columns);
  const tally: EncodingTally = { zeroDates: 0 };
  let rows = 0;
  let bytes = 0;
  let lastRow: (Buffer | null)[] | undefined;
  const chunk = new CsvChunk();
  const push = (stream: Transform): void => {
    bytes += chunk.length;
    stream.push(chunk.take());
  };
  const toCsv = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    transform(row: (Buffer | null)[], _encoding, done) {
      try {
        writeCsvLine(row, encode, chunk, tally);
        rows++;
        lastRow = row;
        if (chunk.length >= chunkBytes) push(this);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      if (chunk.length > 0) push(this);
      done();
    },
  });
  const source = connection
    .query({
      sql: query.sql,
      values: query.values,
      rowsAsArray: true,
      // The raw bytes of every value: the encoders decide, per column, what they mean.
      typeCast: (field) => field.buffer(),
    })
    .stream({ highWaterMark: rowsInFlight });
  try {
    await pipeline(source, toCsv, fs.createWriteStream(file, { flags: 'a' }));
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return { rows, bytes, lastRow, tally };
}
