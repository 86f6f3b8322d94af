import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';

export interface ApiClient {
  clientId: string;
  orgId: string;
  name: string;
  secretHash: string;
}

export class ApiClientsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(clientId: string): Promise<ApiClient | undefined> {
    const row = await this.db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? { clientId: row.client_id, orgId: row.org_id, name: row.name, secretHash: row.secret_hash } : undefined;
  }

  async insert(client: ApiClient, now: number): Promise<void> {
    await this.db
      .insertInto('api_clients')
      .values({ client_id: client.clientId, org_id: client.orgId, name: client.name, secret_hash: client.secretHash, created_at: now })
      .execute();
  }
}
