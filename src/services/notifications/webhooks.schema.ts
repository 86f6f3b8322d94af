import { Type, type Static } from 'typebox';

/**
 * Run notifications: webhook registrations, their delivery log, and what is stored for them. Experience Platform
 * registers webhooks in Adobe Developer Console (I/O Events), outside the Platform API, so these routes are
 * Tributary's own; the notification bodies follow Platform's flow-run events (see run-event.ts).
 */

/**
 * What a finished run is, as a webhook subscribes to it. Platform's event codes for a source flow run are
 * `sources_flow_run_success` and `sources_flow_run_failure`; Platform counts a run that landed with some rows
 * rejected as a success, Tributary names it apart so it can be subscribed to on its own.
 */
export const RunEventCode = Type.Enum(['sources_flow_run_success', 'sources_flow_run_partial_success', 'sources_flow_run_failure'], {
  description: 'sources_flow_run_success: no row rejected; sources_flow_run_partial_success: succeeded with rejected rows (failedRecordCount > 0); sources_flow_run_failure: failed',
});
export type RunEventCode = Static<typeof RunEventCode>;

export const allRunEventCodes: readonly RunEventCode[] = ['sources_flow_run_success', 'sources_flow_run_partial_success', 'sources_flow_run_failure'];

const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'Where notifications are POSTed: an http or https URL without user name or password' });
const Events = Type.Array(RunEventCode, { minItems: 1, uniqueItems: true, description: 'The runs to notify of; all three when left out' });
const Description = Type.String({ maxLength: 1024 });

export const CreateWebhook = Type.Object(
  {
    url: Url,
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    secret: Type.Optional(Type.String({ minLength: 24, maxLength: 256, description: 'The signing secret to use; one is generated when left out. It is answered once, in this answer only' })),
  },
  { additionalProperties: false },
);
export type CreateWebhook = Static<typeof CreateWebhook>;

/** The secret is not among the fields: it cannot be read or changed after creation (create a new webhook instead). */
export const UpdateWebhook = Type.Object({ url: Type.Optional(Url), events: Type.Optional(Events), description: Type.Optional(Description) }, { additionalProperties: false, minProperties: 1 });
export type UpdateWebhook = Static<typeof UpdateWebhook>;

/** A webhook as the API answers it: never its secret. */
export const WebhookAnswer = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String(),
    events: Type.Array(RunEventCode),
    description: Type.String(),
    imsOrgId: Type.String(),
    sandboxId: Type.String(),
    sandboxName: Type.String(),
    createdAt: Type.Integer({ description: 'epoch ms' }),
    updatedAt: Type.Integer({ description: 'epoch ms' }),
    createdBy: Type.String(),
    updatedBy: Type.String(),
    createdClient: Type.String(),
    updatedClient: Type.String(),
    _links: Type.Object({ self: Type.Object({ href: Type.String() }), deliveries: Type.Object({ href: Type.String() }) }),
  },
  { description: 'The webhook (its signing secret is never shown again after creation)' },
);
export type WebhookAnswer = Static<typeof WebhookAnswer>;

export const CreatedWebhook = Type.Object(
  { ...WebhookAnswer.properties, secret: Type.String({ description: 'The signing secret: shown in this answer only. Keep it; it cannot be read again' }) },
  { description: 'The new webhook, with its signing secret (the only time it is shown)' },
);

export const WebhookList = Type.Object({ items: Type.Array(WebhookAnswer, { description: 'Every webhook of the sandbox, oldest first' }) }, { description: "The sandbox's webhooks" });

export const DeliveryStatus = Type.Enum(['pending', 'delivered', 'failed'], {
  description: 'pending: waiting for its next attempt; delivered: answered 2xx; failed: given up (a 4xx other than 408 and 429, a redirect, or every attempt used)',
});
export type DeliveryStatus = Static<typeof DeliveryStatus>;

/** One try at sending a notification. */
export const DeliveryAttempt = Type.Object({
  attempt: Type.Integer({ minimum: 1 }),
  at: Type.Integer({ description: 'When it was sent, epoch ms' }),
  durationMs: Type.Integer({ minimum: 0 }),
  statusCode: Type.Optional(Type.Integer({ description: 'The status the webhook answered; absent when no answer came' })),
  error: Type.Optional(Type.String({ description: 'Why it did not count as delivered' })),
});
export type DeliveryAttempt = Static<typeof DeliveryAttempt>;

export const StoredAttempts = Type.Array(DeliveryAttempt);

export const DeliveryAnswer = Type.Object({
  id: Type.String({ description: 'Sent as x-tributary-delivery-id' }),
  webhookId: Type.String(),
  eventId: Type.String({ description: 'The notification\'s event_id (the same on every attempt)' }),
  eventCode: RunEventCode,
  runId: Type.String(),
  flowId: Type.String(),
  status: DeliveryStatus,
  attemptCount: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When the next attempt is due (epoch ms); null once delivered or given up' }),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  attempts: Type.Array(DeliveryAttempt, { description: 'Oldest first' }),
});
export type DeliveryAnswer = Static<typeof DeliveryAnswer>;

export const DeliveriesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Deliveries per page (default 20)' })),
  status: Type.Optional(DeliveryStatus),
  continuationToken: Type.Optional(Type.String({ maxLength: 1024, description: 'From the previous page\'s `_page.next`' })),
});
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;

export const DeliveryList = Type.Object(
  {
    items: Type.Array(DeliveryAnswer, { description: 'Newest first' }),
    _page: Type.Object({ count: Type.Integer(), limit: Type.Integer(), next: Type.Optional(Type.String({ description: 'continuationToken of the next page; absent on the last page' })) }),
  },
  { description: "A page of the webhook's delivery log" },
);
export type DeliveryList = Static<typeof DeliveryList>;

/** A webhook as stored in `resources.body`; its sealed secret is in `resources.secret`. */
export const StoredWebhook = Type.Object({
  version: Type.Literal(1),
  url: Type.String(),
  events: Type.Array(RunEventCode),
  description: Type.String(),
  sandboxName: Type.String(),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  createdClient: Type.String(),
  updatedClient: Type.String(),
});
export type StoredWebhook = Static<typeof StoredWebhook>;
