import fs from 'node:fs';
import path from 'node:path';
import { batchKind } from '../engine/batch-document.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { MasterKey } from '../secrets/master-key.js';
import { migrationNames, type Store } from '../store/open-store.js';
import { BackupError } from './backup-error.js';
import { backupFormat, backupFormatVersion, type ArchivedFile, type BackupManifest } from './backup-manifest.js';
import { batchStatus, holdsCommittedFiles, type SnapshotBatch } from './committed-batches.js';
import { readMetadataSnapshot, type MetadataSnapshot } from './metadata-snapshot.js';
import { TarWriter } from './tar-writer.js';

export interface BackupOptions {
  store: Store;
  layout: LakeLayout;
  masterKey: MasterKey;
  /** Put the master key in the archive too (off by default: see README, "Backups"). */
  includeKey: boolean;
  /** The archive to create; an existing file is refused. */
  output: string;
  now: () => number;
  /** Runs after each snapshot is read, before its batches' files are copied (tests change the lake here). */
  afterSnapshot?: (() => Promise<void>) | undefined;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  snapshots: number;
  rows: Record<string, number>;
  batches: number;
  lakeFiles: number;
  lakeBytes: number;
  sealedSecrets: number;
  keyIncluded: boolean;
  keyFingerprint: string;
}

/**
 * A batch deleted while its files are copied takes its folder with it. Another snapshot then leaves it out;
 * three in a row means deletions never pause, and the operator had better try again later.
 */
const maxSnapshots = 3;

/** A batch folder, or a file in it, was gone when it was to be copied. */
class FolderGone extends Error {
  constructor(readonly whole: boolean) {
    super('a batch folder is gone');
  }
}

/**
 * Writes one archive of the metadata store and the lake's committed batches, while the server runs.
 *
 * The metadata is read in one snapshot (see `readMetadataSnapshot`); then the folder of every batch committed in
 * that snapshot is copied. A committed batch folder never changes, so copying it later is safe, except that a
 * batch deleted after the snapshot loses its folder: then a new snapshot is read (which shows it deleted) and only
 * the batches not yet copied are added. Files copied for a batch that a later snapshot no longer holds stay in the
 * archive but not in its manifest, and a restore leaves them out.
 *
 * Archive: `lake/<org>/<sandbox>/<dataset>/<batch>/...`, then `metadata/<table>.jsonl`, then `secret.key` (only with
 * `includeKey`), then `manifest.json`. It is written to a temporary file beside `output` and renamed only once it
 * is complete, so `output` is either a whole archive or absent.
 */
