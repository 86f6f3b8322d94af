import fs from 'node:fs';
import path from 'node:path';
import { MasterKey } from '../secrets/master-key.js';
import { migrationNames, openStore } from '../store/open-store.js';
import { unpackArchive, type UnpackedArchive } from './archive-unpacking.js';
import { BackupError } from './backup-error.js';
import type { BackupManifest } from './backup-manifest.js';
import { loadMetadata } from './metadata-loading.js';

export interface RestoreOptions {
  archive: string;
  /** The data directory to restore into: new, empty, or (with `force`) one whose contents are replaced. */
  dataDir: string;
  /** Restore the metadata into this PostgreSQL database instead of SQLite in the data directory. */
  databaseUrl?: string | undefined;
  postgresSchema?: string | undefined;
  force: boolean;
  /** The key the restored server will run with (TRIBUTARY_SECRET_KEY), when it is set. */
  environmentKey?: MasterKey | undefined;
  /** A key file given to the restore (`--key-file`); it is written into the data directory. */
  keyFile?: MasterKey | undefined;
}

export interface RestoreSummary {
  dataDir: string;
  backend: 'sqlite' | 'postgres';
  /** When the backup's snapshot was read. */
  created: number;
  rows: Record<string, number>;
  batches: number;
  lakeFiles: number;
  /** Where the master key of the restored server comes from. */
  key: 'environment' | 'key file' | 'archive' | 'new';
}

/**
 * Restores an archive into a data directory. The archive is unpacked and checked whole (checksums, manifest,
 * migrations, key) in a folder inside the data directory before anything else; the metadata store is then filled
 * in one transaction, and only then do the lake and the store move into place. A failure leaves the directory as
 * it was (a directory this restore created is removed again).
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const target = path.resolve(options.dataDir);
  const existed = fs.existsSync(target);
  if (existed && !fs.statSync(target).isDirectory()) throw new BackupError(`${target} is not a directory`);
  const before = existed ? fs.readdirSync(target) : [];
  if (before.length > 0 && !options.force) {
    throw new BackupError(`${target} is not empty (${before.slice(0, 5).join(', ')}${before.length > 5 ? ', ...' : ''}); restore into a new or empty directory, or give --force to replace its contents`);
  }
  if (options.environmentKey && options.keyFile) throw new BackupError('give the key either with --key-file or as TRIBUTARY_SECRET_KEY, not both: a server started with TRIBUTARY_SECRET_KEY uses that');
  if (!fs.existsSync(options.archive)) throw new BackupError(`${options.archive} does not exist`);
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  const staging = fs.mkdtempSync(path.join(target, '.restore-'));
  const postgres = options.databaseUrl !== undefined;
  let storeFilled = false;
  let placing = false;
  try {
    const unpacked = await unpackArchive(options.archive, staging);
    const { manifest } = unpacked;
    const level = checkMigrations(manifest);
    const key = chooseKey(unpacked, options);

    const storeOptions = { dataDir: staging, databaseUrl: options.databaseUrl, postgresSchema: options.postgresSchema };
    const atBackupLevel = await openStore({ ...storeOptions, migrateUpTo: level });
    try {
      await loadMetadata(atBackupLevel, manifest, unpacked.located, options.force);
      storeFilled = true;
    } finally {
      await atBackupLevel.close();
    }
    // Rows from an older version go through the migrations since, as the server's own would have.
    await (await openStore(storeOptions)).close();

    placing = true;
    if (options.force) for (const entry of fs.readdirSync(target)) if (path.join(target, entry) !== staging) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    const stagedLake = path.join(staging, 'lake');
    if (fs.existsSync(stagedLake)) fs.renameSync(stagedLake, path.join(target, 'lake'));
    else fs.mkdirSync(path.join(target, 'lake'), { mode: 0o700 });
    if (!postgres) {
      for (const file of ['metadata.sqlite', 'metadata.sqlite-wal', 'metadata.sqlite-shm']) {
        if (fs.existsSync(path.join(staging, file))) fs.renameSync(path.join(staging, file), path.join(target, file));
      }
    }
    if (key.write) fs.writeFileSync(path.join(target, 'secret.key'), `${key.write.toKeyFile()}\n`, { mode: 0o600, flag: 'wx' });
    return {
      dataDir: target,
      backend: postgres ? 'postgres' : 'sqlite',
      created: manifest.created,
      rows: Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])),
      batches: manifest.lake.batches,
      lakeFiles: manifest.lake.files.length,
      key: key.source,
    };
  } catch (error) {
    if (!existed) fs.rmSync(target, { recursive: true, force: true });
    // Past this point the old contents are gone: an empty directory, not a half-restored one.
    else if (placing) for (const entry of fs.readdirSync(target)) if (path.join(target, entry) !== staging) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    if (postgres && storeFilled && error instanceof Error) {
      error.message += ' (the PostgreSQL store holds the restored rows now: restore again with --force, or empty it)';
    }
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The archive's last migration, once its migrations are checked to be the first ones this version knows. */
function checkMigrations(manifest: BackupManifest): string {
  const unknown = manifest.migrations.filter((name) => !migrationNames.includes(name));
  if (unknown.length > 0) throw new BackupError(`the archive was made by a newer Tributary: its metadata has migrations this version does not know (${unknown.join(', ')}); restore it with that version or a later one`);
  if (manifest.migrations.some((name, i) => migrationNames[i] !== name)) throw new BackupError(`the archive's metadata migrations (${manifest.migrations.join(', ')}) are not the first ones this version applies, in order`);
  return manifest.migrations[manifest.migrations.length - 1] as string;
}

/**
 * The master key the restored server will use, checked against the archive's fingerprint when the archive holds
 * sealed credentials (which no other key opens). Without sealed credentials any key will do, and without one a
 * new key is made on the server's first start.
 */
function chooseKey(unpacked: UnpackedArchive, options: RestoreOptions): { source: RestoreSummary['key']; write: MasterKey | undefined } {
  const { key: archived } = unpacked.manifest;
  const fromArchive = unpacked.keyText === undefined ? undefined : MasterKey.fromKeyFile(unpacked.keyText, "the archive's secret.key");
  const chosen: { source: RestoreSummary['key']; key: MasterKey } | undefined = options.environmentKey
    ? { source: 'environment', key: options.environmentKey }
    : options.keyFile
      ? { source: 'key file', key: options.keyFile }
      : fromArchive
        ? { source: 'archive', key: fromArchive }
        : undefined;
  if (archived.sealedSecrets === 0) return chosen ? { source: chosen.source, write: chosen.source === 'environment' ? undefined : chosen.key } : { source: 'new', write: undefined };
  if (!chosen) {
    throw new BackupError(
      `the archive holds ${archived.sealedSecrets} sealed connection secret(s), and not the master key that opens them (backups leave it out unless made with --include-key). ` +
        'Give it with --key-file <the old data directory>/secret.key, or set TRIBUTARY_SECRET_KEY as the old server had it.',
    );
  }
  if (chosen.key.fingerprint() !== archived.fingerprint) {
    const where = { environment: 'TRIBUTARY_SECRET_KEY', 'key file': 'the --key-file', archive: "the archive's own key", new: '' }[chosen.source];
    throw new BackupError(`${where} is not the master key the archive's secrets were sealed with (its fingerprint is ${chosen.key.fingerprint()}, the archive's ${archived.fingerprint})`);
  }
  return { source: chosen.source, write: chosen.source === 'environment' ? undefined : chosen.key };
}
