import { InProcessRunQueue } from '../engine/queue/in-process-run-queue.js';
import { PgBossRunQueue, type defaultRunQueueOptions } from '../engine/queue/pg-boss-run-queue.js';
import type { RunQueue } from '../engine/queue/run-queue.js';
import type { Store } from '../store/open-store.js';

/**
 * The queue runs wait in: pg-boss in the store's own PostgreSQL database (its tables in `<schema>_queue`, or
 * `tributary_queue` beside a store in the default schema), or this process with SQLite.
 */
export async function openRunQueue(
  store: Store,
  log?: { warn(details: object, message: string): void },
  settings?: Partial<typeof defaultRunQueueOptions>,
): Promise<RunQueue> {
  if (!store.postgres) return new InProcessRunQueue();
  return PgBossRunQueue.open({ connectionString: store.postgres.connectionString, schema: runQueueSchema(store.postgres.schema), log, settings });
}

export function runQueueSchema(storeSchema: string | undefined): string {
  return `${storeSchema ?? 'tributary'}_queue`;
}
