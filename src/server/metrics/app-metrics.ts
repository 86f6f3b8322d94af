import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine, FinishedRun } from '../../engine/engine.js';
import type { SourceRequest } from '../../connectors/rest/request-observer.js';
import { providerLabel, runLabels } from './metric-labels.js';

/** Run durations: a small file lands in about a second, a first read of a payments account can take an hour or more. */
const runDurationBuckets = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];
/** API answers: most in milliseconds; uploads and queries up to tens of seconds. */
const httpDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The label a request gets when no route matched it (a 404 or a request refused before routing). */
export const unmatchedRoute = 'unmatched';

type RunLabel = 'flow_spec' | 'provider';

/**
 * The metrics of one app, in a registry of its own: several apps in one process (tests, a second server) never
 * share or clash over a series. Labels take values from short fixed lists only (spec names, route patterns,
 * status codes), never a raw URL, an org or a credential, so the number of series stays bounded.
 */
export class AppMetrics {
  private readonly registry = new Registry();
  /** What `GET /metrics` shows: this app's metrics, and the process metrics when the process has them. */
  private readonly exposed: Registry;
  private readonly runs = new Counter({ name: 'tributary_runs_total', help: 'Flow runs finished, by flow spec, source provider and final status (success or failed).', labelNames: ['flow_spec', 'provider', 'status'], registers: [this.registry] });
  private readonly recordsRead = this.runCounter('tributary_run_records_read_total', 'Records read from the source by finished flow runs.');
  private readonly recordsWritten = this.runCounter('tributary_run_records_written_total', 'Records written to the lake by finished flow runs.');
  private readonly recordsFailed = this.runCounter('tributary_run_records_failed_total', 'Records rejected by the mapping or the schema in finished flow runs.');
  private readonly bytesRead = this.runCounter('tributary_run_bytes_read_total', 'Bytes of source files read by finished flow runs (API sources: the staged records).');
  private readonly bytesWritten = this.runCounter('tributary_run_bytes_written_total', 'Bytes of Parquet written to the lake by finished flow runs.');
  private readonly runDuration = new Histogram({ name: 'tributary_run_duration_seconds', help: 'How long finished flow runs took, from start to final record.', labelNames: ['flow_spec', 'provider', 'status'], buckets: runDurationBuckets, registers: [this.registry] });
  private readonly sourceRequests = new Counter({ name: 'tributary_source_requests_total', help: 'Requests API connectors sent to providers, by provider and the HTTP status that came back ("none": no answer).', labelNames: ['provider', 'status_code'], registers: [this.registry] });
  private readonly sourceRetries = new Counter({ name: 'tributary_source_retries_total', help: 'Requests to providers sent again, by provider and the HTTP status that caused it ("none": no answer).', labelNames: ['provider', 'status_code'], registers: [this.registry] });
  private readonly httpDuration = new Histogram({ name: 'tributary_http_request_duration_seconds', help: 'Time to answer API requests, by method, route pattern and status code.', labelNames: ['method', 'route', 'status_code'], buckets: httpDurationBuckets, registers: [this.registry] });
  private engine: Pick<Engine, 'runCounts'> | undefined;

  constructor(processMetrics?: Registry) {
    this.gauge('tributary_runs_in_progress', 'Flow runs this process is executing now.', (counts) => counts.inProgress);
    this.gauge('tributary_runs_queued', 'Flow runs this process accepted for its own queue (SQLite) and not started yet; with PostgreSQL runs wait in the shared queue, not here.', (counts) => counts.queued);
    this.exposed = processMetrics ? Registry.merge([this.registry, processMetrics]) : this.registry;
  }

  /** Counts the engine's finished runs from now on, and reads its runs in progress at each scrape. */
  watch(engine: Pick<Engine, 'runCounts' | 'onRunFinished'>): void {
    this.engine = engine;
    engine.onRunFinished((run) => this.runFinished(run));
  }

  runFinished({ plan, outcome }: FinishedRun): void {
    const labels = runLabels(plan);
    const status = outcome.status === 'success' ? 'success' : 'failed';
    this.runs.inc({ ...labels, status });
    this.recordsRead.inc(labels, outcome.inputRecords);
    this.recordsWritten.inc(labels, outcome.outputRecords);
    this.recordsFailed.inc(labels, outcome.failedRecords);
    this.bytesRead.inc(labels, outcome.inputBytes);
    this.bytesWritten.inc(labels, outcome.outputBytes);
    // The run's own clock (a test's may stand still); a clock set back must not make a negative duration.
    const seconds = Math.max(0, ((outcome.completedAt ?? outcome.startedAt) - outcome.startedAt) / 1000);
    this.runDuration.observe({ ...labels, status }, seconds);
  }

  sourceRequest({ vendor, status, retried }: SourceRequest): void {
    const labels = { provider: providerLabel(vendor), status_code: status === null ? 'none' : String(status) };
    this.sourceRequests.inc(labels);
    if (retried) this.sourceRetries.inc(labels);
  }

  /** One answered API request; `route` is the pattern the router matched (`/flows/:id`), never the URL sent. */
  httpAnswered(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route: route ?? unmatchedRoute, status_code: String(statusCode) }, seconds);
  }

  /** The exposition text and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.exposed.contentType, text: await this.exposed.metrics() };
  }

  private runCounter(name: string, help: string): Counter<RunLabel> {
    return new Counter({ name, help, labelNames: ['flow_spec', 'provider'], registers: [this.registry] });
  }

  private gauge(name: string, help: string, read: (counts: { inProgress: number; queued: number }) => number): void {
    // Read at each scrape: the engine knows its runs, a gauge kept by events could drift from it.
    const gauge: Gauge = new Gauge({ name, help, registers: [this.registry], collect: () => gauge.set(this.engine ? read(this.engine.runCounts()) : 0) });
  }
}
