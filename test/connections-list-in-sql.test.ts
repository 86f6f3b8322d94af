import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowListResponse } from '../src/services/flowservice/flow-listing.js';
import { connectionKinds } from '../src/store/connection-index.js';
import { up as addConnectionIndex } from '../src/store/migrations/20261215T0100-connection-index.js';
import { down as dropInletColumn, up as addInletColumn } from '../src/store/migrations/20261216T0100-connection-inlet.js';
import { ConnectionsRepository } from '../src/services/flowservice/connections.repository.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { profileDataSet } from './support/catalog-fixture.js';
import { RowCounter } from './support/row-counter.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const flowservice = '/data/foundation/flowservice';
const backends = await availableBackends();

const specs = ['cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3', 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c'];
const bases = ['50000000-0000-4000-8000-00000000000a', '50000000-0000-4000-8000-00000000000b', '50000000-0000-4000-8000-00000000000c'];
const dataSets = ['6500000000000000000000aa', '6500000000000000000000bb'];

/** A source or target connection as the API stores one, with the fields the filters below read. */
function connectionRecord(kind: string, scope: Scope, index: number, createdAt: number, updatedAt: number) {
  const id = crypto.randomUUID();
  const etag = `"${crypto.randomUUID()}"`;
  const target = kind === connectionKinds.target;
  const body = {
    id,
    createdAt,
    updatedAt,
    createdBy: 'user',
    updatedBy: 'user',
    createdClient: 'client',
    updatedClient: 'client',
    sandboxId: scope.sandboxId,
    sandboxName: 'prod',
    imsOrgId: scope.orgId,
    name: `connection ${String(index % 11).padStart(2, '0')}`,
    description: '',
    baseConnectionId: bases[index % 3] as string,
    connectionSpec: { id: specs[index % 2] as string, version: '1.0' },
    state: index % 5 === 0 ? 'disabled' : 'enabled',
    data: { format: 'delimited' },
    params: target ? { dataSetId: dataSets[index % 2] as string } : { path: `folder/${index}.csv` },
    etag,
  };
  return { kind, id, body, secret: null, etag, createdAt, updatedAt };
}

describe.each(backends)('connection lists filtered, sorted and paged in SQL on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let scope: Scope;
  const stored: Record<string, Record<string, unknown>[]> = { sourceConnections: [], targetConnections: [] };
  const base = 1_700_000_000_000;

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const resources = new ResourcesRepository(api.store.db);
    for (const [path, kind] of [['sourceConnections', connectionKinds.source], ['targetConnections', connectionKinds.target]] as const) {
      for (let i = 0; i < 40; i += 1) {
        // Every pair shares a createdAt, so the order leans on the id to break ties.
        const createdAt = base + Math.floor(i / 2) * 1000;
        const record = connectionRecord(kind, scope, i, createdAt, createdAt + ((i * 37) % 11) * 500);
        await resources.insert(scope, record);
        stored[path]?.push(record.body);
      }
    }
  });
  afterAll(async () => api?.close());

  /** Every page the endpoint answers, following `_links.next.href`, beside the pages of the JS listing over every connection. */
  const pagesOf = async (path: string, query: string) => {
    const served: unknown[] = [];
    const expected: unknown[] = [];
    let href: string | undefined = `/${path}?${query}`;
    while (href !== undefined) {
      const response = await api.request('GET', `${flowservice}${href}`);
      expect(response.status, response.text).toBe(200);
      const json = response.json as { items?: { id: string }[]; _links?: unknown; count?: number };
      served.push(json.items ? { ids: json.items.map((i) => i.id), _links: json._links } : json);
      const params = new URL(href, 'http://x').searchParams;
      const token = params.get('continuationToken') ?? undefined;
      const limit = params.get('limit');
      const orderby = params.get('orderby') ?? undefined;
      const views = (stored[path] ?? []).map((b) => ({ ...b, version: b.etag }));
      const listed = flowListResponse(views, {
        ...(orderby !== undefined ? { orderby } : {}),
        ...(token !== undefined ? { continuationToken: token } : {}),
        ...(limit !== null ? { limit: Number(limit) } : {}),
        ...(params.getAll('property').length > 0 ? { property: params.getAll('property') } : {}),
        ...(params.get('count') === 'true' ? { count: true } : {}),
      }, `/${path}`) as { items?: { id: string }[]; _links?: unknown; count?: number };
      expected.push(listed.items ? { ids: listed.items.map((i) => i.id), _links: listed._links } : listed);
      href = at(response.json, '_links.next.href') as string | undefined;
      expect(served.length).toBeLessThan(100);
    }
    return { served, expected };
  };

  const since = base + 5_000;
  const inSql = [
    'limit=7',
    `property=baseConnectionId==${bases[1]}&limit=4`,
    `property=baseConnectionId==${bases[0]},${bases[2]}&orderby=createdAt&limit=6`,
    `property=connectionSpec.id==${specs[1]}&property=state==enabled&orderby=-updatedAt&limit=5`,
    'property=state!=enabled&orderby=-createdAt&limit=3',
    'property=name==connection 03,connection 07&orderby=updatedAt',
    `property=createdAt>=${since}&limit=5`,
    'orderby=-id&limit=13',
    'property=!name',
    `count=true&property=baseConnectionId==${bases[2]}`,
    'count=true',
  ];
  const fallingBack = ['property=data.format==delimited&limit=6', 'orderby=name&limit=17', 'property=name>connection 05&limit=10'];

  it.each(['sourceConnections', 'targetConnections'].flatMap((path) => [...inSql.map((q) => [path, q, 'in SQL'] as const), ...fallingBack.map((q) => [path, q, 'in JS'] as const)]))(
    'answers /%s?%s as the JS listing over every connection does, page by page (%s)',
    async (path, query, route) => {
      counter.reset();
      const first = await api.request('GET', `${flowservice}/${path}?${query}`);
      expect(first.status, first.text).toBe(200);
      const shown = query.startsWith('count=true') ? 0 : (at(first.json, 'items') as unknown[]).length;
      // In SQL a page reads its own bodies alone; the JS path reads every connection its indexed filters leave.
      if (route === 'in SQL') expect(counter.read('resources')).toBe(shown);
      else expect(counter.read('resources')).toBeGreaterThan(shown);
      const { served, expected } = await pagesOf(path, query);
      expect(served).toEqual(expected);
      if (!query.startsWith('count=true') && !query.includes('!name')) expect(JSON.stringify(served)).toMatch(/[0-9a-f]{8}-/);
    },
  );

  it('finds the target connections of a dataset from the index: a dataset in use cannot be deleted', async () => {
    const { dataSetId } = await profileDataSet(api, 'in use');
    const target = connectionRecord(connectionKinds.target, scope, 1, base, base);
    await new ResourcesRepository(api.store.db).insert(scope, { ...target, body: { ...target.body, params: { dataSetId } } });
    const refused = await api.request('DELETE', `/data/foundation/catalog/dataSets/${dataSetId}`);
    expect(refused.status, refused.text).toBe(400);
    expect(refused.text).toContain('CAT-1418-400');
    expect(refused.text).toContain(target.id);
    expect(await new ResourcesRepository(api.store.db).delete(connectionKinds.target, scope, target.id)).toBe(true);
    expect((await api.request('DELETE', `/data/foundation/catalog/dataSets/${dataSetId}`)).status).toBe(200);
  });

  it('lists a connection\'s new name once it is written, and forgets it once deleted or its sandbox is', async () => {
    const resources = new ResourcesRepository(api.store.db);
    const first = stored.sourceConnections?.[0] as Record<string, unknown> & { id: string; etag: string; createdAt: number };
    const changed = { ...first, name: 'renamed', updatedAt: base + 999_000, etag: '"next"' };
    expect(await resources.update(scope, { kind: connectionKinds.source, id: first.id, secret: null, createdAt: first.createdAt, body: changed, etag: '"next"', updatedAt: base + 999_000 }, first.etag)).toBe(true);
    const byName = await api.request('GET', `${flowservice}/sourceConnections?property=name==renamed`);
    expect((at(byName.json, 'items') as { id: string }[]).map((c) => c.id)).toEqual([first.id]);
    expect((await api.request('DELETE', `${flowservice}/sourceConnections/${first.id}`)).status).toBe(204);
    stored.sourceConnections?.shift();
    expect((await api.request('GET', `${flowservice}/sourceConnections?property=name==renamed&count=true`)).json).toEqual({ count: 0 });

    const sandboxes = '/data/foundation/sandbox-management/sandboxes';
    expect((await api.request('POST', sandboxes, { body: { name: 'dev-connections', title: 'Connections', type: 'development' } })).status).toBe(201);
    const dev: Scope = { orgId: scope.orgId, sandboxId: str((await api.request('GET', `${sandboxes}/dev-connections`)).json, 'id') };
    const elsewhere = connectionRecord(connectionKinds.source, dev, 1, base, base);
    await resources.insert(dev, elsewhere);
    const listed = await api.request('GET', `${flowservice}/sourceConnections?property=baseConnectionId==${bases[1]}`, { sandbox: 'dev-connections' });
    expect((at(listed.json, 'items') as { id: string }[]).map((c) => c.id)).toEqual([elsewhere.id]);
    expect(JSON.stringify((await api.request('GET', `${flowservice}/sourceConnections?limit=1000`)).json)).not.toContain(elsewhere.id);
    expect((await api.request('DELETE', `${sandboxes}/dev-connections`)).status).toBe(200);
    expect(await api.store.db.selectFrom('flow_service_connections').select('connection_id').where('sandbox_id', '=', dev.sandboxId).execute()).toEqual([]);
  });
});

