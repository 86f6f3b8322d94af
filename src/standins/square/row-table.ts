/**
 * Columnar storage for the high-volume resources (payments, refunds, orders, customers): a row is a few
 * numbers in typed arrays (about 40 bytes), not an object graph, so a million generated records stay small.
 * Everything a response needs beyond the columns is re-derived from the row's seed when it is rendered,
 * or read from the row's overlay when a test set it explicitly.
 */
type ColumnArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
type ColumnConstructor = new (length: number) => ColumnArray;

export class Column {
  private data: ColumnArray;

  constructor(
    private readonly make: ColumnConstructor,
    capacity: number,
    private readonly fill = 0,
  ) {
    this.data = new make(capacity);
    if (fill !== 0) this.data.fill(fill);
  }

  get(row: number): number {
    return this.data[row] as number;
  }

  set(row: number, value: number): void {
    this.data[row] = value;
  }

  /** The raw array, for tight loops (sorting) that should not pay for a method call per element. */
  raw(): ColumnArray {
    return this.data;
  }

  grow(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new this.make(capacity);
    next.set(this.data);
    if (this.fill !== 0) next.fill(this.fill, this.data.length);
    this.data = next;
  }
}

/** Notified of every changed row, so sort indexes can repair themselves instead of re-sorting everything. */
export interface RowListener {
  rowChanged(row: number): void;
  /** Many rows changed at once (bulk generation): rebuild from scratch. */
  reset(): void;
}

export class RowTable {
  size = 0;
  private capacity = 1024;
  private readonly columns: Column[] = [];
  private readonly listeners: RowListener[] = [];

  readonly created = this.column(Float64Array);
  readonly updated = this.column(Float64Array);
  readonly location = this.column(Uint16Array);
  readonly version = this.column(Uint32Array);
  /** 1 when the record is deleted (customers) or marked deleted (catalog). */
  readonly deleted = this.column(Uint8Array);

  column(make: ColumnConstructor, fill = 0): Column {
    const column = new Column(make, this.capacity, fill);
    this.columns.push(column);
    return column;
  }

  /** Appends a row (all columns zero / their fill value) and returns its number. */
  addRow(): number {
    this.reserve(this.size + 1);
    const row = this.size;
    this.size += 1;
    for (const listener of this.listeners) listener.rowChanged(row);
    return row;
  }

  /**
   * Appends `count` rows without per-row notifications (indexes rebuild on their next use) and returns the
   * first one; the caller fills their columns before anything reads them.
   */
  addRows(count: number): number {
    this.reserve(this.size + count);
    const first = this.size;
    this.size += count;
    for (const listener of this.listeners) listener.reset();
    return first;
  }

  /** Many rows changed in place (bulk generation): every index rebuilds on its next use. */
  changedInBulk(): void {
    for (const listener of this.listeners) listener.reset();
  }

  touch(row: number): void {
    for (const listener of this.listeners) listener.rowChanged(row);
  }

  listen(listener: RowListener): void {
    this.listeners.push(listener);
  }

  private reserve(needed: number): void {
    if (needed <= this.capacity) return;
    while (this.capacity < needed) this.capacity *= 2;
    for (const column of this.columns) column.grow(this.capacity);
  }
}
