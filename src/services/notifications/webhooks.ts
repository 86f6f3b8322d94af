import crypto from 'node:crypto';
import { bodyInvalid } from '../../server/errors/api-error.js';
import type { Scope } from '../../store/resources.repository.js';
import type { StoredWebhook, WebhookAnswer } from './webhooks.schema.js';

/** Tributary's own API (Platform has none for this); see webhooks.schema.ts. */
export const webhooksBase = '/tributary/webhooks';

/** More than this many webhooks in one sandbox is refused: each finished run fans out to all of them. */
export const maxWebhooksPerSandbox = 20;

/** A registered webhook: where it points, what it wants, and its sealed signing secret. */
export interface Webhook extends StoredWebhook {
  id: string;
  scope: Scope;
  sealedSecret: string;
  etag: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * A webhook URL is http or https and carries no user name or password: fetch refuses such URLs, and a credential
 * there would be shown by every GET. Anything else about the host is the registering org's choice.
 */
export function checkWebhookUrl(value: string, path = '/url'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bodyInvalid(path, 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bodyInvalid(path, `must be an http or https URL, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username !== '' || url.password !== '') throw bodyInvalid(path, 'must not carry a user name or password; the signature header authenticates notifications');
  return url.toString();
}

/** 32 random bytes: as strong as the HMAC-SHA256 key it becomes. */
export function generateSigningSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function webhookToWire(webhook: Webhook): WebhookAnswer {
  const self = `${webhooksBase}/${webhook.id}`;
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    description: webhook.description,
    imsOrgId: webhook.scope.orgId,
    sandboxId: webhook.scope.sandboxId,
    sandboxName: webhook.sandboxName,
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
    createdBy: webhook.createdBy,
    updatedBy: webhook.updatedBy,
    createdClient: webhook.createdClient,
    updatedClient: webhook.updatedClient,
    _links: { self: { href: self }, deliveries: { href: `${self}/deliveries` } },
  };
}
