import type { DuckDBConnection, DuckDBInstance, DuckDBScalarFunction } from '@duckdb/node-api';

export interface DuckDbOptions {
  /** Where DuckDB may spill when a run's data does not fit in memory. */
  tempDirectory: string;
  memoryLimit?: string;
  threads?: number;
  /** The most DuckDB may spill to `tempDirectory` (e.g. `2048MB`); DuckDB's own default (90% of the free disk) otherwise. */
  maxTempDirectorySize?: string;
  /**
   * When given, the session may read and write files only in these folders (and the temp folder): SQL built from
   * client text can then never reach anything else on the machine.
   */
  allowedDirectories?: string[];
}

/**
 * One in-memory DuckDB database for one unit of work (a run, a query). Bulk data stays inside DuckDB:
 * only row counts, metadata and small previews cross into JavaScript.
 */
export class DuckDbSession {
  private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

  static async open(options: DuckDbOptions): Promise<DuckDbSession> {
    const instance = await createDuckDbInstance(options);
    const connection = await instance.connect();
    // Timestamps render in UTC whatever the machine's zone, so watermarks and messages are comparable.
    await connection.run("SET TimeZone = 'UTC'");
    // Progress is tracked (for runs to report) but never printed.
    await connection.run('SET enable_progress_bar = true');
    await connection.run('SET enable_progress_bar_print = false');
    if (options.allowedDirectories) {
      const folders = [...options.allowedDirectories, options.tempDirectory].map((dir) => `'${dir.replace(/\/?$/, '/').replaceAll("'", "''")}'`);
      await connection.run(`SET allowed_directories = [${folders.join(', ')}]`);
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
    }
    return new DuckDbSession(instance, connection);
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Small results only (counts, schemas, previews): rows become JSON-safe objects. */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  async scalar(sql: string): Promise<unknown> {
    const [row] = await this.rows(sql);
    return row ? Object.values(row)[0] : undefined;
  }

  /** Makes a function written in JavaScript callable from this session's SQL (see row-tally.ts). */
  registerFunction(fn: DuckDBScalarFunction): void {
    this.connection.registerScalarFunction(fn);
  }

  /** How far the statement running now has got, 0–100, or null when none is running. */
  progress(): number | null {
    const { percentage } = this.connection.progress;
    return percentage >= 0 ? percentage : null;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * An in-memory DuckDB with the settings every session shares. The json, parquet and icu extensions are built in;
 * any other would be downloaded, and there is no network to download from, so none is installed or loaded.
 */
export async function createDuckDbInstance(options: Pick<DuckDbOptions, 'tempDirectory' | 'memoryLimit' | 'threads' | 'maxTempDirectorySize'>): Promise<DuckDBInstance> {
  // DuckDB's native library is large: loading it when the first run or query needs it keeps the server's start short.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  return DuckDBInstance.create(':memory:', {
    temp_directory: options.tempDirectory,
    memory_limit: options.memoryLimit ?? '1GB',
    threads: String(options.threads ?? 2),
    ...(options.maxTempDirectorySize !== undefined ? { max_temp_directory_size: options.maxTempDirectorySize } : {}),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
}
