import fs from 'node:fs';
import path from 'node:path';
import { restoreBackup } from '../backup/restore-backup.js';
import { loadConfig } from '../config/config.js';
import { MasterKey } from '../secrets/master-key.js';
import { runningServerUrl } from './server-address.js';

export interface RestoreCommandOptions {
  dataDir?: string;
  force?: boolean;
  keyFile?: string;
  json?: boolean;
}

/**
 * `tributary restore <archive>`: rebuilds a data directory (and the metadata store `serve` would use with the same
 * environment: SQLite in it, or DATABASE_URL) from a backup.
 */
export async function restoreCommand(archive: string, options: RestoreCommandOptions): Promise<void> {
  // What it writes is its user's alone, as everything the other commands write.
  process.umask(0o077);
  const config = loadConfig(process.env, { dataDir: options.dataDir });
  const running = runningServerUrl(config.dataDir);
  if (running) throw new Error(`a server is running on ${config.dataDir} (${running}); stop it before restoring into its directory`);
  const keyFile = options.keyFile === undefined ? undefined : MasterKey.fromKeyFile(readKeyFile(options.keyFile), options.keyFile);
  const summary = await restoreBackup({
    archive: path.resolve(archive),
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    postgresSchema: config.databaseSchema,
    force: options.force === true,
    environmentKey: config.secretKey ? MasterKey.fromSecret(config.secretKey) : undefined,
    keyFile,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const rows = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  const store = summary.backend === 'sqlite' ? `SQLite in ${summary.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  const key = {
    environment: 'it uses TRIBUTARY_SECRET_KEY, as the server must',
    'key file': 'the --key-file is its secret.key now',
    archive: "the archive's master key is its secret.key now",
    new: 'the archive has no sealed secrets; a new master key is made on first start',
  }[summary.key];
  process.stdout.write(`Restored the backup of ${new Date(summary.created).toISOString()} into ${summary.dataDir}: ${rows} metadata rows (${store}) and ${summary.batches} batches (${summary.lakeFiles} files); ${key}.\n`);
}

function readKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the key file ${file}: ${(error as Error).message}`);
  }
}
