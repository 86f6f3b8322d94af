import type { Kysely } from 'kysely';
import type { Database, SandboxesTable } from '../../store/database.js';

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
    const row = await this.db.selectFrom('sandboxes').selectAll().where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
    return row ? toSandbox(row) : undefined;
  }

  async findById(orgId: string, id: string): Promise<Sandbox | undefined> {
    const row = await this.db.selectFrom('sandboxes').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row ? toSandbox(row) : undefined;
  }

  async list(orgId: string): Promise<Sandbox[]> {
    const rows = await this.db.selectFrom('sandboxes').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('name').execute();
    return rows.map(toSandbox);
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
      await trx.deleteFrom('resources').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('flow_runs').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('flow_last_runs').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('flow_connections').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('flows').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('catalog_batches').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('mapping_set_schemas').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('mapping_sets').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('catalog_data_sets').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('flow_service_connections').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('webhook_deliveries').where('org_id', '=', sandbox.orgId).where('sandbox_id', '=', sandbox.id).execute();
      await trx.deleteFrom('sandboxes').where('id', '=', sandbox.id).execute();
    });
  }
}

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
