import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';

const flowservice = '/data/foundation/flowservice';
const backends = await availableBackends();

describe.each(backends)('flow updates, etags and deletion on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;
  const etagOf = async (path: string) => str((await api.request('GET', path)).json, 'items.0.etag');

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
  });
  afterAll(async () => api?.close());

  it('refuses a PATCH without If-Match (FLOW-1403-400)', async () => {
    const response = await api.request('PATCH', `${flowservice}/flows/${ids.flow}`, { body: [{ op: 'replace', path: '/name', value: 'x' }] });
    expect(response.status).toBe(400);
    expect(str(response.json, 'type')).toMatch(/FLOW-1403-400$/);
  });

  it('refuses a stale If-Match with 412 (FLOW-1404-412) and leaves the flow unchanged', async () => {
    const path = `${flowservice}/flows/${ids.flow}`;
    const response = await api.request('PATCH', path, {
      body: [{ op: 'replace', path: '/name', value: 'stale write' }],
      headers: { 'if-match': '"00000000-0000-0200-0000-000000000000"' },
    });
    expect(response.status).toBe(412);
    expect(str(response.json, 'type')).toMatch(/FLOW-1404-412$/);
    expect(at((await api.request('GET', path)).json, 'items.0.name')).toBe('Dataflow between payments Platform');
  });

  it('applies a PATCH with the current etag, returns a new etag and records the operation', async () => {
    const path = `${flowservice}/flows/${ids.flow}`;
    const before = await etagOf(path);
    const response = await api.request('PATCH', path, {
      body: [
        { op: 'REPLACE', path: '/name', value: 'Payments every hour' },
        { op: 'replace', path: '/scheduleParams/frequency', value: 'hour' },
        { op: 'replace', path: '/scheduleParams/interval', value: '2' },
      ],
      headers: { 'if-match': before },
    });
    expect(response.status).toBe(200);
    const after = str(response.json, 'etag');
    expect(after).not.toBe(before);
    const flow = (await api.request('GET', path)).json;
    expect(flow).toMatchObject({ items: [{ name: 'Payments every hour', etag: after, scheduleParams: { frequency: 'hour', interval: '2' }, lastOperation: { operation: 'update' } }] });
  });

  it('accepts If-Match as a query parameter, as Adobe\'s Postman samples send it', async () => {
    const path = `${flowservice}/sourceConnections/${ids.source}`;
    const etag = await etagOf(path);
    const response = await api.request('PATCH', `${path}?if-match=${encodeURIComponent(etag)}`, { body: [{ op: 'replace', path: '/description', value: 'renamed' }] });
    expect(response.status).toBe(200);
  });

  it('validates the patched flow as a whole', async () => {
    const path = `${flowservice}/flows/${ids.flow}`;
    const response = await api.request('PATCH', path, {
      body: [{ op: 'replace', path: '/scheduleParams/interval', value: 0 }],
      headers: { 'if-match': await etagOf(path) },
    });
    expect(response.status).toBe(400);
    expect(at(response.json, 'report.errors.0.path')).toBe('/scheduleParams/interval');
  });

  it('refuses unsupported patch operations and read-only fields', async () => {
    const path = `${flowservice}/flows/${ids.flow}`;
    const etag = await etagOf(path);
    const move = await api.request('PATCH', path, { body: [{ op: 'move', from: '/name', path: '/description' }], headers: { 'if-match': etag } });
    expect(str(move.json, 'type')).toMatch(/FLOW-1434-400$/);
    const readOnly = await api.request('PATCH', path, { body: [{ op: 'replace', path: '/id', value: 'x' }], headers: { 'if-match': etag } });
    expect(readOnly.status).toBe(400);
    const spec = await api.request('PATCH', `${flowservice}/connections/${ids.connection}`, {
      body: [{ op: 'replace', path: '/connectionSpec/id', value: 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3' }],
      headers: { 'if-match': await etagOf(`${flowservice}/connections/${ids.connection}`) },
    });
    expect(str(spec.json, 'type')).toMatch(/FLOW-1414-400$/);
  });

  it('re-validates and re-seals credentials patched on a connection', async () => {
    const path = `${flowservice}/connections/${ids.connection}`;
    const response = await api.request('PATCH', path, {
      body: [{ op: 'replace', path: '/auth/params/clientSecret', value: 'rotated-secret-value' }],
      headers: { 'if-match': await etagOf(path) },
    });
    expect(response.status).toBe(200);
    const fetched = await api.request('GET', path);
    expect(fetched.text).not.toContain('rotated-secret-value');
    const wrong = await api.request('PATCH', path, {
      body: [{ op: 'remove', path: '/auth/params/clientId' }],
      headers: { 'if-match': await etagOf(path) },
    });
    expect(wrong.status).toBe(400);
    expect(at(wrong.json, 'report.errors.0.path')).toBe('/auth/params/clientId');
  });

  it('keeps the stored secret when a client writes back the masked value it was shown', async () => {
    const path = `${flowservice}/connections/${ids.connection}`;
    const shown = (await api.request('GET', path)).json;
    const auth = at(shown, 'items.0.auth') as Record<string, unknown>;
    expect(at(auth, 'params.clientSecret')).toBe('********');
    const response = await api.request('PATCH', path, { body: [{ op: 'replace', path: '/auth', value: auth }], headers: { 'if-match': str(shown, 'items.0.etag') } });
    expect(response.status).toBe(200);
    const row = await api.store.db.selectFrom('resources').select('secret').where('id', '=', ids.connection).executeTakeFirstOrThrow();
    expect(api.openSecret(row.secret as string)).toMatchObject({ clientSecret: 'rotated-secret-value' });
  });

  it('refuses an empty patch', async () => {
    const path = `${flowservice}/flows/${ids.flow}`;
    const response = await api.request('PATCH', path, { body: [], headers: { 'if-match': await etagOf(path) } });
    expect(response.status).toBe(400);
  });

  it('disables and enables a flow', async () => {
    // aepp sends Content-Type: application/json with an empty body on actions.
    const action = (op: string) => api.request('POST', `${flowservice}/flows/${ids.flow}/action?op=${op}`, { headers: { 'content-type': 'application/json' } });
    expect((await action('disable')).status).toBe(200);
    expect(at((await api.request('GET', `${flowservice}/flows/${ids.flow}`)).json, 'items.0.state')).toBe('disabled');
    expect((await action('enable')).status).toBe(200);
    expect(at((await api.request('GET', `${flowservice}/flows/${ids.flow}`)).json, 'items.0.state')).toBe('enabled');
    expect((await action('explode')).status).toBe(400);
  });

  it('refuses to delete connections a flow uses, then deletes in order', async () => {
    const usedBy = [['connections', ids.connection, ids.source], ['sourceConnections', ids.source, ids.flow], ['targetConnections', ids.target, ids.flow]] as const;
    for (const [collection, id, user] of usedBy) {
      const refused = await api.request('DELETE', `${flowservice}/${collection}/${id}`);
      expect(refused.status).toBe(400);
      expect(str(refused.json, 'type')).toMatch(/FLOW-1418-400$/);
      expect(str(refused.json, 'detail')).toContain(user);
    }
    expect((await api.request('DELETE', `${flowservice}/flows/${ids.flow}`)).status).toBe(204);
    expect((await api.request('GET', `${flowservice}/flows/${ids.flow}`)).status).toBe(404);
    expect((await api.request('DELETE', `${flowservice}/sourceConnections/${ids.source}`)).status).toBe(204);
    expect((await api.request('DELETE', `${flowservice}/connections/${ids.connection}`)).status).toBe(204);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
