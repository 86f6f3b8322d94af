import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { QuerySession, type QueryResult } from '../../lake/query-session.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository, type Scope } from '../../store/resources.repository.js';
import { datasetTables } from './dataset-tables.js';

/** Defaults shared by the HTTP endpoint and the CLI. */
export const queryLimits = {
  /** Rows kept from a result unless the caller asks for fewer. */
  rows: 10_000,
  timeoutMs: 30_000,
} as const;

export interface RunQueryDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
}

export interface QueryAnswer extends QueryResult {
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
 * Runs one read-only statement over the datasets of a sandbox (see `datasetTables` and `QuerySession`).
 * Throws `QueryError` for anything the caller must fix.
 */
export async function runQuery(
  deps: RunQueryDeps,
  scope: Scope & { sandboxName: string },
  sql: string,
  limits: { rows: number; timeoutMs: number } = queryLimits,
): Promise<QueryAnswer> {
  const tables = await datasetTables(new ResourcesRepository(deps.db), deps.layout, scope, nameIn(sql));
  // Its own spill folder: concurrent DuckDB instances must not share temporary file names.
  const tempDirectory = path.join(deps.layout.tempDir(), `query-${crypto.randomUUID()}`);
  try {
    const session = await QuerySession.open(tables, { tempDirectory, timeoutMs: limits.timeoutMs });
    try {
      const result = await session.run(sql, limits.rows);
      const named = new Set(result.tables);
      return { ...result, dataSetIds: tables.filter((t) => named.has(t.name)).map((t) => t.dataSetId) };
    } finally {
      session.close();
    }
  } finally {
    fs.rmSync(tempDirectory, { recursive: true, force: true });
  }
}
