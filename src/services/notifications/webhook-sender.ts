import type { RunLog } from '../../engine/run-log.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { Delivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { WebhooksRepository } from './webhooks.repository.js';
import type { DeliveryAttempt, DeliveryStatus } from './webhooks.schema.js';
import { signatureHeader, signPayload, timestampHeader } from './webhook-signature.js';
import { retryAfterMs } from '../../http/retry-after.js';

/**
 * How notifications are sent and retried. Six attempts over about an hour: at once, then 1, 6, 16, 36 and 61
 * minutes after the first. 2xx is delivered; a network failure, a timeout, 408, 429 and 5xx are tried again; any
 * other answer (a 4xx, a redirect) gives up at once, since sending the same body again will not change it.
 */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  retryDelaysMs: [60_000, 5 * 60_000, 10 * 60_000, 20 * 60_000, 25 * 60_000],
  retryStatuses: [408, 429],
  timeoutMs: 10_000,
  concurrency: 4,
  batchSize: 50,
  maxBatchesPerPass: 20,
  pollMs: 30_000,
  keepMs: 30 * 24 * 3_600_000,
};

export interface DeliveryPolicy {
  /** The wait before each attempt after the first: one more attempt than entries. */
  retryDelaysMs: readonly number[];
  /** Statuses worth another attempt besides every 5xx. */
  retryStatuses: readonly number[];
  /** An attempt with no answer by then counts as failed (and is tried again). */
  timeoutMs: number;
  /** Attempts in flight at once, over all webhooks. */
  concurrency: number;
  /** Due deliveries read at a time. */
  batchSize: number;
  /** A pass stops after this many batches and the next one follows at once, so one pass never runs unbounded. */
  maxBatchesPerPass: number;
  /** The longest the timer sleeps between looks for due deliveries (retries, and ones a stopped process held). */
  pollMs: number;
  /** Finished deliveries leave the log this long after their last attempt. */
  keepMs: number;
}

/** The send function: `fetch`, or a stand-in in tests. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface WebhookSenderDeps {
  deliveries: WebhookDeliveriesRepository;
  webhooks: WebhooksRepository;
  secretBox: SecretBox;
  clock: { now(): number };
  fetch: Fetch;
  policy?: Partial<DeliveryPolicy> | undefined;
  log?: RunLog | undefined;
}

/** What one pass did: attempts made and where they left their deliveries. */
export interface SendReport {
  attempts: number;
  delivered: number;
  retrying: number;
  failed: number;
  /** Deliveries whose webhook was deleted after they were read: dropped unsent. */
  dropped: number;
}

/** What one attempt came to. */
interface AttemptResult {
  statusCode?: number;
  error?: string;
  retryAfterMs?: number;
  verdict: 'delivered' | 'retry' | 'give up';
}

/**
 * Sends pending notifications: `poke()` after new ones are stored, `tick()` for one pass (tests, with their own
 * clock), `start()` for the timer that picks up retries as they fall due. A delivery is claimed in the store before
 * each attempt, so several servers sharing a store never send it twice at once, and one a stopped process held is
 * taken up again once its claim runs out.
 *
 * ```ts
 * const sender = new WebhookSender({ deliveries, webhooks, secretBox, clock: { now: Date.now }, fetch });
 * sender.start(); // resumes what was pending before a restart
 * sender.poke(); // after storing new deliveries
 * await sender.stop();
 * ```
 */
export class WebhookSender {
  private readonly policy: DeliveryPolicy;
  private running: Promise<SendReport> | undefined;
  private queued: Promise<SendReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private lastPrune = 0;

  constructor(private readonly deps: WebhookSenderDeps) {
    this.policy = { ...defaultDeliveryPolicy, ...deps.policy };
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.poke();
  }

  /** A pass soon; several pokes while one runs make one more pass, not one each. */
  poke(): void {
    if (this.stopped) return;
    this.tick().catch((error: unknown) => this.deps.log?.error({ err: error }, 'sending webhook notifications failed'));
  }

