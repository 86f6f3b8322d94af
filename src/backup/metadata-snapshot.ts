import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExpressionBuilder, Kysely } from 'kysely';
import { batchKind } from '../engine/batch-document.js';
import { runLeaseKind } from '../engine/run-leases.js';
import type { Database } from '../store/database.js';
import { asArchivedTables, backupTableNames, backupTables, type ArchivedRow, type ArchivedTables } from './backup-tables.js';
import { snapshotBatch, type SnapshotBatch } from './committed-batches.js';

/** One table of a snapshot, written as JSON lines (one row per line) to `file`. */
export interface SnapshotTable {
  name: keyof Database;
  rows: number;
  file: string;
}

/** Every table as of one instant, and what the backup needs to know about it. */
export interface MetadataSnapshot {
  tables: SnapshotTable[];
  batches: SnapshotBatch[];
  /** Sandbox names by id: lake folders are named by sandbox name. */
  sandboxNames: Map<string, string>;
  /** Rows with a sealed credential, which only the master key opens. */
  sealedSecrets: number;
}

/** Rows read per query; bounded so a large table is never held in memory whole. */
const pageRows = 500;

/**
 * Reads every table of the metadata store inside one read-only transaction, so the files describe one instant:
 * SQLite (in WAL mode) keeps a read transaction on the snapshot of its first read, PostgreSQL's REPEATABLE READ on
 * that of its first statement. Writers go on meanwhile. Run leases are left out: they name processes of the
 * server being backed up, and a restored server must see the runs they held as interrupted.
 */
export async function readMetadataSnapshot(db: Kysely<Database>, folder: string): Promise<MetadataSnapshot> {
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const tables = asArchivedTables(trx);
      const snapshot: MetadataSnapshot = { tables: [], batches: [], sandboxNames: new Map(), sealedSecrets: 0 };
      for (const name of backupTableNames) {
        const file = path.join(folder, `${name}.jsonl`);
        const out = await fs.open(file, 'w', 0o600);
        let rows = 0;
        try {
          for await (const page of pages(tables, name)) {
            for (const row of page) see(snapshot, name, row);
            await out.write(page.map((row) => `${JSON.stringify(row)}\n`).join(''));
            rows += page.length;
          }
        } finally {
          await out.close();
        }
        snapshot.tables.push({ name, rows, file });
      }
      return snapshot;
    });
}

/** Pages of a table in key order; each page starts after the last key of the one before. */
async function* pages(db: Kysely<ArchivedTables>, table: keyof Database): AsyncGenerator<ArchivedRow[]> {
  const keys = backupTables[table];
  let last: ArchivedRow | undefined;
  // Bounded by the table: each page starts strictly after the previous one's last key, and a short page ends it.
  for (;;) {
    let query = db.selectFrom(table).selectAll();
    if (table === 'resources') query = query.where('kind', '<>', runLeaseKind);
    if (last) {
      const after = last;
      query = query.where((eb) => afterKey(eb, keys, after));
    }
    for (const key of keys) query = query.orderBy(key);
    const page = await query.limit(pageRows).execute();
    if (page.length > 0) yield page;
    if (page.length < pageRows) return;
    last = page[page.length - 1];
  }
}

/** `(k1, k2, ...) > (v1, v2, ...)`, spelled out so it reads the same on both databases. */
function afterKey(eb: ExpressionBuilder<ArchivedTables, string>, keys: readonly string[], last: ArchivedRow) {
  return eb.or(keys.map((key, i) => eb.and([...keys.slice(0, i).map((earlier) => eb(earlier, '=', last[earlier] ?? null)), eb(key, '>', last[key] ?? null)])));
}

function see(snapshot: MetadataSnapshot, table: keyof Database, row: ArchivedRow): void {
  if (table === 'sandboxes' && typeof row.id === 'string' && typeof row.name === 'string') snapshot.sandboxNames.set(row.id, row.name);
  if (table !== 'resources') return;
  if (row.secret !== null && row.secret !== undefined) snapshot.sealedSecrets += 1;
  if (row.kind === batchKind && typeof row.id === 'string' && typeof row.org_id === 'string' && typeof row.sandbox_id === 'string' && typeof row.body === 'string') {
    snapshot.batches.push(snapshotBatch({ id: row.id, org_id: row.org_id, sandbox_id: row.sandbox_id, body: row.body }));
  }
}
