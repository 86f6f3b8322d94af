import fs from 'node:fs';
import path from 'node:path';
import { SourceConfigError, type ExtractRequest, type Extracted, type SourceConnector } from '../source-connector.js';
import { authenticatorFor } from './authenticators.js';
import { baseUrlOf } from './base-url.js';
import { definitionProblems } from './check-definition.js';
import type { ColumnType, RateLimit, RestConnectorDefinition, StreamDefinition } from './definition.js';
import { defaultRetryPolicy, HttpRequester, systemClock, type HttpClock, type RetryPolicy } from './http-requester.js';
import { RecordWriter } from './record-writer.js';
import type { RequestObserver } from './request-observer.js';
import { emptyStreamMetrics, type StreamMetrics } from './stream-metrics.js';
import { RunGuard, type RunLimits } from './run-guard.js';
import { readStream, type ReadNotice, type StreamState } from './stream-reader.js';
import type { RateBucket } from './rate-bucket.js';
import { rateLimitFor } from './rate-limit-for.js';
import type { SharedRateBuckets } from './shared-rate-buckets.js';
import { TokenBucket } from './token-bucket.js';

/** The connector's state between runs: each stream's cursor, versioned like the flow state that holds it. */
interface ConnectorState {
  version: 1;
  streams: Record<string, StreamState>;
}

export interface RestConnectorOptions {
  clock?: HttpClock;
  retry?: RetryPolicy;
  /** Replaces every definition's rate limit (a benchmark measuring the engine, not the provider's limit). */
  rateLimit?: RateLimit;
  /**
   * The buckets every run of one connection shares, on any worker; a run whose request names no connection, a
   * preview and a check each pace themselves alone, in memory.
   */
  sharedRate?: SharedRateBuckets;
  /** Every run's request budget and stall timeout (defaults: `run-guard.ts`). */
  limits?: RunLimits;
  /** Told of every request attempt as it comes back (the app's metrics). */
  observer?: RequestObserver;
}

const duckTypes: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  'date-time': 'TIMESTAMPTZ',
  object: 'JSON',
  array: 'JSON',
};

/** What one read is for besides its stream and window. */
interface ReadOptions {
  saveCredentials?: ((auth: Record<string, unknown>) => Promise<void>) | undefined;
  /** At most this many records (a preview). */
  limit?: number | undefined;
  progress?: ((metrics: Record<string, unknown>[]) => void) | undefined;
  /** The base connection a run reads; its runs share the provider's rate limit. */
  connectionId?: string | undefined;
}

/** A table of a REST source as explore shows it. */
export interface RestTable {
  name: string;
  path: string;
  stream: StreamDefinition;
}

/**
 * A source connector made from a definition: it reads the stream the source connection names into the run's
 * staging folder and hands DuckDB a typed reader over it, the last version of each record only.
 */
export class RestConnector implements SourceConnector {
  constructor(readonly definition: RestConnectorDefinition, private readonly options: RestConnectorOptions = {}) {
    const problems = definitionProblems(definition);
    if (problems.length > 0) throw new Error(`the ${definition.vendor} connector definition is broken:\n  ${problems.join('\n  ')}`);
  }

  tables(): RestTable[] {
    return this.definition.streams.map((stream) => ({ name: `${this.definition.vendor}.${stream.name}`, path: `${this.definition.vendor}.${stream.name}`, stream }));
  }

  /** The stream a table path names: `PayPal.Catalog_Products`, `Catalog_Products` or a resource path (`charges`). */
  streamFor(params: Record<string, unknown>): StreamDefinition {
    const named = [params.tableName, params.path, params.resourcePath].find((v): v is string => typeof v === 'string' && v !== '');
    if (!named) throw new SourceConfigError(`the source connection names no table (params.tableName), e.g. ${this.tables()[0]?.path ?? ''}`);
    const wanted = simplify(named.replace(new RegExp(`^${this.definition.vendor}\\.`, 'i'), ''));
    const stream = this.definition.streams.find((s) => simplify(s.name) === wanted);
    if (!stream) throw new SourceConfigError(`"${named}" is not a table of ${this.definition.vendor}; it has ${this.tables().map((t) => t.path).join(', ')}`);
    return stream;
  }

  async extract(request: ExtractRequest): Promise<Extracted> {
    const stream = this.streamFor(request.params);
    const previous = readState(request.state);
    const file = path.join(request.stagingDir, `${stream.name}.jsonl`);
    const { metrics, state, notices, snapshot } = await this.read(stream, request.auth, file, request.window ?? { start: null, end: Date.now() }, previous.streams[stream.name], {
      saveCredentials: request.saveCredentials,
      progress: request.progress,
      connectionId: request.connectionId,
    });
    const stat = fs.statSync(file);
    return {
      relation: this.reader(stream, file),
      inputFiles: [{ path: file, name: `${this.definition.vendor}.${stream.name}`, bytes: stat.size, modifiedAt: stat.mtimeMs }],
      state: { version: 1, streams: { ...previous.streams, [stream.name]: state } } satisfies ConnectorState,
      // Windows end where the provider is complete, so a record after the last run's end was never read.
      ...(stream.cursor && previous.streams[stream.name]?.cursor !== undefined ? { unseenAfter: { column: stream.cursor.column, after: previous.streams[stream.name]?.cursor as number } } : {}),
      metrics: [{ ...metrics }],
      ...(notices.length > 0 ? { notices } : {}),
      ...(snapshot ? { snapshot } : {}),
    };
  }

