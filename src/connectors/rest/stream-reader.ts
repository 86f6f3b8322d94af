import { SourceConfigError, SourceProviderError } from '../source-connector.js';
import type { ChangeFeed, RestConnectorDefinition, StreamDefinition, WindowedCursor } from './definition.js';
import type { Authenticator, HttpClock, HttpRequest, HttpRequester, HttpResponse } from './http-requester.js';
import { nextPage } from './paginators.js';
import { valueAt, type RecordWriter } from './record-writer.js';
import type { StreamMetrics } from './stream-metrics.js';
import { WorkQueue } from './work-queue.js';

/**
 * A stream's incremental position: the end (epoch ms) of the last window read completely, and for streams with
 * a change feed, the time of the last change read.
 */
export interface StreamState {
  cursor?: number;
  changesSince?: number;
  /** When the whole table was last read (a snapshot of its current state). */
  fullReadAt?: number;
}

/** Something the run should tell the user that did not stop it. */
export interface ReadNotice {
  code: string;
  message: string;
}

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
}

/** A window the provider said holds too many results; it is read again as two halves. */
class WindowTooLarge extends Error {}

/**
 * Reads one stream: its windows (for incremental streams), each window's pages, each page's records (with
 * their detail when the stream has one), written as they arrive. Returns the state to commit with the batch:
 * the cursor moves to the end of the last window, and only because every window before it was read.
 */
export async function readStream(
  reading: StreamReading,
  window: { start: number | null; end: number },
  state: StreamState | undefined,
): Promise<{ state: StreamState; notices: ReadNotice[]; snapshot: boolean }> {
  const feed = reading.stream.changes;
  const startedAt = reading.clock.now();
  const notices: ReadNotice[] = [];
  if (feed && state?.changesSince !== undefined && reading.limit === undefined) {
    const age = startedAt - state.changesSince;
    // A day's margin: events near the end of the retention may expire while the run pages through them.
    if (age <= feed.retentionMs - 86_400_000) return { state: { ...state, changesSince: await readChanges(reading, feed, state.changesSince, startedAt) }, notices, snapshot: false };
    notices.push({
      code: 'CONNECTOR-2104-200',
      message: `${reading.stream.name}: ${reading.definition.vendor} keeps change events for ${Math.round(feed.retentionMs / 86_400_000)} days and the last read was ${Math.round(age / 86_400_000)} days ago, so the whole table was read again`,
    });
    window = { start: null, end: window.end };
    state = undefined;
  }
  const reconcile = reading.stream.reconcileEveryMs;
  if (reconcile !== undefined && state?.fullReadAt !== undefined && startedAt - state.fullReadAt >= reconcile && reading.limit === undefined) {
    notices.push({ code: 'CONNECTOR-2105-200', message: `${reading.stream.name}: the whole table was read to find the records deleted since ${new Date(state.fullReadAt).toISOString()}` });
    window = { start: null, end: window.end };
    state = undefined;
  }
  // Without a position the whole table is read: its rows are the source's current state.
  const snapshot = state === undefined && window.start === null && reading.limit === undefined;
  const read = await readHistory(reading, window, state);
  const next: StreamState = { ...read, ...(snapshot ? { fullReadAt: startedAt } : state?.fullReadAt !== undefined ? { fullReadAt: state.fullReadAt } : {}) };
  // Changes made while the history was read are read again next time: the feed starts where this read began.
  return { state: feed ? { ...next, changesSince: secondsFloor(startedAt) - 1000 } : next, notices, snapshot };
}

/** Every partition of the stream (or the stream itself), each through the same windows. */
async function readHistory(reading: StreamReading, window: { start: number | null; end: number }, state: StreamState | undefined): Promise<StreamState> {
  const { stream } = reading;
  let next: StreamState = state ?? {};
  for (const partition of await partitionsOf(reading)) next = await readWindows(reading, window, state, partition);
  return stream.cursor ? next : {};
}

/** A request without any partition applied, or one per partition value (group). */
type Partition = (request: HttpRequest) => HttpRequest;

async function partitionsOf(reading: StreamReading): Promise<Partition[]> {
  const spec = reading.stream.partitions;
  if (!spec) return [(request) => request];
  const request: HttpRequest = { method: spec.request.method ?? 'GET', path: spec.request.path, query: { ...spec.request.query } };
  const response = await reading.http.send(request, reading.auth, reading.metrics);
  if (response.status >= 300) throw failure(reading.stream, request, response);
  const values = selectRecords(reading.stream, response.body, spec.records.path).map((r) => valueAt(r, spec.valuePath)).filter((v): v is string => typeof v === 'string');
  const size = spec.groupSize ?? 1;
  const groups: string[][] = [];
  for (let i = 0; i < values.length; i += size) groups.push(values.slice(i, i + size));
  return groups.map((group) => (request: HttpRequest) =>
    spec.in === 'query' ? { ...request, query: { ...request.query, [spec.param]: group.join(',') } } : withBodyValue(request, spec.param, size === 1 ? group[0] : group),
  );
}

