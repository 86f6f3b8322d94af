import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';

export interface Org {
  id: string;
  tenantId: string;
  name: string;
}

export class OrgsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(id: string): Promise<Org | undefined> {
    const row = await this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, tenantId: row.tenant_id, name: row.name } : undefined;
  }

  async list(): Promise<Org[]> {
    const rows = await this.db.selectFrom('orgs').selectAll().orderBy('created_at').execute();
    return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id, name: row.name }));
  }

  async tenantTaken(tenantId: string): Promise<boolean> {
    const row = await this.db.selectFrom('orgs').select('id').where('tenant_id', '=', tenantId).executeTakeFirst();
    return row !== undefined;
  }

  async insert(org: Org, now: number): Promise<void> {
    await this.db.insertInto('orgs').values({ id: org.id, tenant_id: org.tenantId, name: org.name, created_at: now }).execute();
  }
}
