import { SourceConfigError, SourceProviderError } from '../source-connector.js';
import type { RestConnectorDefinition, StreamDefinition, WindowedCursor } from './definition.js';
import type { Authenticator, HttpClock, HttpRequest, HttpRequester, HttpResponse } from './http-requester.js';
import { nextPage } from './paginators.js';
import { valueAt, type RecordWriter } from './record-writer.js';
import { providerMessage } from './provider-message.js';
import type { RunGuard } from './run-guard.js';
import { outsideWindow } from './window-bounds.js';
import type { StreamMetrics } from './stream-metrics.js';
import { WorkQueue } from './work-queue.js';

/** Everything one read of a stream works with. */
export interface StreamReading {
  definition: RestConnectorDefinition;
  stream: StreamDefinition;
  http: HttpRequester;
  auth: Authenticator;
  clock: HttpClock;
  metrics: StreamMetrics;
  writer: RecordWriter;
  /** Stop after this many records (explore previews). */
  limit?: number;
  /** The run's request budget and stall timeout, told of each page read. */
  guard?: RunGuard;
}

/** A window the provider said holds too many results; it is read again as two halves. */
export class WindowTooLarge extends Error {}

/**
 * A window's page held a record outside the window asked for: the provider ignores the time filter. Cutting
 * the window further would never end (every part answers the same list), so the reader stops cutting.
 */
export class WindowIgnored extends Error {
  constructor(readonly request: HttpRequest, readonly window: [number, number], readonly seenAt: number) {
    super('the provider ignored the time window');
  }
}

/**
 * How a page's records are held against a time window: `refuse` throws `WindowIgnored` at the first record
 * outside it (a window read), `keep` writes only the records inside it (the whole list read instead).
 */
export interface PageWindow {
  bounds: [number, number];
  outside: 'refuse' | 'keep';
}

export interface PageOptions {
  /** Only the first page of a window may hand the rest of it over (to be read in parts). */
  handOver?: (last: Record<string, unknown>) => boolean;
  window?: PageWindow;
}

export async function readPages(reading: StreamReading, first: HttpRequest, options: PageOptions = {}): Promise<void> {
  const { stream, metrics } = reading;
  const { handOver, window } = options;
  const cursor = stream.cursor;
  let request: HttpRequest | null = first;
  let pending: Promise<HttpResponse> | null = reading.http.send(first, reading.auth, metrics);
  while (request && pending) {
    const response: HttpResponse = await pending;
    if (response.status >= 300) {
      if (isTooLarge(stream, response)) throw new WindowTooLarge();
      if (isTolerated(stream, response, metrics)) return;
      throw failure(stream, request, response);
    }
    const listed = selectRecords(stream, response.body, stream.records.path);
    const kept = window && cursor ? keptInWindow(reading, cursor, window, first, listed) : listed;
    const room = reading.limit === undefined ? Infinity : Math.max(0, reading.limit - metrics.records);
    let records = kept.length > room ? kept.slice(0, room) : kept;
    // Paging follows the page as listed (its last id, its length), whatever of it is kept.
    let next: HttpRequest | null = kept.length >= room ? null : nextPage(stream.paginator, request, response.body, listed);
    // Only the first page of a window may hand the rest of it over.
    if (next && request === first && listed.length > 0 && handOver?.(listed[listed.length - 1] as Record<string, unknown>)) next = null;
    // The next page is on its way while this one is written: the provider and the writer work at once.
    pending = next ? reading.http.send(next, reading.auth, metrics) : null;
    // Awaited on the next turn; should writing this page fail first, its failure must not go unhandled.
    pending?.catch(() => undefined);
    if (stream.detail) records = await withDetails(reading, records);
    const gone = stream.deletedWhen;
    await reading.writer.write(records, metrics, gone ? { deleted: records.map((r) => valueAt(r, gone.path) === gone.equals) } : {});
    metrics.pages += 1;
    reading.guard?.pageRead(records.length > 0 || next === null);
    request = next;
  }
}

