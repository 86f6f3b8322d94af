import { SourceLimitError } from '../source-connector.js';
import type { StreamDefinition } from './definition.js';
import type { HttpClock } from './http-requester.js';
import type { StreamMetrics } from './stream-metrics.js';

/** Bounds on one run's read of a stream; absent values take the defaults below. */
export interface RunLimits {
  /** The most requests (retries and token renewals included) one run may send. */
  maxRequests?: number;
  /** How long a run may go without a new record or a finished window while it keeps sending requests. */
  stallMs?: number;
}

/** The number of records the default budget is sized for: large accounts' first reads fit, twice over. */
const budgetedRecords = 500_000;
const defaultStallMs = 10 * 60_000;
/** How often a run's metrics are handed out while it runs (wall time: it is about what a person sees). */
const publishEveryMs = 2_000;

/**
 * The default request budget of a stream: its pages for 500k records at its page size (the `limit` or
 * `page_size` it asks for, else 100), doubled for retries, windows and overlapping parts, plus one request per
 * record for a stream that fetches each record's detail; never below 10,000.
 */
export function defaultRequestBudget(stream: StreamDefinition): number {
  const body = stream.request.body as { limit?: unknown } | undefined;
  const size = Number(stream.request.query?.limit ?? stream.request.query?.page_size ?? body?.limit ?? 100);
  const pages = Math.ceil(budgetedRecords / (Number.isFinite(size) && size > 0 ? size : 100));
  return Math.max(10_000, 2 * pages + (stream.detail ? budgetedRecords : 0));
}

/**
 * Watches one run's read of a stream: every request passes `beforeRequest`, which fails the run once the
 * request budget is spent or nothing new has come for `stallMs` (requests failing, or answering nothing new),
 * each with a reason naming the bound and what was read. It also hands out the metrics every few seconds, so
 * a run in progress shows its requests and pages.
 */
export class RunGuard {
  readonly maxRequests: number;
  readonly stallMs: number;
  private requests = 0;
  private lastProgress: number;
  private lastPublished = 0;

  constructor(
    private readonly stream: StreamDefinition,
    private readonly metrics: StreamMetrics,
    private readonly clock: HttpClock,
    limits: RunLimits = {},
    private readonly publish?: (metrics: StreamMetrics) => void,
  ) {
    this.maxRequests = limits.maxRequests ?? defaultRequestBudget(stream);
    this.stallMs = limits.stallMs ?? defaultStallMs;
    this.lastProgress = clock.now();
  }

  beforeRequest(): void {
    const read = `${this.metrics.pages} pages and ${this.metrics.records} records read`;
    if (this.requests >= this.maxRequests) {
      throw new SourceLimitError('requestBudget', this.maxRequests, `${this.stream.name}: the run used its request budget of ${this.maxRequests} requests (${read}, ${this.metrics.retries} retries) and stopped; a source that answers the same pages again never ends, and a larger account needs a larger budget (maxRequests)`, { stream: this.stream.name });
    }
    const idle = this.clock.now() - this.lastProgress;
    if (idle > this.stallMs) {
      throw new SourceLimitError('stallTimeout', this.stallMs, `${this.stream.name}: nothing new for ${Math.round(idle / 1000)} s (the stall timeout is ${Math.round(this.stallMs / 1000)} s) while requests went on (${this.requests} requests, ${this.metrics.retries} retries, ${read}), so the run stopped`, { stream: this.stream.name });
    }
    // The metrics as of the requests already sent (this one is counted as it goes out): none yet, nothing to show.
    if (this.metrics.requests > 0) this.maybePublish();
    this.requests += 1;
  }

  /** A page was read; `progressed` when it brought records or finished its window. */
  pageRead(progressed: boolean): void {
    if (progressed) this.lastProgress = this.clock.now();
    this.maybePublish();
  }

  private maybePublish(): void {
    if (!this.publish) return;
    const now = Date.now();
    if (now - this.lastPublished < publishEveryMs) return;
    this.lastPublished = now;
    this.publish({ ...this.metrics, tolerated: { ...this.metrics.tolerated }, unknownFields: { ...this.metrics.unknownFields } });
  }
}
