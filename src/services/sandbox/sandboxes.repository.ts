import type { Kysely } from 'kysely';
import type { Database, SandboxesTable } from '../../store/database.js';
import { indexText } from '../../store/index-text.js';

export type SandboxType = 'production' | 'development';

export interface Sandbox {
  id: string;
  orgId: string;
  name: string;
  title: string;
  type: SandboxType;
  state: 'active' | 'deleted';
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
}

export class SandboxesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findByName(orgId: string, name: string): Promise<Sandbox | undefined> {
    // No name or id holds what PostgreSQL's text cannot (a path spelling %00): not found, rather than a failed query.
    if (indexText(name) === null) return undefined;
    const row = await this.db.selectFrom('sandboxes').selectAll().where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
    return row ? toSandbox(row) : undefined;
  }

  async findById(orgId: string, id: string): Promise<Sandbox | undefined> {
    if (indexText(id) === null) return undefined;
    const row = await this.db.selectFrom('sandboxes').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row ? toSandbox(row) : undefined;
  }

  /** A page of the org's sandboxes, oldest first (ties by name), and whether any come after it. */
  async page(orgId: string, offset: number, limit: number): Promise<{ sandboxes: Sandbox[]; more: boolean }> {
    const rows = await this.inListOrder(orgId).offset(offset).limit(limit + 1).execute();
    return { sandboxes: rows.slice(0, limit).map(toSandbox), more: rows.length > limit };
  }

  async list(orgId: string): Promise<Sandbox[]> {
    return (await this.inListOrder(orgId).execute()).map(toSandbox);
  }

  /** The org's sandboxes in the order the list shows them: oldest first, ties by name. */
  private inListOrder(orgId: string) {
    return this.db.selectFrom('sandboxes').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('name');
  }

  async insert(sandbox: Sandbox): Promise<void> {
    await this.db
      .insertInto('sandboxes')
      .values({
        id: sandbox.id,
        org_id: sandbox.orgId,
        name: sandbox.name,
        title: sandbox.title,
        type: sandbox.type,
        state: sandbox.state,
        is_default: sandbox.isDefault ? 1 : 0,
        created_at: sandbox.createdAt,
        updated_at: sandbox.updatedAt,
        created_by: sandbox.createdBy,
        updated_by: sandbox.updatedBy,
      })
      .execute();
  }

  async updateTitle(sandbox: Sandbox, title: string, by: string, now: number): Promise<void> {
    await this.db.updateTable('sandboxes').set({ title, updated_by: by, updated_at: now }).where('id', '=', sandbox.id).execute();
  }

  /** Removes the sandbox and everything in it, in one transaction. */
  async delete(sandbox: Sandbox): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [table, fate] of Object.entries(sandboxTables) as [SandboxTable, SandboxRowsFate][]) {
        if (fate === 'deleted') await trx.deleteFrom(table).where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      }
      await trx.deleteFrom('sandboxes').where('id', '=', sandbox.id).execute();
    });
  }
}

/** The tables whose rows belong to one sandbox (they have its org and sandbox columns). */
type SandboxTable = { [T in keyof Database]: Database[T] extends { org_id: string; sandbox_id: string } ? T : never }[keyof Database];
type SandboxRowsFate = 'deleted' | 'kept';

/**
 * What deleting a sandbox does to each of those tables. The type makes a new sandbox table a compile error here
 * until its fate is decided, so no index is left behind naming objects that are gone.
 */
const sandboxTables: Record<SandboxTable, SandboxRowsFate> = {
  resources: 'deleted',
  flow_runs: 'deleted',
  flow_last_runs: 'deleted',
  flow_connections: 'deleted',
  flows: 'deleted',
  catalog_batches: 'deleted',
  catalog_tags: 'deleted',
  registry_documents: 'deleted',
  registry_references: 'deleted',
  mapping_set_schemas: 'deleted',
  mapping_sets: 'deleted',
  catalog_data_sets: 'deleted',
  flow_service_connections: 'deleted',
  webhook_deliveries: 'deleted',
  // Left as they were before this list: streaming's queue is the streaming flusher's, and the Schema Registry's
  // audit log is kept as a record of what was changed.
  stream_records: 'kept',
  registry_audit_log: 'kept',
};

function toSandbox(row: SandboxesTable): Sandbox {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    title: row.title,
    type: row.type === 'production' ? 'production' : 'development',
    state: row.state === 'deleted' ? 'deleted' : 'active',
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
  };
}
