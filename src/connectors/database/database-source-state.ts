/**
 * A database source's incremental position, committed with the batch it describes: the keyset values of the last
 * row landed, so the next run starts right after it. It holds what it was computed for (table, delta column,
 * key columns): a flow that now reads another table or orders by other columns starts again from the watermark.
 */
export interface DatabaseSourceState {
  version: 1;
  table: string;
  delta: string;
  /** The keyset columns: the delta column, then the primary key's columns. */
  key: string[];
  /** The last landed row's values of `key`, as the dialect wrote them. */
  last: string[];
}

/** The stored state if it is one this read can continue from, else undefined. */
export function readDatabaseSourceState(stored: unknown, expected: { table: string; delta: string; key: string[] }): DatabaseSourceState | undefined {
  const value = stored as Partial<DatabaseSourceState> | null | undefined;
  if (value?.version !== 1 || value.table !== expected.table || value.delta !== expected.delta) return undefined;
  if (!Array.isArray(value.key) || !Array.isArray(value.last) || value.key.length !== expected.key.length || value.last.length !== expected.key.length) return undefined;
  if (value.key.some((name, i) => name !== expected.key[i]) || value.last.some((v) => typeof v !== 'string')) return undefined;
  return { version: 1, table: value.table, delta: value.delta, key: [...expected.key], last: value.last };
}
