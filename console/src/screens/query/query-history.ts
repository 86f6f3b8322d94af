import type { Scope } from '../../api/client.js';
import type { QueryState } from '../../api/query.js';
import { store } from '../../state/store.js';

/** A query run in this page, as the history lists it. Its rows are not kept: re-opening reads them again by id. */
export interface HistoryEntry {
  /** The query's id; a query cancelled before its answer came has none the console knows. */
  id?: string;
  sql: string;
  state: QueryState;
  /** Epoch milliseconds, when it was sent. */
  at: number;
  rowCount?: number;
  elapsedMs?: number;
  /** Why it failed, in the server's words (with the field they name). */
  problem?: Error;
}

/** The most entries kept for one org and sandbox; the oldest go first. */
const maxEntries = 50;

/**
 * This page's queries and the editor's text, per org and sandbox, in memory only: they outlive leaving the query
 * screen, not a reload, and an org's go when it signs out, so nothing shows under another org.
 */
class QueryHistory {
  private readonly entries = new Map<string, HistoryEntry[]>();
  private readonly drafts = new Map<string, string>();

  constructor() {
    store.subscribe((state) => {
      const signedIn = new Set(state.sessions.map((s) => s.org));
      for (const map of [this.entries, this.drafts]) for (const key of [...map.keys()]) if (!signedIn.has(key.slice(0, key.lastIndexOf('/')))) map.delete(key);
    });
  }

  list(scope: Scope): HistoryEntry[] {
    return this.entries.get(keyOf(scope)) ?? [];
  }

  add(scope: Scope, entry: HistoryEntry): HistoryEntry[] {
    const next = [entry, ...this.list(scope)].slice(0, maxEntries);
    this.entries.set(keyOf(scope), next);
    return next;
  }

  draft(scope: Scope): string | undefined {
    return this.drafts.get(keyOf(scope));
  }

  setDraft(scope: Scope, sql: string): void {
    this.drafts.set(keyOf(scope), sql);
  }
}

function keyOf(scope: Scope): string {
  return `${scope.session.org}/${scope.sandbox}`;
}

export const queryHistory = new QueryHistory();