  /** One pass over the due deliveries. A pass under way is followed by one more, which the caller waits for. */
  tick(): Promise<SendReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.tick();
      });
    return this.queued;
  }

  /** Stops the timer and waits for the attempts under way (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queued?.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<SendReport> {
    const report: SendReport = { attempts: 0, delivered: 0, retrying: 0, failed: 0, dropped: 0 };
    let more = false;
    try {
      more = await this.sendDue(report);
      await this.pruneNowAndThen();
    } finally {
      // Whatever failed above (the store, for a moment), the next pass is due: pending retries must not wait for
      // the next run to finish, or for a restart. A failed pass is tried again after the poll interval.
      await this.arm(more).catch(() => this.armAfter(this.policy.pollMs));
    }
    return report;
  }

  /** Attempts the due deliveries, batch by batch; true when more may be due at once. */
  private async sendDue(report: SendReport): Promise<boolean> {
    let more = false;
    for (let batch = 0; batch < this.policy.maxBatchesPerPass && !this.stopped; batch += 1) {
      const due = await this.deps.deliveries.due(this.deps.clock.now(), this.policy.batchSize);
      await inParallel(due, this.policy.concurrency, async (delivery) => {
        // One broken delivery (a row edited by hand, a secret that no longer opens) must not stop the others;
        // its claim runs out and it is tried again, and logged again, later.
        const outcome = await this.attempt(delivery).catch((error: unknown) => {
          this.deps.log?.error({ err: error, deliveryId: delivery.id, webhookId: delivery.webhookId }, 'a run notification could not be attempted');
          return undefined;
        });
        if (outcome === undefined) return;
        if (outcome !== 'dropped') report.attempts += 1;
        if (outcome === 'pending') report.retrying += 1;
        else report[outcome] += 1;
      });
      more = due.length === this.policy.batchSize;
      if (!more) break;
    }
    return more;
  }

  /** Sends one delivery once, if no other process has it; undefined when another one had it. */
  private async attempt(delivery: Delivery): Promise<DeliveryStatus | 'dropped' | undefined> {
    const { deliveries, clock } = this.deps;
    const claimedAt = clock.now();
    if (!(await deliveries.claim(delivery.id, claimedAt, claimedAt + this.policy.timeoutMs + 60_000))) return undefined;
    const webhook = await this.deps.webhooks.get(delivery.scope, delivery.webhookId);
    if (!webhook) {
      await deliveries.remove(delivery.id);
      return 'dropped';
    }
    const secret = this.openSecret(webhook.sealedSecret);
    if (secret === undefined) {
      // Trying again cannot help: the delivery fails, and says why, instead of being retried for ever.
      const failedAt = clock.now();
      const error = "the webhook's signing secret cannot be opened (the server's secret key changed?); register the webhook again";
      await deliveries.record(delivery.id, { status: 'failed', attempts: [...delivery.attempts, { attempt: delivery.attempts.length + 1, at: failedAt, durationMs: 0, error }], nextAttemptAt: null, updatedAt: failedAt });
      this.deps.log?.error({ webhookId: webhook.id, deliveryId: delivery.id }, error);
      return 'failed';
    }
    const at = clock.now();
    const timestamp = Math.floor(at / 1000);
    const result = await this.send(webhook.url, {
      'content-type': 'application/json',
      'user-agent': 'Tributary-Webhooks/1',
      'x-tributary-webhook-id': webhook.id,
      'x-tributary-delivery-id': delivery.id,
      'x-tributary-event-code': delivery.eventCode,
      [timestampHeader]: String(timestamp),
      [signatureHeader]: signPayload(secret, timestamp, delivery.body),
    }, delivery.body);
    const done = clock.now();
    const attempt: DeliveryAttempt = {
      attempt: delivery.attempts.length + 1,
      at,
      durationMs: Math.max(0, done - at),
      ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
    };
    const attempts = [...delivery.attempts, attempt];
    const wait = this.policy.retryDelaysMs[attempts.length - 1];
    let status: DeliveryStatus = 'delivered';
    let nextAttemptAt: number | null = null;
    if (result.verdict === 'give up') status = 'failed';
    else if (result.verdict === 'retry' && wait === undefined) {
      status = 'failed';
      attempts[attempts.length - 1] = { ...attempt, error: `${attempt.error ?? 'failed'}; gave up after ${attempts.length} attempts` };
    } else if (result.verdict === 'retry' && wait !== undefined) {
      status = 'pending';
      // A Retry-After longer than our own wait is honoured, up to the longest wait of the schedule.
      nextAttemptAt = done + Math.max(wait, Math.min(result.retryAfterMs ?? 0, Math.max(...this.policy.retryDelaysMs)));
    }
    await deliveries.record(delivery.id, { status, attempts, nextAttemptAt, updatedAt: done });
    // Never the URL (it may carry a token in its query) and never the secret.
    const fields = { webhookId: webhook.id, deliveryId: delivery.id, runId: delivery.runId, attempt: attempt.attempt, statusCode: result.statusCode, error: result.error };
    if (status === 'failed') this.deps.log?.warn(fields, 'gave up sending a run notification');
    else this.deps.log?.debug(fields, status === 'delivered' ? 'run notification delivered' : 'run notification will be tried again');
    return status;
  }

  private openSecret(sealed: string): string | undefined {
    try {
      const secret = this.deps.secretBox.open(sealed);
      return typeof secret === 'string' ? secret : undefined;
    } catch {
      return undefined;
    }
  }

  private async send(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    let response: Response;
    try {
      // A redirect is not followed: it could lead a signed body anywhere, and the registered URL is the one to fix.
      response = await this.deps.fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.policy.timeoutMs) });
    } catch (error) {
      return { verdict: 'retry', error: describeFailure(error, this.policy.timeoutMs) };
    }
    // The answer's body is not read: nothing in it changes the outcome, and a receiver's text is not ours to keep.
    await response.body?.cancel().catch(() => undefined);
    const statusCode = response.status;
    if (statusCode >= 200 && statusCode < 300) return { verdict: 'delivered', statusCode };
    if (statusCode >= 500 || this.policy.retryStatuses.includes(statusCode)) {
      const wait = retryAfterMs(response.headers.get('retry-after'), this.deps.clock.now());
      return { verdict: 'retry', statusCode, error: `answered ${statusCode}`, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    if (statusCode >= 300 && statusCode < 400) return { verdict: 'give up', statusCode, error: `answered ${statusCode}; redirects are not followed, register the URL it points to` };
    return { verdict: 'give up', statusCode, error: `answered ${statusCode}; not tried again` };
  }

  /** The next pass: at once when this one stopped at its bound, else when the next retry falls due (at most `pollMs` away). */
  private async arm(more: boolean): Promise<void> {
    if (!this.started || this.stopped) return;
    let delay = 0;
    if (!more) {
      const earliest = await this.deps.deliveries.earliestDue();
      delay = earliest === undefined ? this.policy.pollMs : Math.min(this.policy.pollMs, Math.max(0, earliest - this.deps.clock.now()));
    }
    this.armAfter(delay);
  }

  private armAfter(delay: number): void {
    if (!this.started || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poke(), delay);
    this.timer.unref();
  }

  /** The log is trimmed about once an hour, not on every pass. */
  private async pruneNowAndThen(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    const removed = await this.deps.deliveries.prune(now - this.policy.keepMs);
    if (removed > 0) this.deps.log?.debug({ removed }, 'old webhook deliveries removed from the log');
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

