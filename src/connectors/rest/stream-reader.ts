import { SourceProviderError } from '../source-connector.js';
import type { WindowedCursor } from './definition.js';
import type { HttpRequest } from './http-requester.js';
import { readChanges, secondsFloor } from './change-feed.js';
import { failure, readPages, selectRecords, WindowIgnored, WindowTooLarge, type StreamReading } from './page-reader.js';
import { valueAt } from './record-writer.js';
import { cursorTime, resolutionOf, splitPoint } from './window-bounds.js';
import { baseRequest, windowRequest, withBodyValue } from './window-requests.js';
import { WorkQueue } from './work-queue.js';

export type { StreamReading } from './page-reader.js';

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
  const read = await readHistory(reading, window, state, notices);
  const next: StreamState = { ...read, ...(snapshot ? { fullReadAt: startedAt } : state?.fullReadAt !== undefined ? { fullReadAt: state.fullReadAt } : {}) };
  // Changes made while the history was read are read again next time: the feed starts where this read began.
  return { state: feed ? { ...next, changesSince: secondsFloor(startedAt) - 1000 } : next, notices, snapshot };
}

/** Every partition of the stream (or the stream itself), each through the same windows. */
async function readHistory(reading: StreamReading, window: { start: number | null; end: number }, state: StreamState | undefined, notices: ReadNotice[]): Promise<StreamState> {
  // Every partition goes through the same windows, so any of them says where the stream now stands.
  let next: StreamState = state ?? {};
  for (const partition of await partitionsOf(reading)) next = await readWindows(reading, window, state, partition, notices);
  return next;
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

async function readWindows(reading: StreamReading, window: { start: number | null; end: number }, state: StreamState | undefined, partition: Partition, notices: ReadNotice[]): Promise<StreamState> {
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
      await readPages(reading, partition(windowRequest(stream, cursor, from, to)), { handOver: (last) => fanOut(reading, cursor, [from, to], last, q), window: { bounds: [from, to], outside: 'refuse' } });
    } catch (error) {
      if (!(error instanceof WindowTooLarge)) throw error;
      // A window at the floor (one resolution step) cannot be cut: the provider refused it before any page, so
      // there is no page cursor to go on with inside it either.
      const middle = splitPoint(cursor, [from, to]);
      if (middle === null) throw new SourceProviderError(`${stream.name}: even ${describeSpan(resolutionOf(cursor))} from ${new Date(from).toISOString()} holds more results than the provider will list`, { stream: stream.name });
      reading.metrics.windowsSplit += 1;
      // Depth first: a provider that refuses every window (it ignores the window and the whole list is too
      // large) reaches the floor, and fails, after one cut per halving instead of after every window of a level.
      q.push([middle, to], true);
      q.push([from, middle], true);
    }
  });
  for (let from = start; from < end; from += cursor.maxWindowMs) queue.push([from, Math.min(end, from + cursor.maxWindowMs)]);
  try {
    await queue.drain();
  } catch (error) {
    if (!(error instanceof WindowIgnored)) throw error;
    await readIgnoredWindow(reading, cursor, error, [start, end], notices);
  }
  return { cursor: end };
}

/**
 * The provider listed a record outside the window asked for: it ignores the time filter, and cutting windows
 * would never end. Decided per case:
 * - the list can be paged to its end (every paginator here can): the request that showed it is read again,
 *   page after page with the stream's own paginator (Stripe's `starting_after`, a page number, a cursor), as
 *   the whole list, keeping only the records inside the run's window; a notice says what the source did.
 *   The run's request budget bounds that read like any other.
 * - the provider refuses to list it all (its "too many results" answer): nothing could read the window, and
 *   the run fails saying which window was asked for and what came back.
 * Records read before it was noticed may be read again: the staged reader keeps one of each.
 */
async function readIgnoredWindow(reading: StreamReading, cursor: WindowedCursor, ignored: WindowIgnored, [start, end]: [number, number], notices: ReadNotice[]): Promise<void> {
  const { stream, definition, metrics } = reading;
  const asked = `${cursor.column} from ${iso(ignored.window[0])} to ${iso(ignored.window[1])} (${[cursor.startParam, cursor.endParam].filter(Boolean).join(', ')})`;
  const said = `${definition.vendor} ignored the time window: asked for ${asked}, it answered a record of ${iso(ignored.seenAt)}`;
  const before = metrics.records;
  try {
    await readPages(reading, ignored.request, { window: { bounds: [start, end], outside: 'keep' } });
  } catch (error) {
    if (!(error instanceof WindowTooLarge)) throw error;
    throw new SourceProviderError(`${stream.name}: ${said}, and it will not list the whole table (too many results), so the table cannot be read`, { stream: stream.name });
  }
  if (!notices.some((n) => n.code === ignoredWindowNotice)) {
    notices.push({ code: ignoredWindowNotice, message: `${stream.name}: ${said}; the whole list was read page by page instead, keeping the ${metrics.records - before} records from ${iso(start)} to ${iso(end)} and leaving out ${metrics.outsideWindow} outside it` });
  }
}

const ignoredWindowNotice = 'CONNECTOR-2106-200';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function describeSpan(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
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
  const at = cursorTime(reading.stream, cursor, last);
  if (at === null) return false;
  const [lo, hi] = cursor.order === 'newest-first' ? [from, Math.min(to, Math.floor(at / 1000) * 1000 + 1000)] : [Math.max(from, Math.floor(at / 1000) * 1000), to];
  if (hi - lo < narrowestFanOutMs) return false;
  const step = Math.ceil((hi - lo) / parts);
  for (let start = lo; start < hi; start += step) queue.push([start, Math.min(hi, start + step)]);
  return true;
}
