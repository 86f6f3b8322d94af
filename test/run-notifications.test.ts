import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createStripeFlow } from './support/stripe-flow.js';
import { createFileFlow, runNow } from './support/file-flow.js';
import { attemptRefused, leaveInterruptedRun } from './support/interrupted-run.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './support/webhook-receiver.js';

const backends = await availableBackends();
const webhooks = '/tributary/webhooks';
const header = 'Product_Id,Product_Name,Description,Type,updatedAt\n';
const minute = 60_000;

/** What a receiver does to check a notification: HMAC-SHA256 with the secret over `<timestamp>.<body>`, as the README says. */
function expectedSignature(secret: string, request: ReceivedRequest): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${String(request.headers['x-tributary-timestamp'])}.${request.body}`).digest('hex')}`;
}

describe.each(backends)('run notifications (webhooks) on $name', (backend) => {
  let api: TestApi;
  let receiver: WebhookReceiver;
  let stripe: StripeStandIn;
  let root: string;
  let log = '';
  // The server's clock: real time plus what a test skips ahead, so retries fall due without waiting for them.
  let skipped = 0;
  const now = () => Date.now() + skipped;

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString()));
    receiver = await startWebhookReceiver();
    stripe = await startStripeStandIn({ clock: new StandInClock(), seed: 5 });
    api = await startApi(backend, { now, logger: { level: 'debug', stream } });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-webhooks-'));
    fs.writeFileSync(path.join(root, 'clean.csv'), `${header}P1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00\nP2,E-book,A book,DIGITAL,2024-01-03 11:00:00\nP3,Plan,,SERVICE,2024-01-04 12:00:00\n`);
    // The second row's year is not a number: one rejected row of four.
    fs.writeFileSync(
      path.join(root, 'dirty.csv'),
      'Product_Id,Product_Name,Description,Type,updatedAt,Year\nD1,One,,PHYSICAL,2024-05-01 00:00:00,1980\nD2,Two,,PHYSICAL,2024-05-02 00:00:00,not a year\nD3,Three,,PHYSICAL,2024-05-03 00:00:00,1990\nD4,Four,,PHYSICAL,2024-05-04 00:00:00,2000\n',
    );
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
    await stripe?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A send pass over the deliveries stored so far (each run's are stored with its final record). */
  const settle = async () => {
    await api.app.webhookSender.tick();
  };
  const register = async (body: Record<string, unknown>) => {
    const response = await api.request('POST', webhooks, { body });
    expect(response.status, response.text).toBe(201);
    return { id: str(response.json, 'id'), secret: str(response.json, 'secret') };
  };
  const deliveries = async (webhookId: string) => {
    const response = await api.request('GET', `${webhooks}/${webhookId}/deliveries`);
    expect(response.status, response.text).toBe(200);
    return at(response.json, 'items') as Record<string, unknown>[];
  };
  const sentTo = (route: string) => receiver.received.filter((r) => r.path === route);
  const cleanFlow = (title: string) => createFileFlow(api, { root, path: 'clean.csv', format: 'delimited', title, delta: false });
  const dirtyFlow = (title: string, options?: Record<string, unknown>) =>
    createFileFlow(api, { root, path: 'dirty.csv', format: 'delimited', title, delta: false, extraMappings: [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }], ...(options ? { options } : {}) });

  it('answers the signing secret at creation only, keeps it sealed, and refuses bad registrations', async () => {
    const created = await api.request('POST', webhooks, { body: { url: `${receiver.url}/secret-check`, description: 'ops channel' } });
    expect(created.status, created.text).toBe(201);
    const id = str(created.json, 'id');
    const secret = str(created.json, 'secret');
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(created.headers.get('location')).toBe(`${webhooks}/${id}`);
    expect(created.json).toMatchObject({ url: `${receiver.url}/secret-check`, description: 'ops channel', events: ['sources_flow_run_success', 'sources_flow_run_partial_success', 'sources_flow_run_failure'], sandboxName: 'prod' });

    const one = await api.request('GET', `${webhooks}/${id}`);
    const list = await api.request('GET', webhooks);
    const patched = await api.request('PATCH', `${webhooks}/${id}`, { body: { description: 'renamed' } });
    expect([one.status, list.status, patched.status]).toEqual([200, 200, 200]);
    expect(at(patched.json, 'description')).toBe('renamed');
    for (const answer of [one, list, patched]) {
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toContain('"secret"');
    }
    expect((at(list.json, 'items') as { id: string }[]).map((w) => w.id)).toContain(id);

    // At rest it is sealed like a connection's credentials; the row opens to it with the master key only.
    const row = await api.store.db.selectFrom('resources').select(['body', 'secret']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.body).not.toContain(secret);
    expect(row.secret).not.toContain(secret);
    expect(api.openSecret(row.secret ?? '')).toBe(secret);

    // A given secret is used as given, and answered once too.
    const given = await api.request('POST', webhooks, { body: { url: 'https://hooks.example.com/tributary?channel=7', secret: 'a-secret-of-our-own-choosing-1234', events: ['sources_flow_run_failure'] } });
    expect(given.status, given.text).toBe(201);
    expect(at(given.json, 'secret')).toBe('a-secret-of-our-own-choosing-1234');
    expect((await api.request('GET', `${webhooks}/${str(given.json, 'id')}`)).text).not.toContain('a-secret-of-our-own-choosing-1234');

    const refused = async (method: string, url: string, body: unknown, field: string) => {
      const response = await api.request(method, url, { body });
      expect(response.status, response.text).toBe(400);
      expect(response.json).toMatchObject({ report: { errors: [expect.objectContaining({ in: 'body', path: field })] } });
    };
    await refused('POST', webhooks, { url: 'ftp://files.example.com/in' }, '/url');
    await refused('POST', webhooks, { url: 'not a url' }, '/url');
    await refused('POST', webhooks, { url: 'https://user:pass@hooks.example.com/' }, '/url');
    await refused('POST', webhooks, { url: 'https://hooks.example.com/', events: ['sources_flow_run_started'] }, '/events/0');
    await refused('POST', webhooks, { url: 'https://hooks.example.com/', secret: 'short' }, '/secret');
    await refused('PATCH', `${webhooks}/${id}`, { url: 'file:///etc/passwd' }, '/url');
    // The secret cannot be changed, or sneaked in with another change.
    const withSecret = await api.request('PATCH', `${webhooks}/${id}`, { body: { secret: 'another-secret-long-enough-0000' } });
    expect(withSecret.status).toBe(400);
    expect(api.openSecret((await api.store.db.selectFrom('resources').select('secret').where('id', '=', id).executeTakeFirstOrThrow()).secret ?? '')).toBe(secret);

    // Other sandboxes do not see it.
    const elsewhere = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', { body: { name: 'hooks-dev', title: 'dev', type: 'development' } });
    expect(elsewhere.status, elsewhere.text).toBe(201);
    expect((await api.request('GET', `${webhooks}/${id}`, { sandbox: 'hooks-dev' })).status).toBe(404);
    expect(at((await api.request('GET', webhooks, { sandbox: 'hooks-dev' })).json, 'items')).toEqual([]);

    for (const webhookId of [id, str(given.json, 'id')]) expect((await api.request('DELETE', `${webhooks}/${webhookId}`)).status).toBe(204);
    expect(log).not.toContain(secret);
    expect(log).not.toContain('a-secret-of-our-own-choosing-1234');
    expect(api.contractViolations).toEqual([]);
  });

  it('sends each finished run, signed, to the webhooks that want its kind: success, partial success, failure', async () => {
    const success = await register({ url: `${receiver.url}/success`, events: ['sources_flow_run_success'] });
    const partial = await register({ url: `${receiver.url}/partial`, events: ['sources_flow_run_partial_success'] });
    const failure = await register({ url: `${receiver.url}/failure`, events: ['sources_flow_run_failure'] });

    const clean = await cleanFlow('clean');
    const cleanRun = await runNow(api, clean.flowId);
    // A run with a rejected row: under a 30% threshold it lands the rest, under the default it fails.
    const lenient = await dirtyFlow('lenient', { partialIngestionPercent: 30, errorDiagnosticsEnabled: true });
    const partialRun = await runNow(api, lenient.flowId);
    const strict = await dirtyFlow('strict');
    const failedRun = await runNow(api, strict.flowId);
    expect([at(cleanRun, 'metrics.statusSummary.status'), at(partialRun, 'metrics.statusSummary.status'), at(failedRun, 'metrics.statusSummary.status')]).toEqual(['success', 'success', 'failed']);
    await settle();

    expect([sentTo('/success').length, sentTo('/partial').length, sentTo('/failure').length]).toEqual([1, 1, 1]);
    const cases = [
      { request: sentTo('/success')[0]!, webhook: success, run: cleanRun, flowId: clean.flowId, code: 'sources_flow_run_success' },
      { request: sentTo('/partial')[0]!, webhook: partial, run: partialRun, flowId: lenient.flowId, code: 'sources_flow_run_partial_success' },
      { request: sentTo('/failure')[0]!, webhook: failure, run: failedRun, flowId: strict.flowId, code: 'sources_flow_run_failure' },
    ];
    for (const { request, webhook, run, flowId, code } of cases) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-tributary-webhook-id']).toBe(webhook.id);
      expect(request.headers['x-tributary-event-code']).toBe(code);
      const timestamp = Number(request.headers['x-tributary-timestamp']);
      expect(Math.abs(timestamp - now() / 1000)).toBeLessThan(300);
      expect(request.headers['x-tributary-signature']).toBe(expectedSignature(webhook.secret, request));
      // The check fails for any other body or timestamp, and for another webhook's secret.
      expect(request.headers['x-tributary-signature']).not.toBe(expectedSignature(webhook.secret, { ...request, body: `${request.body} ` }));
      expect(request.headers['x-tributary-signature']).not.toBe(expectedSignature(webhook.secret, { ...request, headers: { ...request.headers, 'x-tributary-timestamp': String(timestamp + 1) } }));
      expect(request.headers['x-tributary-signature']).not.toBe(expectedSignature(success === webhook ? partial.secret : success.secret, request));

      const payload = JSON.parse(request.body) as Record<string, unknown>;
      expect(str(payload, 'event_id')).toMatch(/^[0-9a-f-]{36}$/);
      // The run as the runs API shows it, with I/O Events' header naming the event.
      expect(payload.event).toMatchObject({
        id: str(run, 'id'),
        flowId,
        imsOrgId: api.credentials.ims_org,
        sandboxName: 'prod',
        metrics: at(run, 'metrics') as object,
        activities: at(run, 'activities') as object,
        header: { _adobeio: { imsOrgId: api.credentials.ims_org, providerMetadata: 'platform_notifications', eventCode: code } },
      });
      expect(request.body).not.toContain(webhook.secret);
      expect(request.body).not.toContain('"auth"');
      expect(request.body).not.toContain(api.credentials.client_secret);
      expect(request.body).not.toContain(api.credentials.access_token);

      const [delivery, ...others] = await deliveries(webhook.id);
      expect(others).toEqual([]);
      expect(delivery).toMatchObject({ id: request.headers['x-tributary-delivery-id'], eventId: payload.event_id, eventCode: code, runId: str(run, 'id'), flowId, status: 'delivered', attemptCount: 1, nextAttemptAt: null, attempts: [{ attempt: 1, statusCode: 200 }] });
    }
    expect(at(JSON.parse(sentTo('/partial')[0]!.body), 'event.metrics.recordSummary')).toMatchObject({ inputRecordCount: 4, outputRecordCount: 3, failedRecordCount: 1 });
    expect(JSON.stringify(at(JSON.parse(sentTo('/failure')[0]!.body), 'event.metrics.statusSummary'))).toContain('INGEST-1212-400');
    for (const webhook of [success, partial, failure]) await api.request('DELETE', `${webhooks}/${webhook.id}`);
  });

  it('puts no connection credential in a notification', async () => {
    const webhook = await register({ url: `${receiver.url}/stripe` });
    const flow = await createStripeFlow(api, stripe.url, { title: 'webhook', resourcePath: 'customers', columns: { name: 'Name', description: 'Email', type: 'Description' } });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    await settle();
    const [request] = sentTo('/stripe');
    expect(request).toBeDefined();
    // The run's own record, per-stream metrics included, is there; the key it read with is not.
    expect(at(JSON.parse(request!.body), 'event.activities.0.statusSummary.extensions.streams.0')).toMatchObject({ stream: 'Customers' });
    expect(request!.body).not.toContain(DEFAULT_STRIPE_KEY);
    expect(request!.body).not.toContain(DEFAULT_STRIPE_KEY.slice(-12));
    expect(log).not.toContain(webhook.secret);
    await api.request('DELETE', `${webhooks}/${webhook.id}`);
  });

  it('tries again after a 500, with backoff, and logs both attempts; gives up at once on a 4xx', async () => {
    const flaky = await register({ url: `${receiver.url}/flaky`, events: ['sources_flow_run_success'] });
    const gone = await register({ url: `${receiver.url}/gone`, events: ['sources_flow_run_success'] });
    receiver.answerNext('/flaky', 500);
    const flow = await cleanFlow('retried');
    const run = await runNow(api, flow.flowId);
    await settle();
    expect(sentTo('/flaky').map((r) => r.answered)).toEqual([500]);
    expect(sentTo('/gone').map((r) => r.answered)).toEqual([200]);

    const [pending] = await deliveries(flaky.id);
    expect(pending).toMatchObject({ status: 'pending', attemptCount: 1, attempts: [{ attempt: 1, statusCode: 500, error: 'answered 500' }] });
    const firstAt = at(pending, 'attempts.0.at') as number;
    expect(at(pending, 'nextAttemptAt')).toBeGreaterThanOrEqual(firstAt + minute);
    // Not due yet: nothing is sent.
    await api.app.webhookSender.tick();
    expect(sentTo('/flaky')).toHaveLength(1);

    skipped += minute + 1_000;
    await api.app.webhookSender.tick();
    const attempts = sentTo('/flaky');
    expect(attempts.map((r) => r.answered)).toEqual([500, 200]);
    // The same notification, signed again for the new attempt.
    expect(attempts[1]!.body).toBe(attempts[0]!.body);
    expect(attempts[1]!.headers['x-tributary-delivery-id']).toBe(attempts[0]!.headers['x-tributary-delivery-id']);
    expect(attempts[1]!.headers['x-tributary-signature']).toBe(expectedSignature(flaky.secret, attempts[1]!));
    const [delivered] = await deliveries(flaky.id);
    expect(delivered).toMatchObject({ runId: str(run, 'id'), status: 'delivered', attemptCount: 2, nextAttemptAt: null, attempts: [{ attempt: 1, statusCode: 500 }, { attempt: 2, statusCode: 200 }] });
    expect(at(delivered, 'attempts.1.at')).toBeGreaterThanOrEqual(firstAt + minute);

    // A 410 is the receiver's final word: no second attempt, however long we wait.
    receiver.answerNext('/gone', 410);
    await runNow(api, flow.flowId);
    await settle();
    skipped += 2 * 60 * minute;
    await api.app.webhookSender.tick();
    expect(sentTo('/gone').map((r) => r.answered)).toEqual([200, 410]);
    const [refused] = await deliveries(gone.id);
    expect(refused).toMatchObject({ status: 'failed', attemptCount: 1, nextAttemptAt: null, attempts: [{ statusCode: 410, error: expect.stringContaining('not tried again') as string }] });
    const failedOnly = await api.request('GET', `${webhooks}/${gone.id}/deliveries?status=failed&limit=1`);
    expect(at(failedOnly.json, 'items')).toHaveLength(1);
    expect(at(failedOnly.json, '_page')).toEqual({ count: 1, limit: 1 });
    const firstPage = await api.request('GET', `${webhooks}/${gone.id}/deliveries?limit=1`);
    const secondPage = await api.request('GET', `${webhooks}/${gone.id}/deliveries?limit=1&continuationToken=${str(firstPage.json, '_page.next')}`);
    expect([at(firstPage.json, 'items.0.status'), at(secondPage.json, 'items.0.status')]).toEqual(['failed', 'delivered']);
    expect(at(secondPage.json, '_page.next')).toBeUndefined();
    expect((await api.request('GET', `${webhooks}/${gone.id}/deliveries?continuationToken=nonsense`)).status).toBe(400);
    for (const webhook of [flaky, gone]) await api.request('DELETE', `${webhooks}/${webhook.id}`);
    expect(api.contractViolations).toEqual([]);
  });

  it('sends nothing more once a webhook is deleted, pending retries included', async () => {
    const webhook = await register({ url: `${receiver.url}/deleted` });
    receiver.answerNext('/deleted', 503);
    const flow = await cleanFlow('deleted');
    await runNow(api, flow.flowId);
    await settle();
    expect(sentTo('/deleted').map((r) => r.answered)).toEqual([503]);
    expect(await deliveries(webhook.id)).toMatchObject([{ status: 'pending' }]);

    expect((await api.request('DELETE', `${webhooks}/${webhook.id}`)).status).toBe(204);
    expect((await api.request('GET', `${webhooks}/${webhook.id}`)).status).toBe(404);
    expect((await api.request('GET', `${webhooks}/${webhook.id}/deliveries`)).status).toBe(404);
    expect((await api.request('DELETE', `${webhooks}/${webhook.id}`)).status).toBe(404);
    skipped += 10 * minute;
    await runNow(api, flow.flowId);
    await settle();
    expect(sentTo('/deleted')).toHaveLength(1);
    const left = await api.store.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', webhook.id).execute();
    expect(left).toEqual([]);
  });

  it('fails a delivery whose signing secret no longer opens, sending nothing unsigned', async () => {
    const webhook = await register({ url: `${receiver.url}/unopenable` });
    // As if the server's secret key had changed since the webhook was registered.
    await api.store.db.updateTable('resources').set({ secret: api.sealSecret('x').replace(/\.[^.]+$/, '.AAAA') }).where('id', '=', webhook.id).execute();
    const flow = await cleanFlow('unopenable');
    await runNow(api, flow.flowId);
    await settle();
    expect(sentTo('/unopenable')).toEqual([]);
    expect(await deliveries(webhook.id)).toMatchObject([{ status: 'failed', attemptCount: 1, nextAttemptAt: null, attempts: [{ error: expect.stringContaining('cannot be opened') as string }] }]);
    await api.request('DELETE', `${webhooks}/${webhook.id}`);
  });

  it('sends a failure for a run whose process stopped, from the server that fails it, at start or in a sweep', async () => {
    const webhook = await register({ url: `${receiver.url}/interrupted`, events: ['sources_flow_run_failure'] });
    const flow = await cleanFlow('interrupted');
    await leaveInterruptedRun(api, flow.flowId, 'run-of-a-stopped-server');
    expect(await api.app.engine.recover(0, 'leasedRuns')).toBe(1);
    // A second sweep finds nothing left to fail, and tells no one again.
    expect(await api.app.engine.recover(0, 'leasedRuns')).toBe(0);
    await settle();
    expect(sentTo('/interrupted')).toHaveLength(1);
    const payload = JSON.parse(sentTo('/interrupted')[0]!.body) as Record<string, unknown>;
    expect(payload.event).toMatchObject({ id: 'run-of-a-stopped-server', flowId: flow.flowId, metrics: { statusSummary: { status: 'failed', errors: [{ code: 'CONNECTOR-2001-500' }] } } });
    expect(sentTo('/interrupted')[0]!.headers['x-tributary-signature']).toBe(expectedSignature(webhook.secret, sentTo('/interrupted')[0]!));

    // One without a lease (a restored store) is failed by the next start, and heard of the same way.
    await leaveInterruptedRun(api, flow.flowId, 'run-of-a-restored-store', { lease: false });
    await api.restart();
    await settle();
    expect(sentTo('/interrupted').map((request) => at(JSON.parse(request.body), 'event.id'))).toEqual(['run-of-a-stopped-server', 'run-of-a-restored-store']);
    expect(await deliveries(webhook.id)).toMatchObject([
      { runId: 'run-of-a-restored-store', flowId: flow.flowId, eventCode: 'sources_flow_run_failure', status: 'delivered' },
      { runId: 'run-of-a-stopped-server', flowId: flow.flowId, eventCode: 'sources_flow_run_failure', status: 'delivered' },
    ]);
    await api.request('DELETE', `${webhooks}/${webhook.id}`);
  });

  it('takes a delivery row that is not a delivery out of the queue, and sends the others', async () => {
    const webhook = await register({ url: `${receiver.url}/mangled`, events: ['sources_flow_run_success'] });
    await runNow(api, (await cleanFlow('mangled')).flowId);
    await settle();
    expect(sentTo('/mangled')).toHaveLength(1);
    const sent = await api.store.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhook.id).executeTakeFirstOrThrow();
    // Two more due at once: one edited by hand into something no sender knows, one as the notifier writes them.
    const due = { ...sent, status: 'pending', attempts: '[]', next_attempt_at: now(), claimed_until: null };
    await api.store.db.insertInto('webhook_deliveries').values([{ ...due, id: 'mangled-delivery', event_code: 'not_an_event' }, { ...due, id: 'sound-delivery' }]).execute();
    await api.app.webhookSender.tick();
    expect(sentTo('/mangled')).toHaveLength(2);
    const statuses = await api.store.db.selectFrom('webhook_deliveries').select(['id', 'status']).where('id', 'in', ['mangled-delivery', 'sound-delivery']).execute();
    expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({ 'mangled-delivery': 'failed', 'sound-delivery': 'delivered' });
    await api.store.db.deleteFrom('webhook_deliveries').where('id', '=', 'mangled-delivery').execute();
    await api.request('DELETE', `${webhooks}/${webhook.id}`);
  });

  it('resumes pending deliveries after a restart', async () => {
    const webhook = await register({ url: `${receiver.url}/restart`, events: ['sources_flow_run_success'] });
    receiver.answerNext('/restart', 502);
    const flow = await cleanFlow('restart');
    await runNow(api, flow.flowId);
    await settle();
    expect(sentTo('/restart').map((r) => r.answered)).toEqual([502]);

    await api.restart();
    skipped += 2 * minute;
    await api.app.webhookSender.tick();
    expect(sentTo('/restart').map((r) => r.answered)).toEqual([502, 200]);
    expect(sentTo('/restart')[1]!.headers['x-tributary-signature']).toBe(expectedSignature(webhook.secret, sentTo('/restart')[1]!));
    expect(await deliveries(webhook.id)).toMatchObject([{ status: 'delivered', attemptCount: 2 }]);
  });
});

