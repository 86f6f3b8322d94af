import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BackupError } from './backup-error.js';
import { parseManifest, type ArchivedFile, type BackupManifest } from './backup-manifest.js';
import { DamagedArchiveError, readTar, type TarEntry } from './tar-reader.js';

/** An archive unpacked into a folder and checked against its manifest. */
export interface UnpackedArchive {
  manifest: BackupManifest;
  /** Where an archived file now is, by its archive path. */
  located(archivePath: string): string;
  /** The archive's `secret.key` text, when it holds one. */
  keyText: string | undefined;
}

/** The manifest is read into memory; a manifest this large is not one of ours. */
const maxManifestBytes = 256 * 1024 * 1024;
const maxKeyBytes = 1024;

/**
 * Unpacks an archive into `folder` (empty, and the caller's to remove) and checks it whole before anything is
 * restored: every file the manifest lists must be there with its size and SHA-256, nothing outside the known
 * paths may be, and no path may climb out of the folder. Files a backup copied for batches deleted before it
 * finished are in the archive but not the manifest; they are removed here.
 */
export async function unpackArchive(archive: string, folder: string): Promise<UnpackedArchive> {
  const seen = new Map<string, { bytes: number; sha256: string }>();
  let manifestText: string | undefined;
  let keyText: string | undefined;
  try {
    for await (const entry of readTar(archive)) {
      const kind = entryKind(entry.name);
      if (kind === undefined) throw new BackupError(`${archive} holds "${entry.name}", which no Tributary backup has: it is not a backup archive, or a damaged one`);
      if (seen.has(entry.name)) throw new BackupError(`${archive} holds "${entry.name}" twice: it is damaged`);
      if (kind === 'manifest' || kind === 'key') {
        const limit = kind === 'manifest' ? maxManifestBytes : maxKeyBytes;
        if (entry.size > limit) throw new BackupError(`${archive} has a ${entry.name} of ${entry.size} bytes, more than a backup writes: it is damaged`);
        const content = Buffer.concat(await collect(entry));
        seen.set(entry.name, { bytes: content.length, sha256: sha256(content) });
        if (kind === 'manifest') manifestText = content.toString('utf8');
        else keyText = content.toString('utf8');
        continue;
      }
      seen.set(entry.name, await writeEntry(entry, path.join(folder, ...entry.name.split('/'))));
    }
  } catch (error) {
    if (error instanceof DamagedArchiveError) throw new BackupError(error.message);
    throw error;
  }
  if (manifestText === undefined) throw new BackupError(`${archive} has no manifest.json: it is truncated, or not a Tributary backup`);
  const manifest = parseManifest(manifestText);
  if (typeof manifest === 'string') throw new BackupError(`${archive} cannot be restored: ${manifest}`);

  const listed: ArchivedFile[] = [...manifest.tables.map((t) => t.file), ...manifest.lake.files, ...(manifest.key.file ? [manifest.key.file] : [])];
  for (const file of listed) {
    const found = seen.get(file.path);
    if (!found) throw new BackupError(`${archive} lacks ${file.path}, which its manifest lists: it is damaged or incomplete`);
    if (found.bytes !== file.bytes || found.sha256 !== file.sha256) throw new BackupError(`${file.path} in ${archive} does not match its checksum in the manifest: the archive is damaged`);
  }
  const wanted = new Set(listed.map((f) => f.path));
  for (const name of seen.keys()) if (entryKind(name) === 'lake' && !wanted.has(name)) fs.rmSync(path.join(folder, ...name.split('/')), { force: true });
  return {
    manifest,
    located: (archivePath) => path.join(folder, ...archivePath.split('/')),
    keyText: manifest.key.file ? keyText : undefined,
  };
}

/** What an archive path is; undefined for any path a backup does not write (and so for any that could escape). */
function entryKind(name: string): 'manifest' | 'key' | 'metadata' | 'lake' | undefined {
  if (name === 'manifest.json') return 'manifest';
  if (name === 'secret.key') return 'key';
  if (/^metadata\/[a-z_]+\.jsonl$/.test(name)) return 'metadata';
  const segments = name.split('/');
  // lake/<org>/<sandbox>/<dataset>/<batch>/<file or folders and file>
  const safe = segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\0]/.test(s));
  return segments[0] === 'lake' && segments.length >= 6 && safe ? 'lake' : undefined;
}

async function writeEntry(entry: TarEntry, target: string): Promise<{ bytes: number; sha256: string }> {
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const out = await fs.promises.open(target, 'wx', 0o600);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of entry.chunks()) {
      hash.update(chunk);
      bytes += chunk.length;
      await out.write(chunk);
    }
  } finally {
    await out.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function collect(entry: TarEntry): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry.chunks()) chunks.push(chunk);
  return chunks;
}

function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