export async function createBackup(options: BackupOptions): Promise<BackupSummary> {
  const output = path.resolve(options.output);
  if (fs.existsSync(output)) throw new BackupError(`${output} exists already; give another file name, or move it away first`);
  if (!fs.existsSync(path.dirname(output))) throw new BackupError(`the folder ${path.dirname(output)} does not exist`);
  const partial = `${output}.${process.pid}.partial`;
  // The snapshot's rows hold sealed credentials and client-secret hashes: a folder only this user can read.
  const scratch = fs.mkdtempSync(path.join(path.dirname(output), '.tributary-backup-'));
  const tar = await TarWriter.create(partial);
  try {
    const lakeRoot = options.layout.lakeRoot();
    const copied = new Map<string, ArchivedFile[]>();
    let snapshot: MetadataSnapshot | undefined;
    let snapshots = 0;
    for (;;) {
      snapshots += 1;
      snapshot = await readMetadataSnapshot(options.store.db, path.join(scratch, String(snapshots)));
      await options.afterSnapshot?.();
      const deletedMeanwhile: string[] = [];
      for (const batch of withFiles(snapshot)) {
        const folder = batchFolder(options.layout, snapshot, batch);
        if (folder === undefined || copied.has(folder)) continue;
        try {
          copied.set(folder, await copyFolder(tar, folder, lakeRoot));
        } catch (error) {
          if (!(error instanceof FolderGone)) throw error;
          const now = await liveStatus(options.store, batch.id);
          if (!holdsCommittedFiles(now)) deletedMeanwhile.push(batch.id);
          // A committed batch may have no folder at all (one made through the Catalog API without files).
          else if (error.whole) copied.set(folder, []);
          else throw new BackupError(`files of batch ${batch.id} disappeared while they were copied, yet the batch is still "${now}": something other than Tributary is changing ${folder}`);
        }
      }
      if (deletedMeanwhile.length === 0) break;
      if (snapshots >= maxSnapshots) {
        throw new BackupError(`batches were deleted while their files were being copied in each of ${maxSnapshots} snapshots (last: ${deletedMeanwhile.join(', ')}); try again when fewer deletions are running`);
      }
    }

    const lakeFiles = withFiles(snapshot).flatMap((batch) => copied.get(batchFolder(options.layout, snapshot, batch) ?? '') ?? []);
    const tables: BackupManifest['tables'] = [];
    for (const table of snapshot.tables) {
      const name = `metadata/${table.name}.jsonl`;
      tables.push({ name: table.name, rows: table.rows, file: { path: name, ...(await tar.addFile(name, table.file)) } });
    }
    const created = options.now();
    const keyFile = options.includeKey ? { path: 'secret.key', ...(await tar.addBuffer('secret.key', Buffer.from(`${options.masterKey.toKeyFile()}\n`), created)) } : undefined;
    const manifest: BackupManifest = {
      format: backupFormat,
      version: backupFormatVersion,
      created,
      backend: options.store.backend,
      migrations: [...migrationNames],
      snapshots,
      key: { fingerprint: options.masterKey.fingerprint(), sealedSecrets: snapshot.sealedSecrets, ...(keyFile ? { file: keyFile } : {}) },
      tables,
      lake: { batches: withFiles(snapshot).length, bytes: lakeFiles.reduce((sum, f) => sum + f.bytes, 0), files: lakeFiles },
    };
    await tar.addBuffer('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`), created);
    await tar.finish();
    fs.renameSync(partial, output);
    return {
      file: output,
      bytes: fs.statSync(output).size,
      snapshots,
      rows: Object.fromEntries(tables.map((t) => [t.name, t.rows])),
      batches: manifest.lake.batches,
      lakeFiles: lakeFiles.length,
      lakeBytes: manifest.lake.bytes,
      sealedSecrets: snapshot.sealedSecrets,
      keyIncluded: keyFile !== undefined,
      keyFingerprint: manifest.key.fingerprint,
    };
  } catch (error) {
    await tar.abort();
    throw error;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function withFiles(snapshot: MetadataSnapshot): SnapshotBatch[] {
  return snapshot.batches.filter((batch) => holdsCommittedFiles(batch.status));
}

/** The batch's lake folder; undefined for a batch that names no dataset or whose sandbox is gone (it has none). */
function batchFolder(layout: LakeLayout, snapshot: MetadataSnapshot, batch: SnapshotBatch): string | undefined {
  const sandboxName = snapshot.sandboxNames.get(batch.sandboxId);
  if (batch.dataSetId === undefined || sandboxName === undefined) return undefined;
  return layout.batchDir(batch.orgId, sandboxName, batch.dataSetId, batch.id);
}

/** The batch's status now, outside the snapshot: tells a deletion from a damaged lake. */
async function liveStatus(store: Store, batchId: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('resources').select('body').where('kind', '=', batchKind).where('id', '=', batchId).executeTakeFirst();
  return row ? batchStatus(row.body) : undefined;
}

/** Copies a batch folder's regular files (symlinks and the like are not data), in a stable order. */
async function copyFolder(tar: TarWriter, folder: string, lakeRoot: string): Promise<ArchivedFile[]> {
  const files = listFiles(folder, true);
  const archived: ArchivedFile[] = [];
  for (const file of files) {
    const name = ['lake', ...path.relative(lakeRoot, file).split(path.sep)].join('/');
    try {
      archived.push({ path: name, ...(await tar.addFile(name, file)) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FolderGone(false);
      throw error;
    }
  }
  return archived;
}

function listFiles(folder: string, top: boolean): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FolderGone(top);
    throw error;
  }
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return listFiles(full, false);
      return entry.isFile() ? [full] : [];
    });
}
