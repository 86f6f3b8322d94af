import type { Kysely } from 'kysely';
import { hasShape } from '../../store/compiled-check.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../../store/resources.repository.js';
import { StoredWebhook } from './webhooks.schema.js';
import type { Webhook } from './webhooks.js';

export const webhookKind = 'notifications.webhook';

/** Webhooks are resources of their org and sandbox; their deliveries live in `webhook_deliveries`. */
export class WebhooksRepository {
  private readonly resources: ResourcesRepository;

  constructor(private readonly db: Kysely<Database>) {
    this.resources = new ResourcesRepository(db);
  }

  async list(scope: Scope): Promise<Webhook[]> {
    return (await this.resources.list(webhookKind, scope)).map((row) => toWebhook(scope, row));
  }

  async count(scope: Scope): Promise<number> {
    return this.resources.count(webhookKind, scope);
  }

  async get(scope: Scope, id: string): Promise<Webhook | undefined> {
    const row = await this.resources.get(webhookKind, scope, id);
    return row ? toWebhook(scope, row) : undefined;
  }

  async insert(webhook: Webhook): Promise<void> {
    await this.resources.insert(webhook.scope, { kind: webhookKind, id: webhook.id, body: storedForm(webhook), secret: webhook.sealedSecret, etag: webhook.etag, createdAt: webhook.createdAt, updatedAt: webhook.updatedAt });
  }

  /** False when someone else changed it since `expectedEtag` was read. */
  async update(webhook: Webhook, expectedEtag: string): Promise<boolean> {
    return this.resources.update(webhook.scope, { kind: webhookKind, id: webhook.id, body: storedForm(webhook), secret: webhook.sealedSecret, etag: webhook.etag, createdAt: webhook.createdAt, updatedAt: webhook.updatedAt }, expectedEtag);
  }

  /** Removes the webhook and its deliveries, pending ones included, together: nothing more is sent to it. */
  async delete(scope: Scope, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await new ResourcesRepository(trx).delete(webhookKind, scope, id);
      await trx.deleteFrom('webhook_deliveries').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('webhook_id', '=', id).execute();
      return deleted;
    });
  }
}

function storedForm(webhook: Webhook): StoredWebhook {
  const { version, url, events, description, sandboxName, createdBy, updatedBy, createdClient, updatedClient } = webhook;
  return { version, url, events, description, sandboxName, createdBy, updatedBy, createdClient, updatedClient };
}

function toWebhook(scope: Scope, row: StoredResource): Webhook {
  // Stored documents are ours, but a row edited by hand must fail loudly here, not while a notification is sent.
  if (!hasShape(StoredWebhook, row.body)) throw new Error(`webhook ${row.id} does not have the stored-webhook shape`);
  if (row.secret === null) throw new Error(`webhook ${row.id} has no signing secret`);
  return { ...row.body, id: row.id, scope, sealedSecret: row.secret, etag: row.etag, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
