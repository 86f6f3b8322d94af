import path from 'node:path';
import { parseFileRoots, type FileRoot } from '../connectors/local-files/file-roots.js';
import type { RunLimits } from '../connectors/rest/run-guard.js';
import { defaultHashingPool, type HashingPoolOptions } from '../secrets/hashing-pool.js';
import { defaultTokenEndpointLimits, type TokenEndpointLimits } from '../services/ims/token-endpoint-limits.js';
import { defaultQueryLimits, type QueryLimits } from '../services/query/query-limits.js';
import { defaultHeartbeatMs } from '../engine/run-leases.js';
import { defaultStopDeadlineMs, defaultWorkerConcurrency } from '../engine/run-worker.js';

/** Everything the process reads from its environment and flags, read once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; absent means the embedded SQLite file in the data directory. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to keep the metadata in (default: the connection's search_path, normally public). */
  databaseSchema: string | undefined;
  /** Master key material; absent means a key file generated in the data directory. */
  secretKey: string | undefined;
  logLevel: string;
  /** Folders Local Files connections may read below, each for one org or all (TRIBUTARY_FILE_ROOTS, see `parseFileRoots`). */
  fileRoots: FileRoot[];
  tokenTtlSeconds: number;
  /** Failed token requests allowed per client id and per remote address before 429 (TRIBUTARY_TOKEN_FAILURES_*). */
  tokenEndpoint: TokenEndpointLimits;
  /** Threads that hash client secrets, and how many checks may wait for them (TRIBUTARY_HASH_*). */
  hashing: HashingPoolOptions;
  /** When streamed records become a batch (see `defaultFlushBounds` in the streaming flusher for why these). */
  streamFlush: { records: number; bytes: number; ageMs: number };
  /** How long a Batch Ingestion batch may sit in `loading` with nothing arriving before it is aborted (0: never). */
  uploadExpiryMs: number;
  /** Queries at once per org and per server, and each query's time, memory, spill, result size and result lifetime (TRIBUTARY_QUER*). */
  query: QueryLimits;
  /** Serve HTTPS with this certificate and key (PEM files), as AEP's own gateway does; absent means plain HTTP. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** A source run's request budget and stall timeout (TRIBUTARY_RUN_MAX_REQUESTS, TRIBUTARY_RUN_STALL_MINUTES); unset: each stream's default. */
  runLimits: RunLimits;
  /** Rows per keyset page of a database source's read (TRIBUTARY_DB_PAGE_ROWS); unset: the connector's default. */
  databasePageRows: number | undefined;
  /** The bearer token `GET /metrics` asks for (TRIBUTARY_METRICS_TOKEN); absent means the endpoint is open. */
  metricsToken: string | undefined;
  /**
   * Running runs: how many at once in this process (TRIBUTARY_WORKER_RUNS), how often a worker says it is alive
   * (TRIBUTARY_RUN_HEARTBEAT_SECONDS; four silent beats and its runs go to another worker), and how long a stopping
   * worker waits for its runs before handing them back (TRIBUTARY_WORKER_STOP_SECONDS); and runs at once per org
   * and per base connection over every worker (TRIBUTARY_RUNS_PER_ORG, TRIBUTARY_RUNS_PER_CONNECTION; 0: no limit).
   */
  workers: { concurrency: number; heartbeatMs: number; stopDeadlineMs: number; limits: { perOrg: number; perConnection: number } };
}