async function readWindows(reading: StreamReading, window: { start: number | null; end: number }, state: StreamState | undefined, partition: Partition): Promise<StreamState> {
  const { stream } = reading;
  if (!stream.cursor) {
    await readPages(reading, partition(baseRequest(stream)));
    return {};
  }
  const cursor = stream.cursor;
  const now = reading.clock.now();
  // Data younger than the provider's lag may still be missing: it is left for a later run.
  const end = Math.min(window.end, now - cursor.sourceLagMs);
  const start = state?.cursor !== undefined ? state.cursor - cursor.lookbackMs : (window.start ?? now - cursor.historyMs);
  if (end <= start) return state ?? {};
  const queue = new WorkQueue<[number, number]>(reading.limit ? 1 : reading.definition.concurrency, async ([from, to], q) => {
    if (reading.limit !== undefined && reading.metrics.records >= reading.limit) return;
    reading.metrics.windows += 1;
    try {
      await readPages(reading, partition(windowRequest(stream, cursor, from, to)), (last) => fanOut(reading, cursor, [from, to], last, q));
    } catch (error) {
      if (!(error instanceof WindowTooLarge)) throw error;
      if (to - from <= 1000) throw new SourceProviderError(`${stream.name}: even one second from ${new Date(from).toISOString()} holds more results than the provider will list`, { stream: stream.name });
      reading.metrics.windowsSplit += 1;
      const middle = from + Math.floor((to - from) / 2);
      q.push([from, middle]);
      q.push([middle, to]);
    }
  });
  for (let from = start; from < end; from += cursor.maxWindowMs) queue.push([from, Math.min(end, from + cursor.maxWindowMs)]);
  await queue.drain();
  return { cursor: end };
}

/**
 * Reads the change events after `since`, a request per group of at most `maxTypesPerRequest` types, and writes
 * each event's record, newest first, with `_deleted` for deletion events. Returns the new position: the last
 * event's time, but never the current second, whose later events may not be listed yet.
 */
async function readChanges(reading: StreamReading, feed: ChangeFeed, since: number, startedAt: number): Promise<number> {
  let newest = since;
  for (let i = 0; i < feed.types.length; i += feed.maxTypesPerRequest) {
    const types = feed.types.slice(i, i + feed.maxTypesPerRequest);
    const query: Record<string, string> = { ...feed.request.query, [feed.afterParam]: String(Math.floor(since / 1000)) };
    types.forEach((type, index) => (query[`${feed.typesParam}[${index}]`] = type));
    let request: HttpRequest | null = { method: feed.request.method ?? 'GET', path: feed.request.path, query };
    while (request) {
      const response = await reading.http.send(request, reading.auth, reading.metrics);
      if (response.status >= 300) throw failure(reading.stream, request, response);
      const events = selectRecords(reading.stream, response.body, feed.records.path);
      const mine = events.filter((event) => valueAt(event, feed.objectKind.path) === feed.objectKind.equals);
      for (const event of events) newest = Math.max(newest, Number(valueAt(event, feed.createdPath) ?? 0) * 1000);
      await reading.writer.write(
        mine.map((event) => valueAt(event, feed.objectPath) as Record<string, unknown>),
        reading.metrics,
        { newestFirst: true, deleted: mine.map((event) => feed.deletedTypes.includes(String(valueAt(event, feed.typePath)))) },
      );
      request = nextPage(feed.paginator, request, response.body, events);
    }
  }
  return Math.min(newest, secondsFloor(startedAt) - 1000);
}

