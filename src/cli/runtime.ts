import { loadConfig, type Config, type ConfigOverrides } from '../config/config.js';
import { MasterKey } from '../secrets/master-key.js';
import { openStore, type Store } from '../store/open-store.js';

export interface Runtime {
  config: Config;
  store: Store;
  masterKey: MasterKey;
}

/** Opens what every command needs: configuration, the metadata store (migrated) and the master key. */
export async function openRuntime(overrides: ConfigOverrides): Promise<Runtime> {
  const config = loadConfig(process.env, overrides);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, postgresSchema: config.databaseSchema });
  const masterKey = config.secretKey ? MasterKey.fromSecret(config.secretKey) : MasterKey.loadOrCreate(config.dataDir);
  return { config, store, masterKey };
}
