import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { LakeLayout } from '../../lake/lake-layout.js';
import type { WorkerDone } from '../../lake/query-job.js';
import type { QueryWorkers } from '../../lake/query-workers.js';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import { datasetTables } from './dataset-tables.js';
import { jobBounds, type QueryLimits } from './query-limits.js';

export interface RunQueryDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  workers: QueryWorkers;
}

export interface QueryRunOptions {
  /** Rows to keep at most (the request's `limit`). */
  rows: number;
  limits: QueryLimits;
  /** Where a result larger than `inlineBytes` is written; without it every row comes back in the answer. */
  resultFile?: string;
  inlineBytes?: number;
  /** Aborting it ends the query's worker: the query rejects with `QueryError('cancelled')`. */
  signal?: AbortSignal;
  /** Called once the tables are known, just before the query goes to its worker. */
  onStart?: () => Promise<void>;
}

export interface QueryAnswer extends Omit<WorkerDone, 'type' | 'tables'> {
  /** The datasets whose tables the statement names. */
  dataSetIds: string[];
}

/**
 * Whether a statement can name a table: its name appears in the text as a word, in any letter case (DuckDB matches
 * identifiers so) and quoted or not. A table it cannot name needs no view; one named only in a comment or a string
 * merely gets a view it does not use.
 */
function nameIn(sql: string): (name: string) => boolean {
  const text = sql.toLowerCase();
  // A statement about the catalog itself (SHOW TABLES, information_schema, ...) sees every table.
  if (/\bshow\b|information_schema|pg_catalog|duckdb_(tables|views|columns)|\bpg_tables\b/.test(text)) return () => true;
  return (name) => {
    const escaped = name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^a-z0-9_$])${escaped}($|[^a-z0-9_$])`).test(text);
  };
}

/**
 * Runs one read-only statement over the datasets of a sandbox (see `datasetTables` and `QuerySession`) in a query
 * worker process. Throws `QueryError` for anything the caller must fix, and when the query is cancelled.
 */
export async function runQuery(deps: RunQueryDeps, scope: Scope & { sandboxName: string }, sql: string, options: QueryRunOptions): Promise<QueryAnswer> {
  const tables = await datasetTables(deps.db, deps.layout, scope, nameIn(sql));
  await options.onStart?.();
  // Its own spill folder: concurrent DuckDB instances must not share temporary file names.
  const tempDirectory = path.join(deps.layout.tempDir(), `query-${crypto.randomUUID()}`);
  try {
    const done = await deps.workers.run(
      {
        tables,
        sql,
        maxRows: options.rows,
        ...jobBounds(options.limits),
        inlineBytes: options.inlineBytes ?? 0,
        ...(options.resultFile !== undefined ? { resultFile: options.resultFile } : {}),
        tempDirectory,
      },
      options.signal ? { signal: options.signal } : {},
    );
    const { type: _type, tables: named, ...answer } = done;
    const names = new Set(named);
    return { ...answer, dataSetIds: tables.filter((t) => names.has(t.name)).map((t) => t.dataSetId) };
  } finally {
    // The worker is idle or gone by now (a killed one is waited for), so nothing writes here any more.
    await fs.promises.rm(tempDirectory, { recursive: true, force: true });
  }
}
