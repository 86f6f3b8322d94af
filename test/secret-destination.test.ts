import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom } from './support/file-flow.js';
import { crmFlowSpec, flowservice, paypalSpec, quickRetries, squareSpec, stripeSpec } from './support/payment-sources.js';
import { startPayPalStandIn, type PayPalStandIn } from '../src/standins/paypal/index.js';
import { basicCredentials, startStandInServer, type RunningStandIn, type StandInRequest } from '../src/standins/standin-server.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const paypalAuth = 'Client-Id-Secret Based Authentication';

/** A listener of an attacker's choice: it records every request and refuses every client. */
async function startListener(): Promise<RunningStandIn & { received: StandInRequest[] }> {
  const received: StandInRequest[] = [];
  const refuse = { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
  const server = await startStandInServer(
    (request) => {
      received.push(request);
      return refuse;
    },
    { rateLimited: () => refuse, serverError: () => refuse },
  );
  return Object.assign(server, { received });
}

/** Everything a request carried, as text, to look for a secret in. */
function everything(request: StandInRequest): string {
  const basic = basicCredentials(request.headers);
  return [request.url.toString(), JSON.stringify(request.headers), request.body, basic ? `${basic.user}:${basic.password}` : ''].join('\n');
}

describe.each(backends)('moving a stored secret, on $name', (backend) => {
  let api: TestApi;
  let paypal: PayPalStandIn;
  let listener: Awaited<ReturnType<typeof startListener>>;

  beforeAll(async () => {
    paypal = await startPayPalStandIn();
    listener = await startListener();
    api = await startApi(backend, { retryPolicy: quickRetries });
  });
  afterAll(async () => {
    await api?.close();
    await paypal?.close();
    await listener?.close();
  });
  beforeEach(() => {
    listener.received.length = 0;
  });

  const connect = async (name: string): Promise<string> => {
    const response = await api.request('POST', `${flowservice}/connections`, {
      body: { name, auth: { specName: paypalAuth, params: { host: paypal.url, ...paypal.credentials } }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    expect(response.status, response.text).toBe(201);
    return str(response.json, 'id');
  };
  const patch = async (id: string, ops: unknown[]) => {
    const path = `${flowservice}/connections/${id}`;
    const etag = str((await api.request('GET', path)).json, 'items.0.etag');
    return api.request('PATCH', path, { body: ops, headers: { 'if-match': etag } });
  };
  const test = (id: string) => api.request('GET', `${flowservice}/connections/${id}/test`);
  const row = (id: string) => api.store.db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const noRequestCarriedTheStoredSecret = () => {
    for (const request of listener.received) expect(everything(request)).not.toContain(paypal.credentials.clientSecret);
  };

  it('refuses a PATCH of the host alone, naming the secrets to send again, and the stored secret stays home', async () => {
    const id = await connect('host only');
    const moved = await patch(id, [{ op: 'replace', path: '/auth/params/host', value: listener.url }]);
    expect(moved.status, moved.text).toBe(400);
    expect(str(moved.json, 'type')).toContain('FLOW-1458-400');
    expect(at(moved.json, 'report.errors')).toEqual([{ in: 'body', path: '/auth/params/clientSecret', message: 'must be sent again when host changes' }]);
    // The mask GET shows is no secret sent again: it means "keep the stored one".
    const masked = await patch(id, [
      { op: 'replace', path: '/auth/params/host', value: listener.url },
      { op: 'replace', path: '/auth/params/clientSecret', value: '********' },
    ]);
    expect(masked.status, masked.text).toBe(400);
    expect(at((await api.request('GET', `${flowservice}/connections/${id}`)).json, 'items.0.auth.params.host')).toBe(paypal.url);

    const tested = await test(id);
    expect(tested.json).toEqual({ status: 'ok', message: 'connected to PayPal' });
    expect(listener.received).toEqual([]);
    expect(api.contractViolations).toEqual([]);
  });

  it('accepts a new host with the secrets sent again, and test sends only the new ones, to the new host', async () => {
    const id = await connect('host and secrets');
    const moved = await patch(id, [
      { op: 'replace', path: '/auth/params/host', value: listener.url },
      { op: 'replace', path: '/auth/params/clientId', value: 'listener-client' },
      { op: 'replace', path: '/auth/params/clientSecret', value: 'listener-secret' },
    ]);
    expect(moved.status, moved.text).toBe(200);
    const tested = await test(id);
    expect(tested.status, tested.text).toBe(200);
    expect(at(tested.json, 'status')).toBe('failed');
    expect(listener.received.length).toBeGreaterThan(0);
    expect(listener.received.map((r) => basicCredentials(r.headers))).toContainEqual({ user: 'listener-client', password: 'listener-secret' });
    noRequestCarriedTheStoredSecret();
  });

  it('takes a change of name and description without the secrets', async () => {
    const id = await connect('renamed');
    const renamed = await patch(id, [
      { op: 'replace', path: '/name', value: 'PayPal, renamed' },
      { op: 'replace', path: '/description', value: 'the same account' },
    ]);
    expect(renamed.status, renamed.text).toBe(200);
    expect(at((await api.request('GET', `${flowservice}/connections/${id}`)).json, 'items.0.name')).toBe('PayPal, renamed');
    expect(at((await test(id)).json, 'status')).toBe('ok');
  });

  it('refuses test, explore and runs of a connection whose stored secret points elsewhere than it was saved for', async () => {
    const id = await connect('edited row');
    const source = await api.request('POST', `${flowservice}/sourceConnections`, {
      body: { name: 'products', baseConnectionId: id, data: { format: 'tabular' }, params: { tableName: 'PayPal.Catalog_Products' }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    const flow = await createFlowFrom(api, str(source.json, 'id'), { title: 'edited row', flowSpecId: crmFlowSpec });
    // What a direct edit of the database would do: the sealed params now name the listener, the seal's binding
    // and the shown params still name the stand-in.
    const stored = await row(id);
    const params = api.openSecret(stored.secret as string) as Record<string, unknown>;
    const edited = api.sealSecret({ ...params, host: listener.url }, { host: paypal.url });
    await api.store.db.updateTable('resources').set({ secret: edited }).where('id', '=', id).execute();

    const tested = await test(id);
    expect(tested.status, tested.text).toBe(409);
    expect(str(tested.json, 'detail')).toContain(`were saved for host=${paypal.url}, but the connection now sends them to host=${listener.url}`);
    const explored = await api.request('GET', `${flowservice}/connections/${id}/explore?objectType=table&object=PayPal.Catalog_Products&preview=true`);
    expect(explored.status, explored.text).toBe(409);
    const run = await api.request('POST', `${flowservice}/runs`, { body: { flowId: flow.flowId } });
    expect(run.status, run.text).toBe(409);
    expect(listener.received).toEqual([]);
    expect(api.contractViolations).toEqual([]);

    // Sending the secret again with the host the connection shows saves them for it: the edit is gone.
    const fixed = await patch(id, [{ op: 'replace', path: '/auth/params/clientSecret', value: paypal.credentials.clientSecret }]);
    expect(fixed.status, fixed.text).toBe(200);
    expect(at((await test(id)).json, 'status')).toBe('ok');
    expect(listener.received).toEqual([]);
  });

  it('refuses a connection whose shown host was edited in its row', async () => {
    const id = await connect('edited body');
    const stored = await row(id);
    const body = JSON.parse(stored.body) as { auth: { params: Record<string, unknown> } };
    body.auth.params.host = listener.url;
    await api.store.db.updateTable('resources').set({ body: JSON.stringify(body) }).where('id', '=', id).execute();
    expect((await test(id)).status).toBe(409);
    // A PATCH applies to the connection as shown: keeping the secret with the edited host is refused.
    expect((await patch(id, [{ op: 'replace', path: '/name', value: 'edited body, renamed' }])).status).toBe(400);
    expect(listener.received).toEqual([]);
  });

  it('binds a connection saved before bindings existed on its first use, and refuses one whose stored and shown hosts differ', async () => {
    const id = await connect('older');
    const params = api.openSecret(String((await row(id)).secret)) as Record<string, unknown>;
    await api.store.db.updateTable('resources').set({ secret: api.sealSecret(params) }).where('id', '=', id).execute();
    const etag = String((await row(id)).etag);
    expect(at((await test(id)).json, 'status')).toBe('ok');
    const after = await row(id);
    expect(after.etag).toBe(etag);
    const sealed = String(after.secret);
    expect(sealed.startsWith('v2.')).toBe(true);
    expect(api.openSecret(sealed)).toEqual(params);

    const moved = await connect('older, moved');
    const movedParams = api.openSecret(String((await row(moved)).secret)) as Record<string, unknown>;
    await api.store.db.updateTable('resources').set({ secret: api.sealSecret({ ...movedParams, host: listener.url }) }).where('id', '=', moved).execute();
    const refused = await test(moved);
    expect(refused.status, refused.text).toBe(409);
    expect(str(refused.json, 'detail')).toContain('have no destination they were saved for');
    expect(listener.received).toEqual([]);
  });

  it.each([
    { spec: paypalSpec, name: paypalAuth, params: { clientId: 'id', clientSecret: 'secret' }, secrets: ['clientSecret'] },
    { spec: stripeSpec, name: 'OAuth2 Refresh Code', params: { accessToken: 'sk_test_1' }, secrets: ['accessToken'] },
    { spec: squareSpec, name: 'OAuth2 Refresh Code', params: { clientId: 'id', clientSecret: 'secret', accessToken: 'a', refreshToken: 'r' }, secrets: ['clientSecret', 'accessToken', 'refreshToken'] },
  ])('asks every secret again when the host of a $name connection changes ($secrets)', async ({ spec, name, params, secrets }) => {
    const created = await api.request('POST', `${flowservice}/connections`, { body: { name: `host of ${spec}`, auth: { specName: name, params: { host: paypal.url, ...params } }, connectionSpec: { id: spec, version: '1.0' } } });
    expect(created.status, created.text).toBe(201);
    const id = str(created.json, 'id');
    // Removing the host is a change too: the credentials would go to the provider's own host instead.
    const removed = await patch(id, [{ op: 'remove', path: '/auth/params/host' }]);
    expect(removed.status, removed.text).toBe(400);
    expect((at(removed.json, 'report.errors') as { path: string }[]).map((e) => e.path).sort()).toEqual(secrets.map((s) => `/auth/params/${s}`).sort());
    // Sending some of the secrets again is not enough: the others are named.
    const [first, ...rest] = secrets;
    if (rest.length > 0) {
      const partly = await patch(id, [{ op: 'replace', path: '/auth/params/host', value: listener.url }, { op: 'replace', path: `/auth/params/${String(first)}`, value: 'new' }]);
      expect(partly.status, partly.text).toBe(400);
      expect((at(partly.json, 'report.errors') as { path: string }[]).map((e) => e.path).sort()).toEqual(rest.map((s) => `/auth/params/${s}`).sort());
    }
    const all = await patch(id, [{ op: 'replace', path: '/auth/params/host', value: listener.url }, ...secrets.map((s) => ({ op: 'replace', path: `/auth/params/${s}`, value: `new ${s}` }))]);
    expect(all.status, all.text).toBe(200);
    expect(api.contractViolations).toEqual([]);
  });
});