/** The page's records inside the window; a record outside it means the provider ignored the window (`refuse`). */
function keptInWindow(reading: StreamReading, cursor: WindowedCursor, window: PageWindow, first: HttpRequest, listed: Record<string, unknown>[]): Record<string, unknown>[] {
  const inside = listed.filter((record) => {
    const at = outsideWindow(reading.stream, cursor, window.bounds, record);
    if (at !== null && window.outside === 'refuse') throw new WindowIgnored(first, window.bounds, at);
    return at === null;
  });
  reading.metrics.outsideWindow += listed.length - inside.length;
  return inside;
}

export function selectRecords(stream: StreamDefinition, body: unknown, path: string[]): Record<string, unknown>[] {
  const selected = path.length === 0 ? [body] : valueAt(body, path);
  // An absent list is an empty page (Square leaves `payments` out when there are none).
  if (selected === undefined || selected === null) return [];
  if (!Array.isArray(selected) || selected.some((r) => typeof r !== 'object' || r === null)) {
    throw new SourceProviderError(`${stream.name}: the response has no list of records at ${path.join('.')}`, { stream: stream.name });
  }
  return selected as Record<string, unknown>[];
}

/** Each record's detail, fetched with bounded concurrency and merged over the listed fields. */
async function withDetails(reading: StreamReading, records: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const detail = reading.stream.detail as NonNullable<StreamDefinition['detail']>;
  const merged: (Record<string, unknown> | null)[] = new Array(records.length).fill(null);
  const queue = new WorkQueue<number>(reading.definition.concurrency, async (index) => {
    const record = records[index] as Record<string, unknown>;
    const id = valueAt(record, detail.idPath);
    if (typeof id !== 'string' && typeof id !== 'number') throw new SourceProviderError(`${reading.stream.name}: a record has no ${detail.idPath.join('.')}`, { stream: reading.stream.name });
    const request: HttpRequest = { method: 'GET', path: detail.path.replace('{id}', encodeURIComponent(String(id))) };
    const response = await reading.http.send(request, reading.auth, reading.metrics);
    if (response.status >= 300) {
      if (isTolerated(reading.stream, response, reading.metrics)) return;
      throw failure(reading.stream, request, response);
    }
    merged[index] = { ...record, ...(response.body as Record<string, unknown>) };
  });
  records.forEach((_, index) => queue.push(index));
  await queue.drain();
  return merged.filter((r): r is Record<string, unknown> => r !== null);
}

/** The provider's "too many results": the window is read again in halves (windowed list requests only). */
function isTooLarge(stream: StreamDefinition, response: HttpResponse): boolean {
  const split = stream.cursor?.splitWhen;
  return split !== undefined && response.status === split.status && JSON.stringify(response.body).includes(split.bodyIncludes);
}

/** A status the stream's definition tolerates (counted in the run), e.g. a 404 for a record deleted meanwhile. */
function isTolerated(stream: StreamDefinition, response: HttpResponse, metrics: StreamMetrics): boolean {
  const tolerated = stream.tolerate?.find((t) => t.status === response.status);
  if (!tolerated) return false;
  metrics.tolerated[tolerated.reason] = (metrics.tolerated[tolerated.reason] ?? 0) + 1;
  return true;
}

/** A status no definition expects: a 403 is the user's to fix (permissions), anything else is reported as the provider said it. */
export function failure(stream: StreamDefinition, request: HttpRequest, response: HttpResponse): Error {
  const details = { stream: stream.name, method: request.method, url: request.path, status: response.status };
  const said = providerMessage(response.body);
  if (response.status === 403) return new SourceConfigError(`${stream.name}: the account may not read ${request.path} (403${said ? `: ${said}` : ''}); grant the permission or leave the table out`, details);
  return new SourceProviderError(`${stream.name}: ${request.method} ${request.path} answered ${response.status}${said ? `: ${said}` : ''}`, details);
}
