import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';

const backends = await availableBackends();

describe.each(backends)('state across restarts on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
    await api.restart();
  });
  afterAll(async () => api?.close());

  it('still has every object of the tutorial, and the same tokens work', async () => {
    const flow = await api.request('GET', `/data/foundation/flowservice/flows/${ids.flow}`);
    expect(flow.status).toBe(200);
    expect(at(flow.json, 'items.0.inheritedAttributes.sourceConnections.0.baseConnection.id')).toBe(ids.connection);
    const schema = await api.request('GET', `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(ids.schema)}`, {
      headers: { accept: 'application/vnd.adobe.xed-full+json; version=1' },
    });
    expect(schema.status).toBe(200);
    const mapping = await api.request('GET', `/data/foundation/conversion/mappingSets/${ids.mapping}`);
    expect(at(mapping.json, 'xdmSchema')).toBe(ids.schema);
  });

  it('can still open the sealed credentials (PATCH re-validates them)', async () => {
    const path = `/data/foundation/flowservice/connections/${ids.connection}`;
    const etag = at((await api.request('GET', path)).json, 'items.0.etag') as string;
    const response = await api.request('PATCH', path, { body: [{ op: 'replace', path: '/name', value: 'renamed after restart' }], headers: { 'if-match': etag } });
    expect(response.status).toBe(200);
  });

  it('keeps secrets out of the stored rows in clear text', async () => {
    const rows = await api.store.db.selectFrom('resources').select(['body', 'secret']).execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain('paypal-client-secret-value');
    expect(rows.some((r) => r.secret !== null && r.secret.startsWith('v2.'))).toBe(true);
  });
});
