import type { Kysely } from 'kysely';
import { hasShape } from '../../store/compiled-check.js';
import type { Database, WebhookDeliveriesTable } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import { DeliveryStatus, RunEventCode, StoredAttempts, type DeliveryAttempt } from './webhooks.schema.js';

/** One notification of one run to one webhook (see `WebhookDeliveriesTable`). */
export interface Delivery {
  id: string;
  scope: Scope;
  webhookId: string;
  eventId: string;
  eventCode: RunEventCode;
  runId: string;
  flowId: string;
  /** The exact body sent, and signed, on every attempt. */
  body: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Where a delivery stands after an attempt. */
export interface AttemptRecord {
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  nextAttemptAt: number | null;
  updatedAt: number;
}

/** Where a page of the delivery log starts: after this delivery, newest first. */
export interface LogPosition {
  createdAt: number;
  id: string;
}

export class WebhookDeliveriesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertMany(deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db.insertInto('webhook_deliveries').values(deliveries.map(toRow)).execute();
  }

  /** Pending deliveries whose attempt is due and that no live process holds, the longest waiting first. */
  async due(now: number, limit: number): Promise<Delivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const due: Delivery[] = [];
    for (const row of rows) {
      const delivery = parsed(row);
      // A row that is not a delivery (edited by hand) is taken out of the queue, not retried on every pass.
      if (delivery) due.push(delivery);
      else await this.db.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null, claimed_until: null }).where('id', '=', row.id).execute();
    }
    return due;
  }

  /** When the next pending attempt is due, if any is. */
  async earliestDue(): Promise<number | undefined> {
    const row = await this.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('status', '=', 'pending').executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /**
   * Takes a delivery for one attempt until `until`. Of several servers that saw it due, one wins; a process that
   * stops mid-attempt holds it only until then.
   */
  async claim(id: string, now: number, until: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ claimed_until: until })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Saves an attempt's result and lets the claim go. A delivery deleted meanwhile (its webhook was) stays deleted. */
  async record(id: string, record: AttemptRecord): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status: record.status, attempts: JSON.stringify(record.attempts), attempt_count: record.attempts.length, next_attempt_at: record.nextAttemptAt, claimed_until: null, updated_at: record.updatedAt })
      .where('id', '=', id)
      .execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('webhook_deliveries').where('id', '=', id).execute();
  }

  /** One page of a webhook's log, newest first, starting after `after`. */
  async page(scope: Scope, webhookId: string, options: { limit: number; status?: DeliveryStatus | undefined; after?: LogPosition | undefined }): Promise<Delivery[]> {
    let query = this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('webhook_id', '=', webhookId);
    if (options.status) query = query.where('status', '=', options.status);
    const after = options.after;
    if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(toDelivery);
  }

  /** Forgets finished deliveries last touched before `before`, so the log does not grow without end. */
  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('updated_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toRow(delivery: Delivery): WebhookDeliveriesTable {
  return {
    id: delivery.id,
    org_id: delivery.scope.orgId,
    sandbox_id: delivery.scope.sandboxId,
    webhook_id: delivery.webhookId,
    event_id: delivery.eventId,
    event_code: delivery.eventCode,
    run_id: delivery.runId,
    flow_id: delivery.flowId,
    body: delivery.body,
    status: delivery.status,
    attempts: JSON.stringify(delivery.attempts),
    attempt_count: delivery.attempts.length,
    next_attempt_at: delivery.nextAttemptAt,
    claimed_until: null,
    created_at: delivery.createdAt,
    updated_at: delivery.updatedAt,
  };
}

function parsed(row: WebhookDeliveriesTable): Delivery | undefined {
  try {
    return toDelivery(row);
  } catch {
    return undefined;
  }
}

function toDelivery(row: WebhookDeliveriesTable): Delivery {
  const attempts: unknown = JSON.parse(row.attempts);
  // Rows are ours, but one edited by hand must fail here, by name, not deep in the sender.
  if (!hasShape(StoredAttempts, attempts) || !hasShape(DeliveryStatus, row.status) || !hasShape(RunEventCode, row.event_code)) throw new Error(`webhook delivery ${row.id} does not have the stored-delivery shape`);
  return {
    id: row.id,
    scope: { orgId: row.org_id, sandboxId: row.sandbox_id },
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventCode: row.event_code,
    runId: row.run_id,
    flowId: row.flow_id,
    body: row.body,
    status: row.status,
    attempts,
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
