import type { RowListener, RowTable } from './row-table.js';

export type SortKey = number | string;

/**
 * The rows of a table in ascending (key, row) order, kept up to date lazily: a few changed rows are merged
 * back in O(n); a bulk change re-sorts. Ties on the key are broken by row number, so the order is total and
 * a keyset cursor (last key + row) always names one position.
 */
export class SortIndex<K extends SortKey> implements RowListener {
  private order: Uint32Array = new Uint32Array(0);
  private keys: K[] = [];
  private readonly dirty = new Set<number>();
  private stale = true;

  constructor(
    private readonly table: RowTable,
    private readonly keyOfRow: (row: number) => K,
  ) {
    table.listen(this);
  }

  rowChanged(row: number): void {
    if (this.stale) return;
    this.dirty.add(row);
    if (this.dirty.size > 1024 && this.dirty.size * 8 > this.table.size) {
      this.stale = true;
      this.dirty.clear();
    }
  }

  reset(): void {
    this.stale = true;
    this.dirty.clear();
  }

  /** The key the index sorted a row by (its current key once `rows()` has been called). */
  keyOf(row: number): K {
    return this.keys[row] as K;
  }

  compare(keyA: K, rowA: number, keyB: K, rowB: number): number {
    if (keyA < keyB) return -1;
    if (keyA > keyB) return 1;
    return rowA - rowB;
  }

  rows(): Uint32Array {
    if (this.stale) this.rebuild();
    else if (this.dirty.size > 0) this.repair();
    return this.order;
  }

  private rebuild(): void {
    const size = this.table.size;
    const keys = new Array<K>(size);
    for (let row = 0; row < size; row += 1) keys[row] = this.keyOfRow(row);
    const order = new Uint32Array(size);
    let sorted = true;
    for (let row = 0; row < size; row += 1) {
      order[row] = row;
      if (row > 0 && (keys[row - 1] as K) > (keys[row] as K)) sorted = false;
    }
    // Generated data arrives in key order, so the common case is a single pass with no sort.
    if (!sorted) order.sort((a, b) => this.compare(keys[a] as K, a, keys[b] as K, b));
    this.keys = keys;
    this.order = order;
    this.stale = false;
    this.dirty.clear();
  }

  private repair(): void {
    const size = this.table.size;
    const changed = [...this.dirty];
    this.dirty.clear();
    const isChanged = new Uint8Array(size);
    for (const row of changed) {
      isChanged[row] = 1;
      this.keys[row] = this.keyOfRow(row);
    }
    changed.sort((a, b) => this.compare(this.keys[a] as K, a, this.keys[b] as K, b));
    const merged = new Uint32Array(size);
    let out = 0;
    let next = 0;
    for (const row of this.order) {
      if (isChanged[row]) continue;
      while (next < changed.length && this.compare(this.keys[changed[next] as number] as K, changed[next] as number, this.keys[row] as K, row) < 0) {
        merged[out++] = changed[next++] as number;
      }
      merged[out++] = row;
    }
    while (next < changed.length) merged[out++] = changed[next++] as number;
    this.order = merged;
  }
}
