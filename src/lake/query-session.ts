import fs from 'node:fs';
import type { DuckDBConnection, DuckDBInstance, Json } from '@duckdb/node-api';
import { createDuckDbInstance } from './duckdb-session.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import { QueryError } from './query-error.js';
import type { QueryColumn, QueryTable } from './query-job.js';
import { prepareReadOnly } from './read-only-statement.js';

export type { QueryColumn, QueryTable } from './query-job.js';

export interface QuerySessionOptions {
  /** Where DuckDB may spill a large sort or join. */
  tempDirectory: string;
  /** DuckDB has no statement timeout: the session interrupts a statement still running after this long. */
  timeoutMs: number;
  memoryLimit?: string;
  threads?: number;
  /** The most DuckDB may spill to `tempDirectory`, e.g. `2048MB`. */
  maxTempDirectorySize?: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  /** JSON-safe values as DuckDB renders them: BIGINT, DECIMAL and timestamps as strings, structs as objects. */
  rows: Record<string, Json>[];
  /** More rows were there than `maxRows`, or than fit in `maxBytes`; the rest were not read. */
  truncated: boolean;
  /** Which bound cut the result, when one did. */
  limitedBy?: 'rows' | 'bytes';
  /** The kept rows as JSON, in UTF-8 bytes (one `JSON.stringify` per row, without separators). */
  bytes: number;
  /** The tables (of those given) the statement names. */
  tables: string[];
}

/**
 * The newest row of each record: the row of the latest batch (and, within it, the last file and row) wins,
 * unless that batch or a later one deleted the record.
 */
function latestVersions(files: string[], versions: NonNullable<QueryTable['versions']>): string {
  const ordered = (pick: (batch: { files: string[]; deletions: string[] }) => string[]) =>
    versions.batches.flatMap((batch, index) => pick(batch).map((file) => `(${sqlString(file)}, ${index})`)).join(', ');
  const deletionFiles = versions.batches.flatMap((batch) => batch.deletions);
  const key = sqlIdentifier(versions.key);
  const read = (list: string[], extra: string) => `read_parquet([${list.map(sqlString).join(', ')}]${extra})`;
  const rows = `SELECT r.*, o.batch_order AS __batch FROM ${read(files, ', union_by_name = true, filename = true, file_row_number = true')} r JOIN (VALUES ${ordered((b) => b.files)}) o(file, batch_order) ON r.filename = o.file QUALIFY row_number() OVER (PARTITION BY r.${key} ORDER BY o.batch_order DESC, r.filename DESC, r.file_row_number DESC) = 1`;
  const gone =
    deletionFiles.length === 0
      ? ''
      : ` WHERE NOT EXISTS (SELECT 1 FROM ${read(deletionFiles, ', filename = true')} g JOIN (VALUES ${ordered((b) => b.deletions)}) d(file, batch_order) ON g.filename = d.file WHERE g.${key} = l.${key} AND d.batch_order >= l.__batch)`;
  return `SELECT * EXCLUDE (filename, file_row_number, __batch) FROM (${rows}) l${gone}`;
}

/**
 * A locked-down DuckDB database for one query: one view per table, then no file access beyond those views'
 * own files (`allowed_paths` + `enable_external_access = false`, locked so SQL cannot undo it), and only
 * single read-only statements (see `prepareReadOnly`). Views are bound when the query runs, so they keep
 * reading their files under the lock; `read_csv('/etc/passwd')`, ATTACH, COPY, INSTALL and LOAD do not.
 *
 * @example
 * const session = await QuerySession.open([{ name: 'payments', files: ['/lake/…/data_0.parquet'] }], { tempDirectory, timeoutMs: 30_000 });
 * try {
 *   const { rows } = await session.run('SELECT count(*) AS n FROM payments', 10_000);
 * } finally {
 *   session.close();
 * }
 */
