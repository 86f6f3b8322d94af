import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RecordedRun, RunRecordHook } from '../../engine/engine.js';
import type { RunLog } from '../../engine/run-log.js';
import { RunsRepository } from '../../engine/runs.repository.js';
import type { Database } from '../../store/database.js';
import { runEvent, runEventCode } from './run-event.js';
import { WebhookDeliveriesRepository, type Delivery } from './webhook-deliveries.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

export interface RunNotifierDeps {
  now: () => number;
  log?: RunLog | undefined;
}

/**
 * Turns each flow run's final record (a run that ended, or one recovery failed after its process stopped) into one
 * stored delivery per webhook of its sandbox that wants its kind of event. The deliveries are written in the same
 * transaction as the record: they commit with it or not at all, so no notification is lost between the two, and a
 * restart before the send loses nothing either. The sender is told once the transaction has committed.
 *
 * ```ts
 * const notifier = new RunNotifier({ now: Date.now });
 * engine.onRunRecorded(notifier.recordHook);
 * engine.onRunFinished(() => sender.poke());
 * ```
 */
export class RunNotifier {
  constructor(private readonly deps: RunNotifierDeps) {}

  readonly recordHook: RunRecordHook = (run, trx) => this.store(trx, run);

  private async store(db: Kysely<Database>, run: RecordedRun): Promise<void> {
    const code = runEventCode(run);
    if (!code) return;
    const { scope, runId, flowId } = run;
    const subscribed = (await new WebhooksRepository(db).list(scope)).filter((webhook) => webhook.events.includes(code));
    if (subscribed.length === 0) return;
    // The run as its final record says, exactly what GET /runs/{id} answers (read in the transaction that wrote it).
    const record = await new RunsRepository(db).get(scope, runId);
    if (!record) {
      this.deps.log?.warn({ runId }, 'a finished run has no record to notify of');
      return;
    }
    const eventId = crypto.randomUUID();
    const body = JSON.stringify(runEvent(eventId, code, record.body, scope.orgId));
    const now = this.deps.now();
    const deliveries: Delivery[] = subscribed.map((webhook) => ({
      id: crypto.randomUUID(),
      scope,
      webhookId: webhook.id,
      eventId,
      eventCode: code,
      runId,
      flowId,
      body,
      status: 'pending',
      attempts: [],
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    await new WebhookDeliveriesRepository(db).insertMany(deliveries);
  }
}
