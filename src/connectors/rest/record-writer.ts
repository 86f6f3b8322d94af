import fs from 'node:fs';
import type { ColumnDefinition } from './definition.js';
import type { StreamMetrics } from './stream-metrics.js';

/**
 * Writes a stream's records to a JSON-lines staging file as pages arrive, one flat row per record under the
 * stream's column names, so memory stays flat however large the account is and DuckDB reads the rows later.
 * Each row carries a sequence number that grows with recency, so a record read twice in one run keeps its
 * newest version, and `_deleted`, set for records an event log says were deleted.
 */
export class RecordWriter {
  private readonly out: fs.WriteStream;
  private sequence = 0;
  private failed: Error | undefined;

  constructor(readonly file: string, private readonly columns: ColumnDefinition[], private readonly known: Set<string> | null) {
    this.out = fs.createWriteStream(file, { flags: 'a' });
    this.out.on('error', (error) => (this.failed = error));
  }

  /** Writes one page of records; resolves when the file can take more (backpressure). */
  async write(records: Record<string, unknown>[], metrics: StreamMetrics, options: { newestFirst?: boolean; deleted?: boolean[] } = {}): Promise<void> {
    if (this.failed) throw this.failed;
    let chunk = '';
    for (const [index, record] of records.entries()) {
      for (const key of Object.keys(record)) {
        if (this.known && !this.known.has(key)) metrics.unknownFields[key] = (metrics.unknownFields[key] ?? 0) + 1;
      }
      // Read newest first (an event log), each later row is older: its sequence counts down.
      this.sequence += 1;
      const row: Record<string, unknown> = { __seq: options.newestFirst ? -this.sequence : this.sequence, _deleted: options.deleted?.[index] ?? false };
      for (const column of this.columns) row[column.name] = staged(valueAt(record, column.path), column);
      chunk += `${JSON.stringify(row)}\n`;
    }
    metrics.records += records.length;
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (this.failed) throw this.failed;
  }
}

function staged(value: unknown, column: ColumnDefinition): unknown {
  if (value === undefined || value === null) return null;
  if (column.epochSeconds && typeof value === 'number') return new Date(value * 1000).toISOString();
  // Nested values stay nested: DuckDB reads them into a JSON column as they are, with no second encoding.
  return value;
}

export function valueAt(record: unknown, path: string[]): unknown {
  let value = record;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
