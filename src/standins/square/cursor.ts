import type { Resume } from './keyset-pager.js';
import type { SortKey } from './sort-index.js';
import { invalidRequest } from './square-errors.js';

/**
 * Square's cursors are opaque and only good for "the original query". Ours carry the resume point, the
 * defaults resolved on the first page (e.g. `end_time` = now), and a fingerprint of the query; a cursor sent
 * with other filters, or one that was not made here, is rejected with 400 INVALID_CURSOR.
 */
export interface CursorContents<K extends SortKey> {
  resume: Resume<K>;
  /** Values fixed when the first page was served (time-window defaults), by name. */
  pinned: Record<string, number>;
}

interface CursorWire {
  q: string;
  k: SortKey;
  r: number;
  p: Record<string, number>;
  c: string;
}

export function makeCursor<K extends SortKey>(queryFingerprint: string, contents: CursorContents<K>): string {
  const body = { q: queryFingerprint, k: contents.resume.key, r: contents.resume.row, p: contents.pinned };
  const wire: CursorWire = { ...body, c: hash(canonicalJson(body)) };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/** Opens a cursor for the query it must belong to; `keyKind` is the type the sort key must have. */
export function openCursor<K extends SortKey>(text: string, queryFingerprint: string, keyKind: 'number' | 'string'): CursorContents<K> {
  const wire = decode(text);
  if (!wire) throw invalidRequest('INVALID_CURSOR', 'The pagination cursor is invalid.', 'cursor');
  if (wire.q !== queryFingerprint) {
    throw invalidRequest('INVALID_CURSOR', 'The pagination cursor does not match the original query; send the same filters as the request that returned it.', 'cursor');
  }
  if (typeof wire.k !== keyKind) throw invalidRequest('INVALID_CURSOR', 'The pagination cursor is invalid.', 'cursor');
  return { resume: { key: wire.k as K, row: wire.r }, pinned: wire.p };
}

function decode(text: string): CursorWire | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const wire = parsed as Partial<CursorWire>;
  if (typeof wire.q !== 'string' || typeof wire.c !== 'string' || !Number.isInteger(wire.r) || (wire.r as number) < 0) return null;
  if (typeof wire.k !== 'number' && typeof wire.k !== 'string') return null;
  if (typeof wire.p !== 'object' || wire.p === null || Object.values(wire.p).some((value) => typeof value !== 'number')) return null;
  const body = { q: wire.q, k: wire.k, r: wire.r, p: wire.p };
  return hash(canonicalJson(body)) === wire.c ? (wire as CursorWire) : null;
}

/** The query's identity: everything that selects or orders records (not the cursor, not the page size). */
export function queryFingerprint(query: unknown): string {
  return hash(canonicalJson(query));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a, 32 bits, twice with different offsets for 64 bits of collision resistance. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193 + 2);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}
