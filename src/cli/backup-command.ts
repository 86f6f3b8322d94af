import fs from 'node:fs';
import path from 'node:path';
import { createBackup, type BackupSummary } from '../backup/create-backup.js';
import { loadConfig } from '../config/config.js';
import { LakeLayout } from '../lake/lake-layout.js';
import { openRuntime } from './runtime.js';

export interface BackupCommandOptions {
  output?: string;
  dataDir?: string;
  includeKey?: boolean;
  json?: boolean;
}

/**
 * `tributary backup`: one archive of the metadata store and the lake's committed batches, taken while the server
 * runs (see `createBackup` for how it stays consistent).
 */
export async function backupCommand(options: BackupCommandOptions): Promise<void> {
  const config = loadConfig(process.env, { dataDir: options.dataDir });
  // Opening the runtime on a directory without data would make an empty store and a new key, and back those up.
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'metadata.sqlite'))) throw new Error(`${config.dataDir} holds no Tributary metadata (no metadata.sqlite, and DATABASE_URL is not set)`);
  if (!config.secretKey && !fs.existsSync(path.join(config.dataDir, 'secret.key'))) throw new Error(`${config.dataDir} has no secret.key and TRIBUTARY_SECRET_KEY is not set: give the key the server runs with`);
  const output = path.resolve(options.output ?? `tributary-backup-${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}.tar`);
  const { store, masterKey } = await openRuntime({ dataDir: options.dataDir });
  let summary: BackupSummary;
  try {
    summary = await createBackup({ store, layout: new LakeLayout(config.dataDir), masterKey, includeKey: options.includeKey === true, output, now: Date.now });
  } finally {
    await store.close();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const rows = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  process.stdout.write(
    `Backed up ${store.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} metadata (${rows} rows) and ${summary.batches} committed batches (${summary.lakeFiles} files, ${megabytes(summary.lakeBytes)}) to ${summary.file} (${megabytes(summary.bytes)}).\n`,
  );
  if (summary.keyIncluded) {
    process.stdout.write('The archive holds the master key: anyone who reads it can open the connection secrets and sign access tokens. Keep it as you keep the key.\n');
  } else if (summary.sealedSecrets > 0) {
    const keyPlace = config.secretKey ? 'TRIBUTARY_SECRET_KEY' : path.join(config.dataDir, 'secret.key');
    process.stdout.write(`The master key is not in the archive: keep ${keyPlace} (fingerprint ${summary.keyFingerprint}) to restore its ${summary.sealedSecrets} sealed connection secret(s).\n`);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