  /** Up to `limit` rows of a table, read live, for explore's preview. */
  async preview(auth: Record<string, unknown>, params: Record<string, unknown>, stagingDir: string, saveCredentials?: (auth: Record<string, unknown>) => Promise<void>, limit = 100): Promise<Record<string, unknown>[]> {
    const stream = this.streamFor(params);
    const file = path.join(stagingDir, `${stream.name}.preview.jsonl`);
    const clock = this.options.clock ?? systemClock;
    // The newest history first: a preview needs a few rows, not the account's first year.
    const window = { start: clock.now() - (stream.cursor?.maxWindowMs ?? 0), end: clock.now() };
    await this.read(stream, auth, file, window, undefined, { saveCredentials, limit });
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const { __seq: _, _deleted: __, ...row } = JSON.parse(line) as Record<string, unknown>;
        return row;
      });
  }

  /** One cheap authenticated request; throws the error the user must see when the credentials or host are wrong. */
  async check(auth: Record<string, unknown>, saveCredentials?: (auth: Record<string, unknown>) => Promise<void>): Promise<void> {
    const { http, authenticator } = this.session(auth, saveCredentials, { ...(this.options.retry ?? defaultRetryPolicy), attempts: 2, timeoutMs: 10_000 });
    const metrics = emptyStreamMetrics('check');
    const response = await http.send({ method: 'GET', path: this.definition.check.path, query: { ...this.definition.check.query } }, authenticator, metrics);
    if (response.status === 403) throw new SourceConfigError('the credentials work but may not read this account (403)', { url: this.definition.check.path, status: 403 });
    if (response.status >= 300) throw new SourceConfigError(`the provider answered ${response.status} to a test request`, { url: this.definition.check.path, status: response.status });
  }

  private async read(
    stream: StreamDefinition,
    auth: Record<string, unknown>,
    file: string,
    window: { start: number | null; end: number },
    state: StreamState | undefined,
    how: ReadOptions,
  ): Promise<{ metrics: StreamMetrics; state: StreamState; notices: ReadNotice[]; snapshot: boolean }> {
    const { saveCredentials, limit, progress, connectionId } = how;
    const metrics = emptyStreamMetrics(stream.name);
    const guard = new RunGuard(stream, metrics, this.options.clock ?? systemClock, this.options.limits, progress ? (m) => progress([{ ...m }]) : undefined);
    const { http, authenticator, clock } = this.session(auth, saveCredentials, undefined, guard, connectionId);
    // A column holding the whole record (an empty path) keeps every field: none is unknown then.
    const whole = stream.columns.some((c) => c.path.length === 0);
    const known = whole ? null : new Set([...stream.columns.map((c) => c.path[0] as string), ...(stream.ignoredFields ?? [])]);
    const writer = new RecordWriter(file, stream.columns, known);
    try {
      const read = await readStream({ definition: this.definition, stream, http, auth: authenticator, clock, metrics, writer, guard, ...(limit !== undefined ? { limit } : {}) }, window, state);
      return { metrics, ...read };
    } finally {
      await writer.close();
    }
  }

  private session(auth: Record<string, unknown>, saveCredentials?: (auth: Record<string, unknown>) => Promise<void>, retry?: RetryPolicy, guard?: RunGuard, connectionId?: string) {
    const clock = this.options.clock ?? systemClock;
    const { observer } = this.options;
    const vendor = this.definition.vendor;
    const bucket = this.bucketFor(auth, connectionId);
    const http = new HttpRequester(
      baseUrlOf(auth.host, this.definition.defaultHost),
      bucket,
      clock,
      retry ?? this.options.retry ?? defaultRetryPolicy,
      this.definition.headers,
      guard ? () => guard.beforeRequest() : undefined,
      observer ? (attempt) => observer({ vendor, ...attempt }) : undefined,
    );
    return { http, clock, authenticator: authenticatorFor(this.definition.auth, auth, http, clock, saveCredentials) };
  }

  /** The provider's limit is per account, so every run of one base connection takes from one bucket. */
  private bucketFor(auth: Record<string, unknown>, connectionId: string | undefined): RateBucket {
    const limit = this.options.rateLimit ?? rateLimitFor(this.definition.rateLimit, auth);
    if (connectionId && this.options.sharedRate) return this.options.sharedRate.bucket(`${this.definition.vendor}:${connectionId}`, limit);
    return new TokenBucket(limit.requestsPerSecond, limit.burst);
  }

  /** Typed rows from the staging file; a record read twice in one run (overlapping windows) counts once, as last read. */
  private reader(stream: StreamDefinition, file: string): string {
    // Scalars are read as text and converted with TRY_CAST: one value the provider wrote oddly ("N/A" for an
    // amount) nulls that value, where a typed read would fail the whole file.
    const staged = (type: ColumnType) => (type === 'object' || type === 'array' ? 'JSON' : 'VARCHAR');
    const columns = [...stream.columns.map((c) => `${quote(c.name)}: '${staged(c.type)}'`), `'_deleted': 'BOOLEAN'`, `'__seq': 'BIGINT'`].join(', ');
    const rows = `read_json(['${file.replaceAll("'", "''")}'], format = 'newline_delimited', columns = {${columns}})`;
    const typed = stream.columns.map((c) => {
      const name = `"${c.name.replaceAll('"', '""')}"`;
      return staged(c.type) === duckTypes[c.type] ? name : `TRY_CAST(${name} AS ${duckTypes[c.type]}) AS ${name}`;
    });
    return `(SELECT ${[...typed, '_deleted'].join(', ')} FROM ${rows} QUALIFY row_number() OVER (PARTITION BY "${stream.primaryKey.replaceAll('"', '""')}" ORDER BY __seq DESC) = 1)`;
  }
}

function quote(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

function simplify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function readState(value: unknown): ConnectorState {
  const state = value as Partial<ConnectorState> | undefined;
  if (state?.version === 1 && typeof state.streams === 'object' && state.streams !== null) return { version: 1, streams: state.streams };
  return { version: 1, streams: {} };
}
