import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng } from './seeded-rng.js';

/**
 * The plumbing every payment-provider stand-in shares: a loopback HTTP server, a settable clock (provider
 * rules such as PayPal's 3-hour lag or Stripe's 30-day event retention are about time, and tests must not
 * sleep), request counting, and seeded fault injection in front of the provider's own handler.
 */

/** What a stand-in handler sees: the parsed request, body already read. */
export interface StandInRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  /** The raw body text ('' when none). */
  body: string;
}

export interface StandInResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string. */
  body?: unknown;
}

export type StandInHandler = (request: StandInRequest) => StandInResponse | Promise<StandInResponse>;

/**
 * Faults injected before the provider handles a request:
 * - `rate-limit`: 429 with `Retry-After` (the provider's own 429 body, from `FaultResponses`);
 * - `server-error`: 500 (or 503) with the provider's error body;
 * - `slow`: the answer is delayed by `slowMs` (clients with shorter timeouts see a timeout);
 * - `drop`: the socket is destroyed without an answer (a connection reset);
 * - `expired-token`: the provider's `expireTokens()` runs first, so the request fails its auth check the
 *   provider's own way and the client must refresh (only for providers with expiring tokens).
 */
export type FaultKind = 'rate-limit' | 'server-error' | 'slow' | 'drop' | 'expired-token';

export interface FaultPlan {
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  kinds: readonly FaultKind[];
  /** Replays the same fault sequence for the same request sequence. */
  seed?: number;
  slowMs?: number;
  retryAfterSeconds?: number;
  /** Requests whose path matches are never faulted (e.g. the token endpoint, when a test wants that). */
  exempt?: (request: StandInRequest) => boolean;
}

/** How a provider words the faults in its own error shape. */
export interface FaultResponses {
  rateLimited(retryAfterSeconds: number): StandInResponse;
  serverError(): StandInResponse;
  /** Invalidates every issued access token (providers without expiring tokens leave this out). */
  expireTokens?(): void;
}

export interface StandInStats {
  requests: number;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Requests by `METHOD /path` (no query). */
  byRoute: Map<string, number>;
}

/** A settable clock in epoch milliseconds. */
export class StandInClock {
  constructor(private current: number = Date.now()) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface RunningStandIn {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  stats: StandInStats;
  /** Replaces the fault plan (null: no faults). */
  setFaults(plan: FaultPlan | null): void;
  close(): Promise<void>;
}

/** `port` 0 (the default) takes a free one; the server listens on 127.0.0.1 only. */
export async function startStandInServer(handler: StandInHandler, faultResponses: FaultResponses, initialFaults: FaultPlan | null = null, port = 0): Promise<RunningStandIn> {
  let plan = initialFaults;
  let rng = new Rng(plan?.seed ?? 1);
  const stats: StandInStats = {
    requests: 0,
    faults: { 'rate-limit': 0, 'server-error': 0, slow: 0, drop: 0, 'expired-token': 0 },
    byRoute: new Map(),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const request: StandInRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', 'http://127.0.0.1'),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        stats.requests += 1;
        const route = `${request.method} ${request.url.pathname}`;
        stats.byRoute.set(route, (stats.byRoute.get(route) ?? 0) + 1);

        const fault = plan && !plan.exempt?.(request) && rng.chance(plan.rate) ? rng.pick(plan.kinds) : null;
        if (fault) stats.faults[fault] += 1;
        if (fault === 'drop') {
          req.socket.destroy();
          return;
        }
        if (fault === 'rate-limit') return send(res, faultResponses.rateLimited(plan?.retryAfterSeconds ?? 1));
        if (fault === 'server-error') return send(res, faultResponses.serverError());
        if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, plan?.slowMs ?? 2_000));
        if (fault === 'expired-token') faultResponses.expireTokens?.();
        send(res, await handler(request));
      })().catch((error: unknown) => {
        // A stand-in bug must be loud in the test output, not look like a provider 500.
        console.error('stand-in handler failed', error);
        send(res, { status: 599, body: { standInError: String(error) } });
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    // A taken port must be an error the caller sees, not an uncaught 'error' event.
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    stats,
    setFaults(next) {
      plan = next;
      rng = new Rng(next?.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: http.ServerResponse, response: StandInResponse): void {
  if (res.destroyed) return;
  const isText = typeof response.body === 'string';
  const payload = response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': isText ? 'text/plain' : 'application/json',
    ...response.headers,
  });
  res.end(payload);
}

/** Reads `Authorization: Bearer <token>`; null when absent or of another scheme. */
export function bearerToken(headers: http.IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** Reads `Authorization: Basic base64(user:password)`. */
export function basicCredentials(headers: http.IncomingHttpHeaders): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
