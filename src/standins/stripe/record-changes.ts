import type { AccountState } from './account-state.js';
import { NO_METADATA, type Metadata, type ResourceKind, type ResourceRecords } from './records.js';

/** The moment and the request of one account change; every record and event it makes shares both. */
export interface Change {
  /** Epoch seconds. */
  at: number;
  /** 0: made by Stripe itself (request.id null in its events). */
  request: number;
  idempotencyKey?: string | null;
}

/** Inserts a record built by the caller (seq from `state.tables[kind].nextSeq()`, created from the change). */
export function insertRecord<K extends ResourceKind>(state: AccountState, kind: K, record: ResourceRecords[K]): ResourceRecords[K] {
  state.tables[kind].insert(record as never);
  return record;
}

/** Replaces a record by a changed copy and returns both versions. */
export function patchRecord<K extends ResourceKind>(state: AccountState, kind: K, seq: number, patch: Partial<ResourceRecords[K]>): { before: ResourceRecords[K]; after: ResourceRecords[K] } {
  const table = state.tables[kind];
  const before = table.get(seq);
  if (!before) throw new Error(`no ${kind} with seq ${seq}`);
  const after = { ...before, ...patch } as ResourceRecords[K];
  table.replace(after as never);
  return { before, after };
}

export function emit<K extends ResourceKind>(state: AccountState, type: string, kind: K, object: ResourceRecords[K], change: Change, before: ResourceRecords[K] | null = null): void {
  state.emit(type, kind, object, before, change.at, change.request, change.idempotencyKey ?? null);
}

/** Stripe's metadata update: keys merge, and a key set to '' is removed. */
export function mergeMetadata(current: Metadata, update: Readonly<Record<string, string>> | undefined): Metadata {
  if (update === undefined) return current;
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length === 0 ? NO_METADATA : Object.freeze(merged);
}

export function metadataOf(input: Readonly<Record<string, string>> | undefined): Metadata {
  return input && Object.keys(input).length > 0 ? Object.freeze({ ...input }) : NO_METADATA;
}

/** Keeps only the keys whose value is not undefined, so a patch never blanks a field by accident. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
