import type { BaseRecord } from './records.js';

/**
 * One resource's records, addressable by sequence number and kept in Stripe's list order. The order array holds
 * sequence numbers ascending by (created, seq); lists walk it backwards (newest first). Inserts in time order (the
 * usual case: the clock moves forward, and the generator emits in time order) just append; a backdated insert
 * marks the order unsorted and it is re-sorted once, on the next read.
 */
export class RecordTable<R extends BaseRecord> {
  private readonly rows: (R | undefined)[] = [undefined];
  private readonly order: number[] = [];
  private sorted = true;
  private live = 0;

  /** The sequence number the next insert must use. */
  nextSeq(): number {
    return this.rows.length;
  }

  insert(record: R): void {
    if (record.seq !== this.rows.length) throw new Error(`insert out of sequence: ${record.seq} (next ${this.rows.length})`);
    this.rows.push(record);
    const last = this.order[this.order.length - 1];
    if (last !== undefined && (this.rows[last] as R).created > record.created) this.sorted = false;
    this.order.push(record.seq);
    if (!record.deleted) this.live += 1;
  }

  /** Replaces a record by a changed copy (same seq and created). */
  replace(record: R): R {
    const previous = this.rows[record.seq];
    if (!previous) throw new Error(`replace of unknown seq ${record.seq}`);
    if (previous.created !== record.created) throw new Error('created is immutable');
    if (previous.deleted !== record.deleted) this.live += record.deleted ? -1 : 1;
    this.rows[record.seq] = record;
    return previous;
  }

  get(seq: number): R | undefined {
    return this.rows[seq];
  }

  /** Records not deleted. */
  get size(): number {
    return this.live;
  }

  /** Every sequence number ascending by (created, seq). */
  ascending(): readonly number[] {
    if (!this.sorted) {
      const rows = this.rows;
      this.order.sort((a, b) => (rows[a] as R).created - (rows[b] as R).created || a - b);
      this.sorted = true;
    }
    return this.order;
  }

  /** Index in `ascending()` of the first record at or after (created, seq). */
  lowerBound(created: number, seq: number): number {
    const order = this.ascending();
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = order[mid] as number;
      const otherCreated = (this.rows[other] as R).created;
      if (otherCreated < created || (otherCreated === created && other < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** All records in insertion order (for account-side listing and tests). */
  *all(): IterableIterator<R> {
    for (let seq = 1; seq < this.rows.length; seq += 1) yield this.rows[seq] as R;
  }
}
