import pg from 'pg';
import type { Store } from './open-store.js';

/** A lock held for as long as its holder's database session lives. */
export interface HeldLock {
  /** Resolves when the lock is lost (the session broke); the holder must stop what the lock guards. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** How often a held lock's session is checked, so a broken connection is noticed within this. */
const checkEveryMs = 2_000;

/**
 * Takes the lock `name` if no other process holds it. With PostgreSQL it is a session advisory lock on a
 * connection of its own: the database frees it the moment that connection closes, so when a holder dies (its
 * socket closes with it) another process can take it at once. A holder whose machine vanishes is let go when the
 * connection's keepalives fail (about 10 s of silence plus the database's `tcp_keepalives_*` settings).
 * With SQLite every process holds it: one machine, and what the lock guards is also guarded by its own writes.
 */
export async function trySessionLock(store: Store, name: string): Promise<HeldLock | undefined> {
  if (!store.postgres) return { lost: new Promise<void>(() => undefined), release: async () => undefined };
  const key = `${store.postgres.schema ?? 'public'}:${name}`;
  const client = new pg.Client({ connectionString: store.postgres.connectionString, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  let resolveLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => {
    resolveLost = resolve;
  });
  client.on('error', () => resolveLost());
  client.on('end', () => resolveLost());
  try {
    await client.connect();
    const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [key]);
    if (!rows[0]?.held) {
      await client.end();
      return undefined;
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  const check = setInterval(() => {
    client.query('SELECT 1').catch(() => resolveLost());
  }, checkEveryMs);
  check.unref();
  void lost.then(() => clearInterval(check));
  return {
    lost,
    release: async () => {
      clearInterval(check);
      await client.end().catch(() => undefined);
      resolveLost();
    },
  };
}
