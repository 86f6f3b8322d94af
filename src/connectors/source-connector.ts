/**
 * The contract every source implements. A connector only reads its source: it either points DuckDB at
 * files that already hold the rows (file sources) or writes the rows it fetched into the run's staging
 * folder and points DuckDB there (API sources). The engine does everything after that.
 *
 * @example
 * const extracted = await connector.extract({ auth, params, data, stagingDir: '/tmp/run-1' });
 * await duck.run(`COPY (SELECT * FROM ${extracted.relation}) TO 'input.parquet'`);
 */
export interface SourceConnector {
  extract(request: ExtractRequest): Promise<Extracted>;
}

export interface ExtractRequest {
  /** The base connection's decrypted credentials. */
  auth: Record<string, unknown>;
  /** The source connection's `params` (path, tableName ...). */
  params: Record<string, unknown>;
  /** The source connection's `data` (format and its properties). */
  data: Record<string, unknown>;
  stagingDir: string;
}

export interface Extracted {
  /** A DuckDB table expression over the source rows, e.g. `read_csv(['/data/a.csv'], header = true)`. */
  relation: string;
  /**
   * True when the relation sets unparsable rows aside in DuckDB's `reject_errors` table instead of failing the
   * whole read (CSV), so the engine can count and report them.
   */
  storesRejects?: boolean;
  /** The files read; `modifiedAt` (ms) lets the engine notice a file that changed while it was read. */
  inputFiles: { path: string; bytes: number; modifiedAt?: number | undefined }[];
}

/** The source is misconfigured (bad path, unreadable file): the user must act; retrying will not help. */
export class SourceConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceConfigError';
  }
}
