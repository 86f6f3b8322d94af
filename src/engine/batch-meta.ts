import fs from 'node:fs';
import path from 'node:path';
import type { InputFile } from '../connectors/source-connector.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { sqlString } from '../mapping/sql-text.js';
import type { DuckDbSession } from '../lake/duckdb-session.js';
import type { RunOutcome } from './run-outcome.js';

// What a batch keeps under `_meta/` besides its rejected rows: deletions, its input files, the snapshot mark.

/**
 * The record ids of the deleted rows, mapped as the live rows are (the mapping says what `_id` is), for the
 * newest-version tables to hide. Without an `_id` mapping a deletion cannot be told apart: the run says so.
 */
export async function writeDeletions(duck: DuckDbSession, compiled: CompiledMapping, deletedRows: string, dir: string, outcome: RunOutcome): Promise<void> {
  if (!compiled.columns.includes('_id')) {
    outcome.notices = [...(outcome.notices ?? []), { code: 'INGEST-1601-200', message: `${outcome.deletedRecords} record(s) were deleted at the source, but the mapping writes no _id to tell which; they still show as they were` }];
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  await duck.run(`COPY (SELECT "_id" FROM (${compiled.select(deletedRows)}) WHERE "_id" IS NOT NULL) TO ${sqlString(path.join(dir, 'deletions_0.parquet'))} (FORMAT parquet)`);
}

/** One JSON line per file the batch was read from: enough to trace a row back to its source. */
export function writeInputManifest(dir: string, files: InputFile[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const lines = files.map((f) => JSON.stringify({ name: f.name ?? path.basename(f.path), size: f.bytes, ...(f.modifiedAt !== undefined ? { modified: new Date(f.modifiedAt).toISOString() } : {}) }));
  fs.writeFileSync(path.join(dir, 'input_files.json'), lines.length ? `${lines.join('\n')}\n` : '');
}

/** Marks a batch that holds its source's whole state: the newest-version tables start again from it. */
export function writeSnapshotMark(dir: string, runId: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'snapshot.json'), `${JSON.stringify({ complete: true, runId })}\n`);
}