function secondsFloor(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function baseRequest(stream: StreamDefinition): HttpRequest {
  return { method: stream.request.method ?? 'GET', path: stream.request.path, query: { ...stream.request.query }, ...(stream.request.body ? { body: structuredClone(stream.request.body) } : {}) };
}

function windowRequest(stream: StreamDefinition, cursor: WindowedCursor, from: number, to: number): HttpRequest {
  const format = (ms: number) => (cursor.format === 'rfc3339' ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(Math.floor(ms / 1000)));
  const bounds: [string, string][] = [[cursor.startParam, format(from)], ...(cursor.endParam ? [[cursor.endParam, format(to)] as [string, string]] : [])];
  let request = baseRequest(stream);
  for (const [param, value] of bounds) request = cursor.in === 'body' ? withBodyValue(request, param, value) : { ...request, query: { ...request.query, [param]: value } };
  return request;
}

/** The request with `value` at a dot path of its JSON body (`query.filter.updated_at.start_at`). */
function withBodyValue(request: HttpRequest, dotPath: string, value: unknown): HttpRequest {
  const body = structuredClone(request.body instanceof URLSearchParams || request.body === undefined ? {} : request.body) as Record<string, unknown>;
  const keys = dotPath.split('.');
  let node = body;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
  return { ...request, body };
}

/** Windows narrower than this are read page after page: cutting them further gains little. */
const narrowestFanOutMs = 86_400_000;

/**
 * After a window's first page: when more pages follow and the API's order is known, the rest of the window
 * (up to or from the page's last record) is cut into parts for the queue to read side by side. The part's
 * bound includes the last record's second, so a record sharing it is read twice, not lost: the reader keeps
 * one of each. Returns whether the window was handed over.
 */
function fanOut(reading: StreamReading, cursor: WindowedCursor, [from, to]: [number, number], last: Record<string, unknown>, queue: WorkQueue<[number, number]>): boolean {
  const parts = reading.definition.concurrency;
  if (!cursor.order || parts < 2 || reading.limit !== undefined) return false;
  const column = reading.stream.columns.find((c) => c.name === cursor.column);
  const raw = column ? valueAt(last, column.path) : undefined;
  const at = typeof raw === 'number' ? (column?.epochSeconds ? raw * 1000 : raw) : typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (!Number.isFinite(at)) return false;
  const [lo, hi] = cursor.order === 'newest-first' ? [from, Math.min(to, Math.floor(at / 1000) * 1000 + 1000)] : [Math.max(from, Math.floor(at / 1000) * 1000), to];
  if (hi - lo < narrowestFanOutMs) return false;
  const step = Math.ceil((hi - lo) / parts);
  for (let start = lo; start < hi; start += step) queue.push([start, Math.min(hi, start + step)]);
  return true;
}

async function readPages(reading: StreamReading, first: HttpRequest, handOver?: (last: Record<string, unknown>) => boolean): Promise<void> {
  const { stream, metrics } = reading;
  let request: HttpRequest | null = first;
  let pending: Promise<HttpResponse> | null = reading.http.send(first, reading.auth, metrics);
  while (request && pending) {
    const response: HttpResponse = await pending;
    if (response.status >= 300) {
      if (isTolerated(stream, response, metrics)) return;
      throw failure(stream, request, response);
    }
    const listed = selectRecords(stream, response.body, stream.records.path);
    const room = reading.limit === undefined ? Infinity : Math.max(0, reading.limit - metrics.records);
    let records = listed.length > room ? listed.slice(0, room) : listed;
    let next: HttpRequest | null = listed.length >= room ? null : nextPage(stream.paginator, request, response.body, listed);
    // Only the first page of a window may hand the rest of it over.
    if (next && request === first && listed.length > 0 && handOver?.(listed[listed.length - 1] as Record<string, unknown>)) next = null;
    // The next page is on its way while this one is written: the provider and the writer work at once.
    pending = next ? reading.http.send(next, reading.auth, metrics) : null;
    // Awaited on the next turn; should writing this page fail first, its failure must not go unhandled.
    pending?.catch(() => undefined);
    if (stream.detail) records = await withDetails(reading, records);
    const gone = stream.deletedWhen;
    await reading.writer.write(records, metrics, gone ? { deleted: records.map((r) => valueAt(r, gone.path) === gone.equals) } : {});
    request = next;
  }
}

function selectRecords(stream: StreamDefinition, body: unknown, path: string[]): Record<string, unknown>[] {
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

function isTolerated(stream: StreamDefinition, response: HttpResponse, metrics: StreamMetrics): boolean {
  if (stream.cursor?.splitWhen && response.status === stream.cursor.splitWhen.status && JSON.stringify(response.body).includes(stream.cursor.splitWhen.bodyIncludes)) {
    throw new WindowTooLarge();
  }
  const tolerated = stream.tolerate?.find((t) => t.status === response.status);
  if (!tolerated) return false;
  metrics.tolerated[tolerated.reason] = (metrics.tolerated[tolerated.reason] ?? 0) + 1;
  return true;
}

/** A status no definition expects: a 403 is the user's to fix (permissions), anything else is reported as the provider said it. */
function failure(stream: StreamDefinition, request: HttpRequest, response: HttpResponse): Error {
  const details = { stream: stream.name, method: request.method, url: request.path, status: response.status };
  const said = providerMessage(response.body);
  if (response.status === 403) return new SourceConfigError(`${stream.name}: the account may not read ${request.path} (403${said ? `: ${said}` : ''}); grant the permission or leave the table out`, details);
  return new SourceProviderError(`${stream.name}: ${request.method} ${request.path} answered ${response.status}${said ? `: ${said}` : ''}`, details);
}

function providerMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body !== 'object' || body === null) return '';
  const b = body as Record<string, unknown>;
  const nested = (b.error ?? (Array.isArray(b.errors) ? b.errors[0] : undefined)) as Record<string, unknown> | string | undefined;
  const parts = [b.name, b.message, typeof nested === 'string' ? nested : nested?.message ?? nested?.detail ?? nested?.code, b.error_description];
  return parts.filter((p): p is string => typeof p === 'string').join(': ').slice(0, 300);
}
