import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, type KyselyPlugin, type Migration } from 'kysely';
import type { Database } from './database.js';
import { postgresAdapter, sqliteAdapter, type DialectAdapter } from './dialect-adapter.js';
import * as initial from './migrations/20261129T0600-initial.js';
import * as resourceUniqueKey from './migrations/20261129T0700-resource-unique-key.js';
import * as registryAuditLog from './migrations/20261201T0600-registry-audit-log.js';
import * as streamRecords from './migrations/20261210T0900-stream-records.js';
import * as flowLastRuns from './migrations/20261211T0400-flow-last-runs.js';
import * as webhookDeliveries from './migrations/20261212T0300-webhook-deliveries.js';
import * as flowRuns from './migrations/20261213T0900-flow-runs.js';
import * as flowIndex from './migrations/20261214T0100-flow-index.js';
import * as batchIndex from './migrations/20261214T0110-batch-index.js';
import * as rateBuckets from './migrations/20261214T0200-rate-buckets.js';
import * as oneUnfinishedRun from './migrations/20261214T0300-one-unfinished-run-per-flow.js';
import * as connectionIndex from './migrations/20261215T0100-connection-index.js';
import * as dataSetIndex from './migrations/20261215T0110-data-set-index.js';
import * as mappingSetIndex from './migrations/20261215T0120-mapping-set-index.js';
import * as connectionInlet from './migrations/20261216T0100-connection-inlet.js';
import * as catalogTags from './migrations/20261216T0200-catalog-tags.js';
import * as registryDocuments from './migrations/20261217T0100-registry-documents.js';

// Listed here rather than read from disk, so the compiled and the source trees behave the same.
const migrations: Record<string, Migration> = {
  '20261129T0600-initial': initial as Migration,
  '20261129T0700-resource-unique-key': resourceUniqueKey as Migration,
  '20261201T0600-registry-audit-log': registryAuditLog as Migration,
  '20261210T0900-stream-records': streamRecords as Migration,
  '20261211T0400-flow-last-runs': flowLastRuns as Migration,
  '20261212T0300-webhook-deliveries': webhookDeliveries as Migration,
  '20261213T0900-flow-runs': flowRuns as Migration,
  '20261214T0100-flow-index': flowIndex as Migration,
  '20261214T0110-batch-index': batchIndex as Migration,
  '20261214T0200-rate-buckets': rateBuckets as Migration,
  '20261214T0300-one-unfinished-run-per-flow': oneUnfinishedRun as Migration,
  '20261215T0100-connection-index': connectionIndex as Migration,
  '20261215T0110-data-set-index': dataSetIndex as Migration,
  '20261215T0120-mapping-set-index': mappingSetIndex as Migration,
  '20261216T0100-connection-inlet': connectionInlet as Migration,
  '20261216T0200-catalog-tags': catalogTags as Migration,
  '20261217T0100-registry-documents': registryDocuments as Migration,
};

/** Every migration this version knows, oldest first: a backup records them, a restore checks them. */
export const migrationNames: readonly string[] = Object.keys(migrations);

export interface Store {
  readonly db: Kysely<Database>;
  readonly backend: DialectAdapter['name'];
  /** Where a PostgreSQL store lives, for what shares its database (the run queue); absent for SQLite. */
  readonly postgres?: { connectionString: string; schema: string | undefined } | undefined;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema to live in (tests give each run its own). */
  postgresSchema?: string | undefined;
  /** Kysely plugins every query goes through (a test counts the rows a request reads with one). */
  plugins?: KyselyPlugin[] | undefined;
  /**
   * Apply migrations only up to and including this one (a restore loads an older backup's rows at the schema they
   * were read at, then migrates them on). Never migrates down: a store already past it is refused.
   */
  migrateUpTo?: string | undefined;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const adapter = options.databaseUrl
    ? postgresAdapter(options.databaseUrl, options.postgresSchema)
    : sqliteAdapter(sqliteFile(options.dataDir));
  await adapter.prepare();
  const db = new Kysely<Database>({ dialect: adapter.dialect, ...(options.plugins ? { plugins: options.plugins } : {}) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its lock table in any schema unless told which; tests share one database.
    ...(options.postgresSchema ? { migrationTableSchema: options.postgresSchema } : {}),
  });
  const upTo = options.migrateUpTo;
  if (upTo !== undefined) await refuseToGoBack(migrator, db, upTo);
  const { error, results } = upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`metadata migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  const postgres = options.databaseUrl ? { connectionString: options.databaseUrl, schema: options.postgresSchema } : undefined;
  return { db, backend: adapter.name, postgres, close: () => db.destroy() };
}

/** `migrateTo` would undo the migrations after `upTo`, dropping what they hold; say so instead. */
async function refuseToGoBack(migrator: Migrator, db: Kysely<Database>, upTo: string): Promise<void> {
  const position = migrationNames.indexOf(upTo);
  const later = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined && migrationNames.indexOf(m.name) > position);
  if (position >= 0 && later.length === 0) return;
  await db.destroy();
  throw new Error(position < 0 ? `unknown migration "${upTo}"` : `the metadata store is already migrated past ${upTo} (to ${later.map((m) => m.name).join(', ')})`);
}

function sqliteFile(dataDir: string): string {
  // The data directory holds credentials and customer data: its owner's alone, whatever the umask.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return path.join(dataDir, 'metadata.sqlite');
}
