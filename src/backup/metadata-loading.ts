import fs from 'node:fs';
import readline from 'node:readline';
import type { Transaction } from 'kysely';
import { hasShape } from '../store/compiled-check.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/open-store.js';
import { BackupError } from './backup-error.js';
import { ArchivedRow, asArchivedTables, backupTableNames, isBackupTable } from './backup-tables.js';
import type { BackupManifest } from './backup-manifest.js';

/** Rows per INSERT: well under both databases' limits on bound parameters (the widest table has 11 columns). */
const rowsPerInsert = 200;

/**
 * Fills an empty metadata store with an archive's rows, all in one transaction: a row that does not fit leaves
 * the store as empty as it was. A store that holds rows already is refused unless `replace`, which empties it in
 * the same transaction first.
 */
export async function loadMetadata(store: Store, manifest: BackupManifest, located: (archivePath: string) => string, replace: boolean): Promise<void> {
  for (const table of manifest.tables) {
    if (!isBackupTable(table.name)) throw new BackupError(`the archive has a table "${table.name}" that this Tributary does not know`);
  }
  // The archive's tables are those of the schema it was read at, which the store has been migrated to: a table a
  // later migration adds does not exist yet.
  const order = (name: string) => backupTableNames.findIndex((known) => known === name);
  const archived = manifest.tables.map((t) => t.name).filter(isBackupTable).sort((a, b) => order(a) - order(b));
  await store.db.transaction().execute(async (trx) => {
    const occupied = await occupiedTables(trx, archived);
    if (occupied.length > 0 && !replace) {
      throw new BackupError(`the metadata store already holds data (in ${occupied.join(', ')}); restore into an empty database (or schema), or give --force to replace what it holds`);
    }
    const tables = asArchivedTables(trx);
    // Tables that reference others go first when emptying, last when filling.
    for (const name of [...archived].reverse()) await tables.deleteFrom(name).execute();
    for (const table of [...manifest.tables].sort((a, b) => order(a.name) - order(b.name))) {
      let rows: ArchivedRow[] = [];
      let count = 0;
      const flush = async () => {
        if (rows.length > 0) await tables.insertInto(table.name).values(rows).execute();
        rows = [];
      };
      const lines = readline.createInterface({ input: fs.createReadStream(located(table.file.path)), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line === '') continue;
        const row = parseRow(line);
        if (!row) throw new BackupError(`row ${count + 1} of ${table.file.path} is not a table row`);
        rows.push(row);
        count += 1;
        if (rows.length >= rowsPerInsert) await flush();
      }
      await flush();
      if (count !== table.rows) throw new BackupError(`${table.file.path} holds ${count} rows, its manifest says ${table.rows}`);
    }
  });
}

async function occupiedTables(trx: Transaction<Database>, names: readonly string[]): Promise<string[]> {
  const tables = asArchivedTables(trx);
  const occupied: string[] = [];
  for (const name of names) {
    if (await tables.selectFrom(name).selectAll().limit(1).executeTakeFirst()) occupied.push(name);
  }
  return occupied;
}

function parseRow(line: string): ArchivedRow | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  return hasShape(ArchivedRow, parsed) ? parsed : undefined;
}
