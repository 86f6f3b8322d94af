import type { StreamDefinition, WindowedCursor } from './definition.js';
import type { HttpRequest } from './http-requester.js';

/** The stream's own request, copied so a window or partition can change it. */
export function baseRequest(stream: StreamDefinition): HttpRequest {
  return { method: stream.request.method ?? 'GET', path: stream.request.path, query: { ...stream.request.query }, ...(stream.request.body ? { body: structuredClone(stream.request.body) } : {}) };
}

/** The stream's request for one window, its bounds in the query or the search body. */
export function windowRequest(stream: StreamDefinition, cursor: WindowedCursor, from: number, to: number): HttpRequest {
  const format = (ms: number) => (cursor.format === 'rfc3339' ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(Math.floor(ms / 1000)));
  const bounds: [string, string][] = [[cursor.startParam, format(from)], ...(cursor.endParam ? [[cursor.endParam, format(to)] as [string, string]] : [])];
  let request = baseRequest(stream);
  for (const [param, value] of bounds) request = cursor.in === 'body' ? withBodyValue(request, param, value) : { ...request, query: { ...request.query, [param]: value } };
  return request;
}

/** The request with `value` at a dot path of its JSON body (`query.filter.updated_at.start_at`). */
export function withBodyValue(request: HttpRequest, dotPath: string, value: unknown): HttpRequest {
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
