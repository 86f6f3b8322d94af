import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../src/store/database.js';

/** The stored data a rejected request must not change, in a stable order, one string per row. */
export async function snapshotStore(db: Kysely<Database>): Promise<string[]> {
  const [resources, sandboxes, orgs, clients] = await Promise.all([
    db.selectFrom('resources').selectAll().orderBy('kind').orderBy('id').execute(),
    db.selectFrom('sandboxes').selectAll().orderBy('id').execute(),
    db.selectFrom('orgs').selectAll().orderBy('id').execute(),
    db.selectFrom('api_clients').selectAll().orderBy('client_id').execute(),
  ]);
  return [
    // "table key<TAB>row": JSON escapes tabs, so the first tab always ends the key.
    ...resources.map((r) => `resources ${r.kind} ${r.id}\t${JSON.stringify(r)}`),
    ...sandboxes.map((s) => `sandboxes ${s.id}\t${JSON.stringify(s)}`),
    ...orgs.map((o) => `orgs ${o.id}\t${JSON.stringify(o)}`),
    ...clients.map((c) => `api_clients ${c.client_id}\t${JSON.stringify(c)}`),
  ];
}

/** Which rows a request added, removed or changed, named by table and key (not the whole row). */
export function diffSnapshots(before: string[], after: string[]): string | undefined {
  const key = (row: string) => row.slice(0, row.indexOf('\t'));
  const beforeRows = new Map(before.map((row) => [key(row), row]));
  const afterRows = new Map(after.map((row) => [key(row), row]));
  const changes: string[] = [];
  for (const [k, row] of afterRows) {
    const old = beforeRows.get(k);
    if (old === undefined) changes.push(`added ${k}`);
    else if (old !== row) changes.push(`changed ${k}`);
  }
  for (const k of beforeRows.keys()) if (!afterRows.has(k)) changes.push(`removed ${k}`);
  return changes.length === 0 ? undefined : changes.join('; ');
}

/**
 * Tells whether a request changed the stored data. Full snapshots of every row are too slow to take twice
 * per request once the store holds 100 kB bodies, so on SQLite the connection's `total_changes()` counter
 * (every INSERT, UPDATE and DELETE row, the server's only connection) decides whether a full comparison is
 * needed at all. Other backends compare full snapshots every time.
 */
export class StoreWatch {
  private snapshot: string[] = [];
  private changes: number | undefined;
  private calls = 0;

  constructor(private readonly db: Kysely<Database>, private readonly backend: 'sqlite' | 'postgres') {}

  /** Call right before a request: refreshes the baseline if anything (a repair, a success) wrote since. */
  async before(): Promise<void> {
    const changes = await this.counter();
    if (changes !== undefined && changes === this.changes) return;
    this.snapshot = await snapshotStore(this.db);
    this.changes = changes;
  }

  /** Call right after the request: what it changed, or undefined when the stored data is the same. */
  async after(): Promise<string | undefined> {
    const changes = await this.counter();
    this.calls += 1;
    if (changes !== undefined && changes === this.changes) {
      // Now and then, check the shortcut itself: a second connection (a pool) would make it miss writes.
      if (this.calls % 50 === 0) {
        const missed = diffSnapshots(this.snapshot, await snapshotStore(this.db));
        if (missed !== undefined) throw new Error(`total_changes() did not count a write (${missed}); StoreWatch needs full snapshots on this store`);
      }
      return undefined;
    }
    const next = await snapshotStore(this.db);
    const diff = diffSnapshots(this.snapshot, next);
    this.snapshot = next;
    this.changes = changes;
    return diff;
  }

  private async counter(): Promise<number | undefined> {
    if (this.backend !== 'sqlite') return undefined;
    const result = await sql<{ n: number }>`select total_changes() as n`.execute(this.db);
    return Number(result.rows[0]?.n);
  }
}
