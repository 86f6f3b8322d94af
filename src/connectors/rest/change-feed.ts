import type { ChangeFeed } from './definition.js';
import type { HttpRequest } from './http-requester.js';
import { failure, selectRecords, type StreamReading } from './page-reader.js';
import { nextPage } from './paginators.js';
import { valueAt } from './record-writer.js';

/**
 * Reads the change events after `since`, a request per group of at most `maxTypesPerRequest` types, and writes
 * each event's record, newest first, with `_deleted` for deletion events. Returns the new position: the last
 * event's time, but never the current second, whose later events may not be listed yet.
 */
export async function readChanges(reading: StreamReading, feed: ChangeFeed, since: number, startedAt: number): Promise<number> {
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

export function secondsFloor(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
