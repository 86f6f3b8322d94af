import { inclusiveBounds, type Range } from './param-validation.js';
import type { RecordTable } from './record-table.js';
import type { BaseRecord } from './records.js';

/**
 * Stripe's cursor paging over one table: newest first (created desc, then id desc), `starting_after` continues
 * after an object, `ending_before` gives the page right before one (still newest first), and `has_more` says
 * whether more objects lie further in the direction of travel. The `created` range narrows the scan by binary
 * search, so a window over a million records costs only its own length.
 */

export interface PageQuery<R> {
  limit: number;
  startingAfter?: R;
  endingBefore?: R;
  created?: Range;
  /** Extra filters; deleted records are always skipped. */
  accept?: (record: R) => boolean;
}

export interface Page<R> {
  data: R[];
  hasMore: boolean;
}

export function listPage<R extends BaseRecord>(table: RecordTable<R>, query: PageQuery<R>): Page<R> {
  const order = table.ascending();
  const { min, max } = inclusiveBounds(query.created);
  const lo = min === -Infinity ? 0 : table.lowerBound(min, 0);
  const hi = max === Infinity ? order.length : table.lowerBound(max + 1, 0);
  const accept = (seq: number): R | null => {
    const record = table.get(seq);
    return record && !record.deleted && (!query.accept || query.accept(record)) ? record : null;
  };

  if (query.endingBefore) {
    const cursor = table.lowerBound(query.endingBefore.created, query.endingBefore.seq);
    const found: R[] = [];
    let i = Math.max(cursor + 1, lo);
    for (; i < hi && found.length < query.limit; i += 1) {
      const record = accept(order[i] as number);
      if (record) found.push(record);
    }
    return { data: found.reverse(), hasMore: anyMatch(order, i, hi, 1, accept) };
  }

  const start = query.startingAfter ? Math.min(table.lowerBound(query.startingAfter.created, query.startingAfter.seq) - 1, hi - 1) : hi - 1;
  const found: R[] = [];
  let i = start;
  for (; i >= lo && found.length < query.limit; i -= 1) {
    const record = accept(order[i] as number);
    if (record) found.push(record);
  }
  return { data: found, hasMore: anyMatch(order, i, lo - 1, -1, accept) };
}

function anyMatch(order: readonly number[], from: number, end: number, step: 1 | -1, accept: (seq: number) => unknown): boolean {
  for (let i = from; step === 1 ? i < end : i > end; i += step) if (accept(order[i] as number)) return true;
  return false;
}