export interface ConfigOverrides {
  port?: number | undefined;
  host?: string | undefined;
  dataDir?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Config {
  const port = overrides.port ?? numberFrom(env.PORT ?? env.TRIBUTARY_PORT, 8080, 'PORT');
  return {
    port,
    host: overrides.host ?? env.TRIBUTARY_HOST ?? '127.0.0.1',
    dataDir: path.resolve(overrides.dataDir ?? env.TRIBUTARY_DATA_DIR ?? '.tributary'),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    databaseSchema: nonEmpty(env.TRIBUTARY_DATABASE_SCHEMA),
    secretKey: nonEmpty(env.TRIBUTARY_SECRET_KEY),
    logLevel: env.TRIBUTARY_LOG_LEVEL ?? 'info',
    fileRoots: parseFileRoots(env.TRIBUTARY_FILE_ROOTS ?? ''),
    tokenTtlSeconds: numberFrom(env.TRIBUTARY_TOKEN_TTL_SECONDS, 24 * 3600, 'TRIBUTARY_TOKEN_TTL_SECONDS'),
    tokenEndpoint: {
      failuresPerClient: Math.max(1, numberFrom(env.TRIBUTARY_TOKEN_FAILURES_PER_CLIENT, defaultTokenEndpointLimits.failuresPerClient, 'TRIBUTARY_TOKEN_FAILURES_PER_CLIENT')),
      failuresPerAddress: Math.max(1, numberFrom(env.TRIBUTARY_TOKEN_FAILURES_PER_ADDRESS, defaultTokenEndpointLimits.failuresPerAddress, 'TRIBUTARY_TOKEN_FAILURES_PER_ADDRESS')),
      windowSeconds: Math.max(1, numberFrom(env.TRIBUTARY_TOKEN_FAILURE_WINDOW_SECONDS, defaultTokenEndpointLimits.windowSeconds, 'TRIBUTARY_TOKEN_FAILURE_WINDOW_SECONDS')),
      failureDelayMs: Math.max(0, numberFrom(env.TRIBUTARY_TOKEN_FAILURE_DELAY_MS, defaultTokenEndpointLimits.failureDelayMs, 'TRIBUTARY_TOKEN_FAILURE_DELAY_MS')),
      maxDelayedAnswers: defaultTokenEndpointLimits.maxDelayedAnswers,
    },
    hashing: {
      workers: Math.max(1, numberFrom(env.TRIBUTARY_HASH_WORKERS, defaultHashingPool.workers, 'TRIBUTARY_HASH_WORKERS')),
      queue: numberFrom(env.TRIBUTARY_HASH_QUEUE, defaultHashingPool.queue, 'TRIBUTARY_HASH_QUEUE'),
    },
    streamFlush: {
      records: Math.max(1, numberFrom(env.TRIBUTARY_STREAM_FLUSH_RECORDS, 10_000, 'TRIBUTARY_STREAM_FLUSH_RECORDS')),
      bytes: Math.max(1, numberFrom(env.TRIBUTARY_STREAM_FLUSH_MB, 64, 'TRIBUTARY_STREAM_FLUSH_MB')) * 1024 * 1024,
      ageMs: numberFrom(env.TRIBUTARY_STREAM_FLUSH_SECONDS, 60, 'TRIBUTARY_STREAM_FLUSH_SECONDS') * 1000,
    },
    uploadExpiryMs: numberFrom(env.TRIBUTARY_UPLOAD_EXPIRY_HOURS, 24, 'TRIBUTARY_UPLOAD_EXPIRY_HOURS') * 3600_000,
    query: queryLimitsFrom(env),
    tls: tlsFiles(overrides.tlsCert ?? nonEmpty(env.TRIBUTARY_TLS_CERT), overrides.tlsKey ?? nonEmpty(env.TRIBUTARY_TLS_KEY)),
    metricsToken: nonEmpty(env.TRIBUTARY_METRICS_TOKEN),
    runLimits: runLimitsFrom(env),
    databasePageRows: env.TRIBUTARY_DB_PAGE_ROWS ? Math.max(1, Math.floor(numberFrom(env.TRIBUTARY_DB_PAGE_ROWS, 0, 'TRIBUTARY_DB_PAGE_ROWS'))) : undefined,
    workers: {
      concurrency: Math.max(1, numberFrom(env.TRIBUTARY_WORKER_RUNS, defaultWorkerConcurrency, 'TRIBUTARY_WORKER_RUNS')),
      heartbeatMs: secondsFrom(env.TRIBUTARY_RUN_HEARTBEAT_SECONDS, defaultHeartbeatMs / 1000, 'TRIBUTARY_RUN_HEARTBEAT_SECONDS') * 1000,
      stopDeadlineMs: numberFrom(env.TRIBUTARY_WORKER_STOP_SECONDS, defaultStopDeadlineMs / 1000, 'TRIBUTARY_WORKER_STOP_SECONDS') * 1000,
      limits: {
        perOrg: numberFrom(env.TRIBUTARY_RUNS_PER_ORG, 0, 'TRIBUTARY_RUNS_PER_ORG'),
        perConnection: numberFrom(env.TRIBUTARY_RUNS_PER_CONNECTION, 0, 'TRIBUTARY_RUNS_PER_CONNECTION'),
      },
    },
  };
}

function runLimitsFrom(env: NodeJS.ProcessEnv): RunLimits {
  const maxRequests = numberFrom(env.TRIBUTARY_RUN_MAX_REQUESTS, 0, 'TRIBUTARY_RUN_MAX_REQUESTS');
  const stallMinutes = numberFrom(env.TRIBUTARY_RUN_STALL_MINUTES, 0, 'TRIBUTARY_RUN_STALL_MINUTES');
  return { ...(maxRequests > 0 ? { maxRequests: Math.ceil(maxRequests) } : {}), ...(stallMinutes > 0 ? { stallMs: stallMinutes * 60_000 } : {}) };
}

function queryLimitsFrom(env: NodeJS.ProcessEnv): QueryLimits {
  const d = defaultQueryLimits;
  const mb = 1024 * 1024;
  return {
    perOrg: Math.max(1, numberFrom(env.TRIBUTARY_QUERIES_PER_ORG, d.perOrg, 'TRIBUTARY_QUERIES_PER_ORG')),
    perServer: Math.max(1, numberFrom(env.TRIBUTARY_QUERIES_PER_SERVER, d.perServer, 'TRIBUTARY_QUERIES_PER_SERVER')),
    timeoutMs: Math.max(1, numberFrom(env.TRIBUTARY_QUERY_TIMEOUT_SECONDS, d.timeoutMs / 1000, 'TRIBUTARY_QUERY_TIMEOUT_SECONDS')) * 1000,
    // Below 128 MB a worker cannot even hold Node and DuckDB.
    memoryMb: Math.max(128, numberFrom(env.TRIBUTARY_QUERY_MEMORY_MB, d.memoryMb, 'TRIBUTARY_QUERY_MEMORY_MB')),
    threads: Math.max(1, numberFrom(env.TRIBUTARY_QUERY_THREADS, d.threads, 'TRIBUTARY_QUERY_THREADS')),
    tempMb: numberFrom(env.TRIBUTARY_QUERY_TEMP_MB, d.tempMb, 'TRIBUTARY_QUERY_TEMP_MB'),
    resultBytes: Math.max(1, numberFrom(env.TRIBUTARY_QUERY_RESULT_MB, d.resultBytes / mb, 'TRIBUTARY_QUERY_RESULT_MB')) * mb,
    resultTtlMs: Math.max(1, numberFrom(env.TRIBUTARY_QUERY_RESULT_HOURS, d.resultTtlMs / 3600_000, 'TRIBUTARY_QUERY_RESULT_HOURS')) * 3600_000,
  };
}

/** A certificate without its key (or the reverse) is a mistake to report at start, not a reason to serve plain HTTP. */
function tlsFiles(certFile: string | undefined, keyFile: string | undefined): Config['tls'] {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new Error('TLS needs both a certificate and its key: --tls-cert and --tls-key (or TRIBUTARY_TLS_CERT and TRIBUTARY_TLS_KEY)');
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Seconds with a fraction (a heartbeat under a second, in tests); more than zero. */
function secondsFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a number of seconds above 0, got "${value}"`);
  return parsed;
}

function numberFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}
