import type { Kysely, Transaction } from 'kysely';
import { Type, type Static } from 'typebox';
import type { Database } from '../store/database.js';

/** A row as an archive carries it: column to value. The metadata store has text and number columns only. */
export const ArchivedRow = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]));
export type ArchivedRow = Static<typeof ArchivedRow>;

/** The metadata store seen as tables of plain rows: a backup copies rows as they are, it does not read them. */
export type ArchivedTables = Record<string, ArchivedRow>;

/**
 * Every table of the metadata store, with the columns that order it (its primary key), in the order a restore
 * fills them: `orgs` before the tables that reference it. The type makes a new table in `Database` a compile
 * error here until it is listed, so no table is left out of backups by oversight.
 */
export const backupTables: { readonly [T in keyof Database]: readonly (keyof Database[T] & string)[] } = {
  orgs: ['id'],
  api_clients: ['client_id'],
  sandboxes: ['id'],
  resources: ['kind', 'id'],
  registry_audit_log: ['id'],
  stream_records: ['id'],
  flow_last_runs: ['org_id', 'sandbox_id', 'flow_id'],
  webhook_deliveries: ['id'],
  flow_runs: ['org_id', 'sandbox_id', 'run_id'],
  rate_buckets: ['key'],
  flows: ['org_id', 'sandbox_id', 'flow_id'],
  flow_connections: ['org_id', 'sandbox_id', 'flow_id', 'direction', 'connection_id'],
  catalog_batches: ['org_id', 'sandbox_id', 'batch_id'],
  flow_service_connections: ['org_id', 'sandbox_id', 'kind', 'connection_id'],
  catalog_data_sets: ['org_id', 'sandbox_id', 'data_set_id'],
  mapping_sets: ['org_id', 'sandbox_id', 'mapping_set_id'],
  mapping_set_schemas: ['org_id', 'sandbox_id', 'mapping_set_id', 'schema_id'],
  catalog_tags: ['org_id', 'sandbox_id', 'object_kind', 'object_id', 'namespace_key', 'position'],
  registry_documents: ['org_id', 'sandbox_id', 'kind', 'id'],
  registry_references: ['org_id', 'sandbox_id', 'kind', 'id', 'referenced_id'],
};

export const backupTableNames = Object.keys(backupTables) as (keyof Database)[];

export function isBackupTable(name: string): name is keyof Database {
  return Object.hasOwn(backupTables, name);
}

/**
 * The same connection or transaction, typed as plain rows. Every table is read and written by one generic loop,
 * so each table's own row type has nothing to add there.
 */
export function asArchivedTables(db: Kysely<Database> | Transaction<Database>): Kysely<ArchivedTables> {
  return db as unknown as Kysely<ArchivedTables>;
}