/** A store that refuses to add webhook deliveries while `failing` is set, as a database failing mid-commit would. */
class FailingDeliveries implements KyselyPlugin {
  failing = false;
  refused = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (this.failing && node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'webhook_deliveries') {
      this.refused += 1;
      throw new Error('the metadata store failed');
    }
    return node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

describe.each(backends)('run notifications written with the run record on $name', (backend) => {
  it('never loses a notification between a run\'s record and its delivery: both commit, or neither', async () => {
    const broken = new FailingDeliveries();
    const receiver = await startWebhookReceiver();
    const api = await startApi(backend, { storePlugins: [broken] });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-webhook-outbox-'));
    try {
      fs.writeFileSync(path.join(root, 'p.csv'), `${header}P1,Widget,,PHYSICAL,2024-01-02 10:00:00\n`);
      const created = await api.request('POST', webhooks, { body: { url: `${receiver.url}/outbox`, events: ['sources_flow_run_success', 'sources_flow_run_failure'] } });
      expect(created.status, created.text).toBe(201);
      const flow = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'outbox', delta: false });

      // The deliveries cannot be written: the run's final record is not saved either, and the run waits for recovery.
      broken.failing = true;
      const started = await api.request('POST', '/data/foundation/flowservice/runs', { body: { flowId: flow.flowId } });
      expect(started.status, started.text).toBe(201);
      const runId = str(started.json, 'id');
      await attemptRefused(api, broken);
      broken.failing = false;
      expect(at((await api.request('GET', `/data/foundation/flowservice/runs/${runId}`)).json, 'items.0.metrics.statusSummary.status')).toBe('inProgress');

      // pg-boss takes the attempt back and the next one lands the run; the in-process queue leaves it to recovery,
      // which fails it. Either way one notification is written with the final record, and sent.
      const redelivers = api.app.engine.queue.redelivers;
      if (redelivers) await api.app.engine.idle();
      else expect(await api.app.engine.recover(0, 'leasedRuns')).toBe(1);
      await api.app.webhookSender.tick();
      const sent = receiver.received.filter((r) => r.path === '/outbox');
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!.body)).toMatchObject({ event: { id: runId, metrics: { statusSummary: { status: redelivers ? 'success' : 'failed' } } } });
    } finally {
      await api.close();
      await receiver.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