describe.each(backends)('the connection index migration on $name', (backend) => {
  it('backfills one row per stored connection of the three kinds, from its body', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      await db.schema.dropTable('flow_service_connections').execute();
      const source = connectionRecord(connectionKinds.source, here, 1, 1000, 1500);
      const target = connectionRecord(connectionKinds.target, here, 2, 2000, 2600);
      const odd = { ...connectionRecord(connectionKinds.base, here, 3, 3000, 3000), body: { note: 'no fields', params: 'x' }, createdAt: 3100, updatedAt: 3200 };
      const raw = db as unknown as Kysely<{ resources: Record<string, unknown> }>;
      // Inserted as rows: the repository would write the index table, which does not exist yet.
      for (const record of [source, target, odd, { ...odd, kind: 'flowservice.flow', id: crypto.randomUUID() }]) {
        await raw.insertInto('resources').values({ kind: record.kind, id: record.id, org_id: here.orgId, sandbox_id: here.sandboxId, body: JSON.stringify(record.body), secret: null, etag: record.etag, created_at: record.createdAt, updated_at: record.updatedAt, unique_key: null }).execute();
      }

      await addConnectionIndex(db as unknown as Kysely<unknown>);

      const rows = await db.selectFrom('flow_service_connections').selectAll().orderBy('created_at').execute();
      const common = { org_id: here.orgId, sandbox_id: here.sandboxId };
      expect(rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at) }))).toEqual([
        { ...common, kind: connectionKinds.source, connection_id: source.id, name: 'connection 01', connection_spec_id: specs[1], base_connection_id: bases[1], state: 'enabled', data_set_id: null, created_at: 1000, updated_at: 1500 },
        { ...common, kind: connectionKinds.target, connection_id: target.id, name: 'connection 02', connection_spec_id: specs[0], base_connection_id: bases[2], state: 'enabled', data_set_id: dataSets[0], created_at: 2000, updated_at: 2600 },
        { ...common, kind: connectionKinds.base, connection_id: odd.id, name: null, connection_spec_id: null, base_connection_id: null, state: null, data_set_id: null, created_at: 3100, updated_at: 3200 },
      ]);
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});

