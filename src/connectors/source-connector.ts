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
  /** The connector's own incremental state from the last committed batch of this flow (API sources). */
  state?: unknown;
  /** The run's window (epoch ms); `start` is null when the flow takes all history. */
  window?: { start: number | null; end: number };
  /**
   * The flow has no delta column to find changes with: a connector that can tell what changed since `state` by
   * itself (files by modification time) reads only that. Connectors that always read incrementally ignore it.
   */
  changedOnly?: boolean;
  /**
   * The flow's delta column (a Copy transformation's), with the watermark the engine filters from (the newest delta
   * value landed, ISO-8601), for sources that can push the window into their own query (databases). The engine
   * still filters the rows it gets to (watermark, window end]. `timezone` is the zone the flow reads local times
   * and dates in (UTC when unset).
   */
  deltaColumn?: { name: string; watermark?: string | undefined; timezone?: string | undefined } | undefined;
  /** The base connection read: every run of it, on any worker, shares the provider's rate limit. */
  connectionId?: string | undefined;
  /**
   * Stores credentials the provider rotated (a new refresh token) at once, encrypted, before they are used:
   * the old ones stop working as soon as the provider has issued the new ones.
   */
  saveCredentials?: (auth: Record<string, unknown>) => Promise<void>;
  /**
   * Takes what the read has done so far (the same shape as `Extracted.metrics`: requests, pages, records …),
   * every few seconds while it runs, so the run in progress shows it. Must not throw or block.
   */
  progress?: (metrics: Record<string, unknown>[]) => void;
}

export interface Extracted {
  /**
   * A DuckDB table expression over the source rows, e.g. `read_csv(['/data/a.csv'], header = true)`; null when
   * nothing is new since `state` (every file unchanged): the run then lands an empty batch without reading.
   */
  relation: string | null;
  /**
   * A query over the rows the reader set aside as unparsable instead of failing the whole read, with the
   * columns `raw` (the line as read), `line` and `message`, so the engine can count and report them. Read it
   * only after `relation` has been read once (DuckDB fills its reject tables while reading).
   */
  rejects?: string;
  /**
   * For readers that cannot skip a malformed record themselves (JSON lines): called when reading `relation`
   * failed on malformed input; stages the readable records and returns a relation over them, with the rest
   * in `rejects`.
   */
  salvage?: (sql: SqlRunner) => Promise<SalvagedRead>;
  /**
   * For readers whose failures a person cannot act on as the reader words them: given the error reading
   * `relation` failed with, a message saying what the source holds and how to read it, or undefined.
   */
  explainFailure?: (error: unknown) => string | undefined;
  /** The connector's incremental state after this read, committed with the batch (API sources). */
  state?: unknown;
  /**
   * Rows whose `column` (a time, epoch ms) lies after `after` were never read by an earlier run: they land even
   * when their delta value is below the flow's watermark. A provider that lags shows a record late, stamped with
   * a time the watermark may already have passed; without this it would never land.
   */
  unseenAfter?: { column: string; after: number };
  /** What the read did (requests, retries, records …), shown in the run. */
  metrics?: Record<string, unknown>[];
  /**
   * The rows are the source's whole current state (a first or a reconciling full read): a record missing from
   * them was deleted, so the newest-version tables start again from this batch. Every row lands, whatever the
   * flow's watermark.
   */
  snapshot?: boolean;
  /** Things the user should know that did not stop the read (a full re-read was needed, …). */
  notices?: { code: string; message: string }[];
  /**
   * The files read; `name` is how the user knows a file (relative to the connection's root), `modifiedAt` (ms)
   * lets the engine notice a file that changed while it was read.
   */
  inputFiles: InputFile[];
}

/** What a salvage reads instead: the readable records, and the rest as rejects. */
export interface SalvagedRead {
  relation: string;
  rejects?: string;
}

export interface InputFile {
  path: string;
  name?: string | undefined;
  bytes: number;
  modifiedAt?: number | undefined;
}

/** The part of a DuckDB session a connector may use: it runs statements, it never sees rows. */
export interface SqlRunner {
  run(sql: string): Promise<void>;
}

/** The source is misconfigured (bad path, unreadable file, rejected credentials): the user must act; retrying will not help. */
export class SourceConfigError extends Error {
  constructor(message: string, readonly details: SourceErrorDetails = {}) {
    super(message);
    this.name = 'SourceConfigError';
  }
}

/** The source failed in a way that may pass (timeouts, 5xx, 429) and its own retries ran out: re-trigger later. */
export class SourceTransientError extends Error {
  constructor(message: string, readonly details: SourceErrorDetails = {}) {
    super(message);
    this.name = 'SourceTransientError';
  }
}

/** The source answered something its definition does not expect: report it, retrying will not help. */
export class SourceProviderError extends Error {
  constructor(message: string, readonly details: SourceErrorDetails = {}) {
    super(message);
    this.name = 'SourceProviderError';
  }
}

/**
 * The run stopped itself at one of its own bounds on reading a source, not because of any one answer: its
 * request budget was spent, or nothing new came for its stall timeout. A provider failure still (the source
 * loops, or fails without end), but the run reports it under a code of its own, naming the bound and its value.
 */
export class SourceLimitError extends SourceProviderError {
  constructor(
    readonly limit: 'requestBudget' | 'stallTimeout',
    /** The bound that was reached: a number of requests, or milliseconds. */
    readonly value: number,
    message: string,
    details: SourceErrorDetails = {},
  ) {
    super(message, details);
    this.name = 'SourceLimitError';
  }
}

/** Where a source failed: the stream, the request and what came back. */
export interface SourceErrorDetails {
  stream?: string;
  method?: string;
  url?: string;
  status?: number;
}

/** Whether a failure is one a source classed already (config, transient or provider): such errors pass on as they are. */
export function isSourceError(error: unknown): error is SourceConfigError | SourceTransientError | SourceProviderError {
  return error instanceof SourceConfigError || error instanceof SourceTransientError || error instanceof SourceProviderError;
}
