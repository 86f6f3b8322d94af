import type { QueryJob } from '../../lake/query-job.js';

/** The bounds every query runs under (`TRIBUTARY_QUERY*` settings; see the README's Query section). */
export interface QueryLimits {
  /** Queries one org may run at once on one server; the next is answered 429. */
  perOrg: number;
  /** Queries at once on one server, all orgs together; also the most query worker processes. */
  perServer: number;
  timeoutMs: number;
  /** Resident memory of the process running one query, in MB (DuckDB, the rows it returns and Node itself). */
  memoryMb: number;
  /** DuckDB threads of one query. */
  threads: number;
  /** Disk one query may spill to, in MB. */
  tempMb: number;
  /** JSON bytes of rows one result keeps; past that the result is cut and says `truncated`. */
  resultBytes: number;
  /** How long a result stays readable after its query finished. */
  resultTtlMs: number;
}

/**
 * Two at once per org, four per server: on a 2-core machine four DuckDB queries already share the cores, and an org
 * that sends more waits for its own. A gigabyte per query keeps four of them within a small server's memory; 32 MB of
 * JSON is more rows than a client reads in one answer. A day is long enough to page through a result.
 */
export const defaultQueryLimits: QueryLimits = {
  perOrg: 2,
  perServer: 4,
  timeoutMs: 30_000,
  memoryMb: 1024,
  threads: 2,
  tempMb: 2048,
  resultBytes: 32 * 1024 * 1024,
  resultTtlMs: 24 * 3600_000,
};

/** How long a client at the cap should wait: a query of the org, or of the server, ends or times out meanwhile. */
export const busyRetryAfterSeconds = 5;

/**
 * The worker's V8 heap: a quarter of the query's memory holds the rows on their way out (as JS objects they take
 * two to three times their JSON size); the rest is DuckDB's.
 */
export function workerHeapMb(limits: QueryLimits): number {
  return Math.max(64, Math.floor(limits.memoryMb / 4));
}

/** A job's bounds from the limits. DuckDB gets half the memory for its buffers, so it spills before the cap is hit. */
export function jobBounds(limits: QueryLimits): Pick<QueryJob, 'timeoutMs' | 'memoryCapBytes' | 'duckDbMemory' | 'threads' | 'maxTempDirectorySize' | 'maxBytes'> {
  return {
    timeoutMs: limits.timeoutMs,
    memoryCapBytes: limits.memoryMb * 1024 * 1024,
    duckDbMemory: `${Math.max(32, Math.floor(limits.memoryMb / 2))}MB`,
    threads: limits.threads,
    maxTempDirectorySize: `${limits.tempMb}MB`,
    maxBytes: limits.resultBytes,
  };
}