export class QuerySession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly tables: QueryTable[],
    private readonly timeoutMs: number,
  ) {}

  static async open(tables: QueryTable[], options: QuerySessionOptions): Promise<QuerySession> {
    fs.mkdirSync(options.tempDirectory, { recursive: true, mode: 0o700 });
    const instance = await createDuckDbInstance(options);
    const connection = await instance.connect();
    const session = new QuerySession(instance, connection, tables, options.timeoutMs);
    try {
      await connection.run("SET TimeZone = 'UTC'");
      const files = [...new Set(tables.flatMap((t) => [...t.files, ...(t.versions?.batches.flatMap((b) => b.deletions) ?? [])]))];
      for (const table of tables) {
        if (table.files.length === 0) continue;
        const view = table.versions ? latestVersions(table.files, table.versions) : `SELECT * FROM read_parquet([${table.files.map(sqlString).join(', ')}], union_by_name = true)`;
        try {
          await connection.run(`CREATE VIEW ${sqlIdentifier(table.name)} AS ${view}`);
        } catch (error) {
          // A dataset whose rows have no record id has no newest version of a record: it keeps only its history table.
          if (!table.versions) throw error;
        }
      }
      if (files.length > 0) await connection.run(`SET allowed_paths = [${files.map(sqlString).join(', ')}]`);
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  /**
   * Runs one read-only statement and keeps at most `maxRows` rows of its result, and only as many as fit in
   * `maxBytes` of JSON: a result of a few huge values is cut as surely as one of many rows.
   */
  async run(sql: string, maxRows: number, maxBytes = Number.POSITIVE_INFINITY): Promise<QueryResult> {
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
    }, this.timeoutMs);
    try {
      const prepared = await prepareReadOnly(this.connection, sql);
      // Streaming: DuckDB computes a chunk at a time and stops when reading stops, so a huge result is never built.
      const result = await prepared.stream();
      const names = uniqueNames(result.columnNames());
      const columns = result.columnTypes().map((type, i) => ({ name: names[i] ?? `column${i}`, type: type.toString() }));
      const rows: Record<string, Json>[] = [];
      let bytes = 0;
      let limitedBy: QueryResult['limitedBy'];
      read: for await (const chunk of result.yieldRowsJson()) {
        for (const values of chunk) {
          if (rows.length >= maxRows) {
            limitedBy = 'rows';
            break read;
          }
          const row = Object.fromEntries(names.map((name, i) => [name, values[i] ?? null]));
          const size = Buffer.byteLength(JSON.stringify(row));
          if (bytes + size > maxBytes) {
            limitedBy = 'bytes';
            break read;
          }
          rows.push(row);
          bytes += size;
        }
      }
      // Only now: another statement on this connection ends the streamed result.
      return { columns, rows, truncated: limitedBy !== undefined, ...(limitedBy ? { limitedBy } : {}), bytes, tables: await this.referencedTables(sql) };
    } catch (error) {
      if (timedOut) throw new QueryError('timeout', `The query ran longer than ${Math.round(this.timeoutMs / 1000)} s and was cancelled.`, sql);
      if (error instanceof QueryError) throw error.kind === 'sql' ? new QueryError('sql', this.explain(error.message), sql) : error;
      const message = error instanceof Error ? error.message : String(error);
      // DuckDB's memory_limit and max_temp_directory_size both end a statement with this error class.
      if (/^Out of Memory Error/i.test(message)) throw new QueryError('memory', message, sql);
      throw new QueryError('sql', this.explain(message), sql);
    } finally {
      clearTimeout(deadline);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** The given tables a statement names, read from DuckDB's own parse tree (its table-name API sees through views). */
  private async referencedTables(sql: string): Promise<string[]> {
    try {
      const reader = await this.connection.runAndReadAll(`SELECT json_serialize_sql(${sqlString(sql)}) AS tree`);
      const named = new Set<string>();
      collectTableNames(JSON.parse(String(reader.getRowsJson()[0]?.[0])), named);
      return this.tables.filter((t) => named.has(t.name.toLowerCase())).map((t) => t.name);
    } catch {
      // Only a link in the answer depends on this; a statement DuckDB cannot serialise simply names none.
      return [];
    }
  }

  /** "Table does not exist" for a dataset without data would mislead: say why the table is missing. */
  private explain(message: string): string {
    const missing = /Table with name (\S+) does not exist/i.exec(message)?.[1]?.replace(/^"|"$/g, '').toLowerCase();
    const empty = this.tables.find((t) => t.files.length === 0 && t.name.toLowerCase() === missing);
    return empty ? `${message}\nThe dataset behind table "${empty.name}" has no successful batch yet, so there is nothing to query.` : message;
  }
}

/** Every `{"type": "BASE_TABLE", "table_name": …}` node of a serialised statement, lower-cased (DuckDB ignores case). */
function collectTableNames(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTableNames(item, into);
  } else if (node !== null && typeof node === 'object') {
    const fields = node as Record<string, unknown>;
    if (fields.type === 'BASE_TABLE' && typeof fields.table_name === 'string') into.add(fields.table_name.toLowerCase());
    for (const value of Object.values(fields)) collectTableNames(value, into);
  }
}

/** DuckDB allows repeated column names (`SELECT 1 AS a, 2 AS a`); rows are objects, so repeats get a suffix. */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}:${count}`;
  });
}
