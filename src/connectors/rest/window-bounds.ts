import type { StreamDefinition, WindowedCursor } from './definition.js';
import { valueAt } from './record-writer.js';

/** The finest time a window's bounds are written in when the cursor does not say (both formats write seconds). */
const defaultResolutionMs = 1000;

/** The finest time step the provider filters windows on: no window is cut narrower than this. */
export function resolutionOf(cursor: WindowedCursor): number {
  return cursor.resolutionMs ?? defaultResolutionMs;
}

/** A record's cursor time in epoch ms, or null when the record carries none the reader can tell. */
export function cursorTime(stream: StreamDefinition, cursor: WindowedCursor, record: Record<string, unknown>): number | null {
  const column = stream.columns.find((c) => c.name === cursor.column);
  const raw = column ? valueAt(record, column.path) : undefined;
  const at = typeof raw === 'number' ? (column?.epochSeconds ? raw * 1000 : raw) : typeof raw === 'string' ? Date.parse(raw) : NaN;
  return Number.isFinite(at) ? at : null;
}

/**
 * Whether a record's cursor time lies outside the window `[from, to)` as the provider sees it: the bounds are
 * widened to the provider's resolution (a bound written in seconds covers its whole second, and some providers
 * include the end), and a cursor without an end (Square's "changed since") has no upper bound. A record
 * without a readable time is never outside: there is nothing to hold it against.
 */
export function outsideWindow(stream: StreamDefinition, cursor: WindowedCursor, [from, to]: [number, number], record: Record<string, unknown>): number | null {
  const at = cursorTime(stream, cursor, record);
  if (at === null) return null;
  const resolution = resolutionOf(cursor);
  const lo = Math.floor(from / resolution) * resolution;
  const hi = cursor.endParam ? Math.ceil(to / resolution) * resolution : Infinity;
  return at < lo || at > hi ? at : null;
}

/**
 * Where a window splits in two: a point on the provider's resolution strictly inside it, near its middle; null
 * when there is none (the window is at the floor: one resolution step or less).
 */
export function splitPoint(cursor: WindowedCursor, [from, to]: [number, number]): number | null {
  const resolution = resolutionOf(cursor);
  let middle = Math.floor((from + to) / 2 / resolution) * resolution;
  if (middle <= from) middle = Math.floor(from / resolution) * resolution + resolution;
  return middle < to ? middle : null;
}
