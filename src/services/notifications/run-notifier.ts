import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { InterruptedRunListener, RunListener } from '../../engine/engine.js';
import type { RunLog } from '../../engine/run-log.js';
import { runKind } from '../../engine/run-document.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { runEvent, runEventCode } from './run-event.js';
import type { RunEventCode } from './webhooks.schema.js';
import type { Delivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { WebhooksRepository } from './webhooks.repository.js';

export interface RunNotifierDeps {
  db: Kysely<Database>;
  webhooks: WebhooksRepository;
  deliveries: WebhookDeliveriesRepository;
  /** Told when new deliveries are stored. */
  sender: { poke(): void };
  now: () => number;
  log?: RunLog | undefined;
}

/** The run a notification is about, and which event it is. */
interface RunToNotify {
  runId: string;
  flowId: string;
  scope: { orgId: string; sandboxId: string };
  code: RunEventCode | undefined;
}

/**
 * Turns each finished flow run (and each run recovery failed after its process stopped) into one stored delivery per webhook of its sandbox that wants its kind of event.
 * Deliveries are stored before anything is sent, so a restart between the run and the send loses nothing.
 *
 * ```ts
 * const notifier = new RunNotifier({ db, webhooks, deliveries, sender, now: Date.now });
 * engine.onRunFinished(notifier.listener);
 * engine.onRunInterrupted(notifier.interruptedListener);
 * await notifier.idle(); // on shutdown, before the sender stops
 * ```
 */
export class RunNotifier {
  private readonly storing = new Set<Promise<void>>();
  private readonly runs: ResourcesRepository;

  constructor(private readonly deps: RunNotifierDeps) {
    this.runs = new ResourcesRepository(deps.db);
  }

  readonly listener: RunListener = (run) =>
    this.track({ runId: run.runId, flowId: run.plan.flowId, scope: { orgId: run.plan.scope.orgId, sandboxId: run.plan.scope.sandboxId }, code: runEventCode(run.outcome) });

  /** A run its stopped process left unfinished is a failed run to whoever waits for it. */
  readonly interruptedListener: InterruptedRunListener = (run) => this.track({ ...run, code: 'sources_flow_run_failure' });

  private track(run: RunToNotify): Promise<void> {
    const stored = this.store(run).finally(() => this.storing.delete(stored));
    this.storing.add(stored);
    return stored;
  }

  /** Resolves once the deliveries of every run finished so far are stored. */
  async idle(): Promise<void> {
    while (this.storing.size > 0) await Promise.allSettled([...this.storing]);
  }

  private async store({ runId, flowId, scope, code }: RunToNotify): Promise<void> {
    if (!code) return;
    const subscribed = (await this.deps.webhooks.list(scope)).filter((webhook) => webhook.events.includes(code));
    if (subscribed.length === 0) return;
    // The run as its final record says, exactly what GET /runs/{id} answers.
    const record = await this.runs.get(runKind, scope, runId);
    if (!record || !isRecord(record.body)) {
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
    await this.deps.deliveries.insertMany(deliveries);
    this.deps.sender.poke();
  }
}
