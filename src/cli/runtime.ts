import fs from 'node:fs';
import { loadConfig, type Config, type ConfigOverrides } from '../config/config.js';
import { MasterKey } from '../secrets/master-key.js';
import { openStore, type Store } from '../store/open-store.js';

export interface Runtime {
  config: Config;
  store: Store;
  masterKey: MasterKey;
}

/**
 * Opens what every command needs: configuration, the metadata store (migrated) and the master key.
 * From here on the process creates files for its user alone (umask 077: directories 0700, files 0600). A umask,
 * not a mode on each call, because the data directory is also written by code Tributary does not call file by
 * file: DuckDB writes the lake's Parquet files and its spill files, SQLite its database and journal.
 */
export async function openRuntime(overrides: ConfigOverrides): Promise<Runtime> {
  process.umask(0o077);
  const config = loadConfig(process.env, overrides);
  // With PostgreSQL nothing else creates it, and the lake, staging and the server's address file live in it.
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, postgresSchema: config.databaseSchema });
  const masterKey = config.secretKey ? MasterKey.fromSecret(config.secretKey) : MasterKey.loadOrCreate(config.dataDir);
  return { config, store, masterKey };
}