describe.each(backends)('the inlet column of the connection index on $name', (backend) => {
  it('is backfilled from base connections\' inlet ids, and an inlet is found by it in whatever sandbox', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-b' };
      const inletId = crypto.randomBytes(32).toString('hex');
      const streaming = connectionRecord(connectionKinds.base, here, 1, 1000, 1000);
      const inlet = { ...streaming, body: { ...streaming.body, auth: { specName: 'Streaming Connection', params: { inletId, dataType: 'xdm' } } } };
      const plain = connectionRecord(connectionKinds.base, here, 2, 2000, 2000);
      const repo = new ResourcesRepository(db);
      for (const record of [inlet, plain]) await repo.insert(here, record);
      // Written with the connection by the index...
      const written = await db.selectFrom('flow_service_connections').select(['connection_id', 'inlet_id']).orderBy('created_at').execute();
      expect(written).toEqual([{ connection_id: inlet.id, inlet_id: inletId }, { connection_id: plain.id, inlet_id: null }]);

      // ...and, for connections stored before the column, by the migration.
      await dropInletColumn(db as unknown as Kysely<unknown>);
      await addInletColumn(db as unknown as Kysely<unknown>);
      const backfilled = await db.selectFrom('flow_service_connections').select(['connection_id', 'inlet_id']).orderBy('created_at').execute();
      expect(backfilled).toEqual(written);

      const connections = new ConnectionsRepository(db);
      const found = await connections.locateBase(inletId);
      expect(found?.scope).toEqual(here);
      expect(found?.connection.id).toBe(inlet.id);
      expect((await connections.locateBase(plain.id))?.connection.id).toBe(plain.id);
      expect(await connections.locateBase(crypto.randomBytes(32).toString('hex'))).toBeUndefined();
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});
