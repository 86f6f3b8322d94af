import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { SecretBox } from '../../secrets/secret-box.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import { newEtag } from '../../store/cosmos-etag.js';
import type { Database } from '../../store/database.js';
import { WebhookDeliveriesRepository, type Delivery, type LogPosition } from './webhook-deliveries.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { allRunEventCodes, CreatedWebhook, CreateWebhook, DeliveriesQuery, DeliveryList, UpdateWebhook, WebhookAnswer, WebhookList, type DeliveryAnswer } from './webhooks.schema.js';
import { checkWebhookUrl, generateSigningSecret, maxWebhooksPerSandbox, webhookToWire, webhooksBase, type Webhook } from './webhooks.js';
import { readContinuationToken, writeContinuationToken } from '../../server/listing/continuation-token.js';

export interface WebhookRouteDeps {
  db: Kysely<Database>;
  now: () => number;
  secretBox: SecretBox;
}

const tags = ['notifications'];
const defaultPageSize = 20;

/**
 * Run notifications: webhooks of the caller's org and sandbox, and each one's delivery log. Platform registers
 * webhooks in Adobe Developer Console, not through the Platform API, so there is no Platform path to follow;
 * these live under /tributary/, where Tributary's own APIs are, instead of inventing one under /data/foundation.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const webhooks = new WebhooksRepository(deps.db);
  const deliveries = new WebhookDeliveriesRepository(deps.db);
  const find = async (scope: Webhook['scope'], id: string) => {
    const webhook = await webhooks.get(scope, id);
    if (!webhook) throw notFound('webhooks', id);
    return webhook;
  };

  app.post<{ Body: CreateWebhook }>(
    webhooksBase,
    { schema: { tags, summary: 'Register a webhook for run notifications (the answer is the only one that shows its signing secret)', body: CreateWebhook, response: { 201: CreatedWebhook, ...errorAnswers('validation', 'conflict') } } },
    async (request, reply) => {
      const { ctx, body } = request;
      const url = checkWebhookUrl(body.url);
      // Two creates at once may both pass this count; the bound is about fan-out, one over it does no harm.
      if ((await webhooks.count(ctx.scope)) >= maxWebhooksPerSandbox) {
        throw new ApiError('conflict', `Sandbox "${ctx.sandbox.name}" already has ${maxWebhooksPerSandbox} webhooks, the most it can have; delete one first.`);
      }
      const secret = body.secret ?? generateSigningSecret();
      const now = deps.now();
      const webhook: Webhook = {
        version: 1,
        id: crypto.randomUUID(),
        scope: ctx.scope,
        url,
        events: body.events ?? [...allRunEventCodes],
        description: body.description ?? '',
        sandboxName: ctx.sandbox.name,
        createdBy: ctx.userId,
        updatedBy: ctx.userId,
        createdClient: ctx.clientId,
        updatedClient: ctx.clientId,
        sealedSecret: deps.secretBox.seal(secret),
        etag: newEtag(),
        createdAt: now,
        updatedAt: now,
      };
      await webhooks.insert(webhook);
      void reply.header('location', `${webhooksBase}/${webhook.id}`);
      return reply.status(201).send({ ...webhookToWire(webhook), secret });
    },
  );

  app.get(webhooksBase, { schema: { tags, summary: "List the sandbox's webhooks", response: { 200: WebhookList } } }, async (request) => ({
    items: (await webhooks.list(request.ctx.scope)).map(webhookToWire),
  }));

  app.get<{ Params: Static<typeof IdParams> }>(`${webhooksBase}/:id`, { schema: { tags, summary: 'Look up a webhook', params: IdParams, response: { 200: WebhookAnswer, ...errorAnswers('notFound') } } }, async (request) =>
    webhookToWire(await find(request.ctx.scope, request.params.id)),
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: UpdateWebhook }>(
    `${webhooksBase}/:id`,
    { schema: { tags, summary: "Change a webhook's URL, events or description (pending deliveries go to the new URL)", params: IdParams, body: UpdateWebhook, response: { 200: WebhookAnswer, ...errorAnswers('notFound', 'validation', 'conflict') } } },
    async (request) => {
      const { ctx, body } = request;
      const existing = await find(ctx.scope, request.params.id);
      const changed: Webhook = {
        ...existing,
        ...(body.url !== undefined ? { url: checkWebhookUrl(body.url) } : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        updatedBy: ctx.userId,
        updatedClient: ctx.clientId,
        etag: newEtag(),
        updatedAt: deps.now(),
      };
      if (!(await webhooks.update(changed, existing.etag))) {
        throw new ApiError('conflict', `Webhook ${existing.id} was changed by another request meanwhile; read it again and send the change again.`);
      }
      return webhookToWire(changed);
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    `${webhooksBase}/:id`,
    { schema: { tags, summary: 'Delete a webhook and its delivery log; nothing more is sent to it', params: IdParams, response: { 204: { description: 'Deleted; no content', type: 'null' }, ...errorAnswers('notFound') } } },
    async (request, reply) => {
      if (!(await webhooks.delete(request.ctx.scope, request.params.id))) throw notFound('webhooks', request.params.id);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof IdParams>; Querystring: DeliveriesQuery }>(
    `${webhooksBase}/:id/deliveries`,
    { schema: { tags, summary: "Read a webhook's delivery log: each notification's attempts, answers, errors and next attempt", params: IdParams, querystring: DeliveriesQuery, response: { 200: DeliveryList, ...errorAnswers('notFound', 'badContinuationToken') } } },
    async (request): Promise<DeliveryList> => {
      const { ctx, query } = request;
      const webhook = await find(ctx.scope, request.params.id);
      const limit = query.limit ?? defaultPageSize;
      const after = query.continuationToken === undefined ? undefined : readToken(query.continuationToken);
      // One more than the page, to tell whether a next page exists.
      const rows = await deliveries.page(ctx.scope, webhook.id, { limit: limit + 1, status: query.status, after });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map(deliveryToWire), _page: { count: page.length, limit, ...(rows.length > limit && last ? { next: writeToken({ createdAt: last.createdAt, id: last.id }) } : {}) } };
    },
  );
}

function deliveryToWire(delivery: Delivery): DeliveryAnswer {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    eventCode: delivery.eventCode,
    runId: delivery.runId,
    flowId: delivery.flowId,
    status: delivery.status,
    attemptCount: delivery.attempts.length,
    nextAttemptAt: delivery.nextAttemptAt,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
    attempts: delivery.attempts,
  };
}

function writeToken(position: LogPosition): string {
  return writeContinuationToken([position.createdAt, position.id]);
}

function readToken(token: string): LogPosition {
  return readContinuationToken(
    token,
    (parsed) => (Array.isArray(parsed) && parsed.length === 2 && Number.isInteger(parsed[0]) && typeof parsed[1] === 'string' ? { createdAt: parsed[0] as number, id: parsed[1] } : undefined),
    'not a token of this log',
  );
}
