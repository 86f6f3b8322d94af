import type { SortIndex, SortKey } from './sort-index.js';

/**
 * One page of a keyset walk over a sort index: the range on the sort key is found by binary search, the
 * other filters are applied row by row. Resuming from (last key, last row) instead of an offset keeps pages
 * stable when records are added or change in between, as Square's cursors are.
 */
export interface KeyBound<K extends SortKey> {
  key: K;
  inclusive: boolean;
}

export interface Resume<K extends SortKey> {
  key: K;
  row: number;
}

export interface PageSpec<K extends SortKey> {
  index: SortIndex<K>;
  descending: boolean;
  lower?: KeyBound<K>;
  upper?: KeyBound<K>;
  after?: Resume<K>;
  limit: number;
  accept(row: number): boolean;
}

export interface Page<K extends SortKey> {
  rows: number[];
  /** Where the next page starts; null when no accepted row is left. */
  next: Resume<K> | null;
}

export function readPage<K extends SortKey>(spec: PageSpec<K>): Page<K> {
  const { index, lower, upper, after, limit, accept } = spec;
  const order = index.rows();
  const rows: number[] = [];
  let more = false;
  if (!spec.descending) {
    let start = lower ? firstAfter(index, order, lower.key, lower.inclusive ? -Infinity : Infinity) : 0;
    if (after) start = Math.max(start, firstAfter(index, order, after.key, after.row));
    for (let i = start; i < order.length; i += 1) {
      const row = order[i] as number;
      if (upper && beyondUpper(index.keyOf(row), upper)) break;
      if (!accept(row)) continue;
      if (rows.length === limit) {
        more = true;
        break;
      }
      rows.push(row);
    }
  } else {
    let start = upper ? firstAfter(index, order, upper.key, upper.inclusive ? Infinity : -Infinity) - 1 : order.length - 1;
    if (after) start = Math.min(start, firstAfter(index, order, after.key, after.row - 0.5) - 1);
    for (let i = start; i >= 0; i -= 1) {
      const row = order[i] as number;
      if (lower && belowLower(index.keyOf(row), lower)) break;
      if (!accept(row)) continue;
      if (rows.length === limit) {
        more = true;
        break;
      }
      rows.push(row);
    }
  }
  const lastRow = rows[rows.length - 1];
  return { rows, next: more && lastRow !== undefined ? { key: index.keyOf(lastRow), row: lastRow } : null };
}

/** Counts the rows in range that pass the filters (Square's `count=true`). */
export function countRows<K extends SortKey>(spec: Omit<PageSpec<K>, 'limit' | 'after' | 'descending'>): number {
  let count = 0;
  const order = spec.index.rows();
  for (const row of order) {
    const key = spec.index.keyOf(row);
    if (spec.lower && belowLower(key, spec.lower)) continue;
    if (spec.upper && beyondUpper(key, spec.upper)) continue;
    if (spec.accept(row)) count += 1;
  }
  return count;
}

function beyondUpper<K extends SortKey>(key: K, upper: KeyBound<K>): boolean {
  return upper.inclusive ? key > upper.key : key >= upper.key;
}

function belowLower<K extends SortKey>(key: K, lower: KeyBound<K>): boolean {
  return lower.inclusive ? key < lower.key : key <= lower.key;
}

/** The first position whose (key, row) sorts after (key, row); `row` may be ±Infinity to mean "any row". */
function firstAfter<K extends SortKey>(index: SortIndex<K>, order: Uint32Array, key: K, row: number): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const midRow = order[mid] as number;
    if (index.compare(index.keyOf(midRow), midRow, key, row) > 0) high = mid;
    else low = mid + 1;
  }
  return low;
}
