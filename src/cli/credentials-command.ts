import { threadPoolScrypt } from '../secrets/password-hash.js';
import { AccessTokens } from '../services/ims/access-tokens.js';
import { Credentials } from '../services/ims/credentials.js';
import { openRuntime } from './runtime.js';

/** `tributary credentials create --org ORG`: prints a new API client's credentials and a fresh token as JSON. */
export async function createCredentialsCommand(options: { org: string; name?: string; dataDir?: string }): Promise<void> {
  const { config, store, masterKey } = await openRuntime({ dataDir: options.dataDir });
  try {
    // One hash in a process that does nothing else: libuv's pool is free, no need for hashing threads.
    const credentials = new Credentials(store.db, new AccessTokens(masterKey, config.tokenTtlSeconds, Date.now), Date.now, threadPoolScrypt);
    const issued = await credentials.create(options.org, options.name);
    process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
  } finally {
    await store.close();
  }
}
