import { SourceConfigError, SourceProviderError, SourceTransientError } from '../source-connector.js';
import type { RequestAttempt } from './request-observer.js';
import type { StreamMetrics } from './stream-metrics.js';
import type { RateBucket } from './rate-bucket.js';
import { retryAfterMs } from '../../http/retry-after.js';

/**
 * Retries are decided here, once, for every connector: statuses worth another try, how many tries, and how
 * long to wait between them (exponential with full jitter, or the provider's `Retry-After`).
 */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 8,
  statuses: [408, 429, 500, 502, 503, 504],
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
};

export interface RetryPolicy {
  attempts: number;
  statuses: number[];
  baseDelayMs: number;
  maxDelayMs: number;
  /** A request that has not answered by then is abandoned and retried. */
  timeoutMs: number;
}

/** How often one request may renew the credentials after a 401 before the run gives up on them. */
const maxRenewals = 3;

/** Time and randomness, passed in so tests neither sleep for real nor depend on chance. */
export interface HttpClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const systemClock: HttpClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/v1/catalogs/products`. */
  path: string;
  query?: Record<string, string>;
  /** JSON body (serialized here) or a form (URLSearchParams). */
  body?: Record<string, unknown> | URLSearchParams;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  bytes: number;
}

/** Supplies the authorization headers, and renews them when the provider says they expired (401). */
export interface Authenticator {
  headers(): Promise<Record<string, string>>;
  /** Absent when the credentials cannot be renewed (a static key): a 401 then fails the run. */
  refresh?(): Promise<void>;
}

/**
 * Sends one logical request: waits for the connection's rate limit, retries what is worth retrying, renews
 * credentials once on a 401, and hands back any other answer (the caller decides what a 404 or a 400 means).
 */
export class HttpRequester {
  constructor(
    private readonly baseUrl: string,
    private readonly bucket: RateBucket,
    private readonly clock: HttpClock,
    private readonly policy: RetryPolicy = defaultRetryPolicy,
    private readonly defaultHeaders: Record<string, string> = {},
    /** Called before every request is sent (a run's budget and stall timeout); throws to stop the run. */
    private readonly beforeRequest?: () => void,
    /** Told how each attempt came back (metrics); must not throw. */
    private readonly observe?: (attempt: RequestAttempt) => void,
  ) {}

  /**
   * An authorized request. A 401 renews the credentials, a few times at most: a token can expire again
   * between its renewal and its use, but credentials the provider keeps refusing are the user's to fix.
   */
  async send(request: HttpRequest, auth: Authenticator, metrics: StreamMetrics): Promise<HttpResponse> {
    for (let renewals = 0; ; ) {
      const used = await auth.headers();
      const response = await this.sendWithRetries(request, used, metrics);
      if (response.status !== 401) return response;
      if (!auth.refresh || renewals >= maxRenewals) {
        throw new SourceConfigError(`the provider rejected the credentials (401 on ${request.method} ${request.path}); update the connection`, this.details(request, 401, metrics));
      }
      // Another request may have renewed them while this one was under way: then its token is tried first.
      if ((await auth.headers()).authorization === used.authorization) {
        renewals += 1;
        await auth.refresh();
      }
    }
  }

  /** A request without the connection's authorization (token endpoints carry their own). */
  async sendWithRetries(request: HttpRequest, authHeaders: Record<string, string>, metrics: StreamMetrics): Promise<HttpResponse> {
    const url = this.url(request);
    for (let attempt = 1; ; attempt += 1) {
      this.beforeRequest?.();
      await this.bucket.take();
      metrics.requests += 1;
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          headers: { accept: 'application/json', ...this.defaultHeaders, ...authHeaders, ...request.headers, ...contentType(request.body) },
          ...(request.body === undefined ? {} : { body: request.body instanceof URLSearchParams ? request.body.toString() : JSON.stringify(request.body) }),
          signal: AbortSignal.timeout(this.policy.timeoutMs),
        });
      } catch (error) {
        // Timeouts, resets and refused connections: the request may not have been seen; GETs and searches are safe to repeat.
        const retried = attempt < this.policy.attempts;
        this.observe?.({ status: null, retried });
        if (!retried) {
          throw new SourceTransientError(`${request.method} ${request.path} failed ${attempt} times: ${describe(error)}`, this.details(request, undefined, metrics));
        }
        metrics.retries += 1;
        await this.clock.sleep(this.backoff(attempt));
        continue;
      }
      const text = await response.text().catch(() => null);
      const retryable = this.policy.statuses.includes(response.status);
      if (text === null || (retryable && attempt < this.policy.attempts)) {
        this.observe?.({ status: response.status, retried: attempt < this.policy.attempts });
        if (text !== null && response.status === 429) metrics.rateLimited += 1;
        if (attempt >= this.policy.attempts) throw new SourceTransientError(`${request.method} ${request.path}: the response broke off ${attempt} times`, this.details(request, response.status, metrics));
        metrics.retries += 1;
        // An HTTP-date Retry-After is wall-clock time, whatever clock the run's windows follow.
        await this.clock.sleep(retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? this.backoff(attempt));
        continue;
      }
      this.observe?.({ status: response.status, retried: false });
      if (retryable) {
        throw new SourceTransientError(`${request.method} ${request.path} answered ${response.status} ${attempt} times; the provider may be down or limiting this account`, this.details(request, response.status, metrics));
      }
      const bytes = Buffer.byteLength(text);
      metrics.bytes += bytes;
      return { status: response.status, body: parseBody(text, request, response.status), bytes };
    }
  }

  private url(request: HttpRequest): string {
    const url = new URL(request.path, this.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.append(key, value);
    return url.toString();
  }

  private backoff(attempt: number): number {
    return Math.round(this.clock.random() * Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1)));
  }

  private details(request: HttpRequest, status: number | undefined, metrics: StreamMetrics) {
    return { stream: metrics.stream, method: request.method, url: request.path, ...(status !== undefined ? { status } : {}) };
  }
}

function contentType(body: HttpRequest['body']): Record<string, string> {
  if (body === undefined) return {};
  return { 'content-type': body instanceof URLSearchParams ? 'application/x-www-form-urlencoded' : 'application/json' };
}

function parseBody(text: string, request: HttpRequest, status: number): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (status >= 400) return text;
    throw new SourceProviderError(`${request.method} ${request.path} answered ${status} with a body that is not JSON`, { method: request.method, url: request.path, status });
  }
}


function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
