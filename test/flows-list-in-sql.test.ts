import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowListResponse } from '../src/services/flowservice/flow-listing.js';
import { flowKind } from '../src/services/flowservice/flows-using.js';
import { up as addFlowIndex } from '../src/store/migrations/20261214T0100-flow-index.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { RowCounter } from './support/row-counter.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const flowservice = '/data/foundation/flowservice';
const backends = await availableBackends();

const specs = ['9753525b-82c7-4dce-8a9b-5ccfce2b9876', 'c1a19761-d2c7-4702-b9fa-fe91f0613e81'];
const sources = ['50000000-0000-4000-8000-00000000000a', '50000000-0000-4000-8000-00000000000b', '50000000-0000-4000-8000-00000000000c'];
const targets = ['60000000-0000-4000-8000-00000000000a', '60000000-0000-4000-8000-00000000000b'];

/**
 * A flow as `POST /flows` stores one, with the fields the filters below read. Its connections do not exist, so
 * its answer reads nothing but its own body (its `inheritedAttributes` lists none).
 */
function flowRecord(scope: Scope, index: number, createdAt: number, updatedAt: number) {
  const id = crypto.randomUUID();
  const etag = `"${crypto.randomUUID()}"`;
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
    name: `flow ${String(index % 13).padStart(2, '0')}`,
    description: '',
    flowSpec: { id: specs[index % 2] as string, version: '1.0' },
    state: index % 4 === 0 ? 'disabled' : 'enabled',
    // One, two or three sources, so a filter on them means "any of them".
    sourceConnectionIds: sources.slice(index % 3, (index % 3) + 1 + (index % 2)),
    targetConnectionIds: [targets[index % 2] as string],
    transformations: [{ name: 'Mapping', params: { mappingId: `m${index % 5}`, mappingVersion: 0 } }],
    scheduleParams: { startTime: 1_700_000_000, frequency: 'once' },
    etag,
  };
  return { kind: flowKind, id, body, secret: null, etag, createdAt, updatedAt };
}

describe.each(backends)('GET /flows filtered, sorted and paged in SQL on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let scope: Scope;
  const bodies: Record<string, unknown>[] = [];
  const base = 1_700_000_000_000;

  /** Each flow as the JS listing reads it: its stored body, with `version`. */
  const views = () => bodies.map((b) => ({ ...b, version: b.etag }));

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const resources = new ResourcesRepository(api.store.db);
    for (let i = 0; i < 70; i += 1) {
      // Every pair of flows shares a createdAt, so the order leans on the id to break ties.
      const createdAt = base + Math.floor(i / 2) * 1000;
      const flow = flowRecord(scope, i, createdAt, createdAt + ((i * 37) % 11) * 500);
      await resources.insert(scope, flow);
      bodies.push(flow.body);
    }
  });
  afterAll(async () => api?.close());

  /** Every page the endpoint answers, following `_links.next.href`, beside the pages of the JS listing over every flow. */
  const pagesOf = async (query: string) => {
    const served: unknown[] = [];
    const expected: unknown[] = [];
    let href: string | undefined = `/flows?${query}`;
    while (href !== undefined) {
      const response = await api.request('GET', `${flowservice}${href}`);
      expect(response.status, response.text).toBe(200);
      const json = response.json as { items?: { id: string }[]; _links?: unknown; count?: number };
      served.push(json.items ? { ids: json.items.map((i) => i.id), _links: json._links } : json);
      const params = new URL(href, 'http://x').searchParams;
      const token = params.get('continuationToken') ?? undefined;
      const limit = params.get('limit');
      const orderby = params.get('orderby') ?? undefined;
      const listed = flowListResponse(views(), {
        ...(orderby !== undefined ? { orderby } : {}),
        ...(token !== undefined ? { continuationToken: token } : {}),
        ...(limit !== null ? { limit: Number(limit) } : {}),
        ...(params.getAll('property').length > 0 ? { property: params.getAll('property') } : {}),
        ...(params.get('count') === 'true' ? { count: true } : {}),
      }, '/flows') as { items?: { id: string }[]; _links?: unknown; count?: number };
      expected.push(listed.items ? { ids: listed.items.map((i) => i.id), _links: listed._links } : listed);
      href = at(response.json, '_links.next.href') as string | undefined;
      expect(served.length).toBeLessThan(100);
    }
    return { served, expected };
  };

  const since = base + 10_000;
  const until = base + 25_000;
  const inSql = [
    'limit=7',
    `property=sourceConnectionIds==${sources[1]}&limit=4`,
    `property=sourceConnectionIds==${sources[0]},${sources[2]}&orderby=createdAt&limit=6`,
    `property=sourceConnectionIds[]!=${sources[1]}&limit=9`,
    `property=targetConnectionIds==${targets[0]}&property=state==enabled&orderby=-updatedAt&limit=5`,
    `property=flowSpec.id==${specs[1]}&limit=8`,
    'property=state==disabled',
    'property=state!=enabled&orderby=-createdAt&limit=3',
    'property=name==flow 03,flow 07&orderby=updatedAt',
    'property=name!=flow 01&limit=25',
    `property=createdAt>=${since}&limit=5`,
    `property=createdAt<${until}&property=flowSpec.id!=${specs[0]}&orderby=+createdAt&limit=8`,
    `property=createdAt>${since},${until}&property=createdAt<=${until + 4000}`,
    'orderby=-id&limit=13',
    'orderby=updatedAt,-createdAt&limit=11',
    'property=sourceConnectionIds&limit=30',
    'property=!targetConnectionIds',
    'property=!name',
    // FLOW0 stands for the first flow's id, known once the flows exist.
    'property=id==FLOW0',
    'property=id!=FLOW0&orderby=createdAt&limit=30',
    `count=true&property=sourceConnectionIds==${sources[2]}`,
    'count=true&property=state==enabled',
    'count=true',
  ];
  // What the index cannot express: these take the JS path, over the flows the other filters leave.
  const fallingBack = [
    'property=transformations.params.mappingId==m2&limit=6',
    `property=state==enabled&property=transformations.params.mappingId==m1,m3&orderby=createdAt&limit=3`,
    'orderby=name&limit=17',
    'property=name>flow 05&limit=10',
    'property=createdAt>=abc',
    `property=createdAt>=${since}.5&property=updatedAt<1e300&limit=20`,
    'property=name==a%00b&limit=5',
    'property=lastRunDetails.state==failed',
    'count=true&property=transformations.name==Mapping&property=state==disabled',
  ];

  it.each([...inSql.map((q) => [q, 'in SQL'] as const), ...fallingBack.map((q) => [q, 'in JS'] as const)])('answers ?%s as the JS listing over every flow does, page by page (%s)', async (template, path) => {
    const query = template.replaceAll('FLOW0', String(bodies[0]?.id));
    counter.reset();
    const first = await api.request('GET', `${flowservice}/flows?${query}`);
    expect(first.status, first.text).toBe(200);
    const shown = query.startsWith('count=true') ? 0 : (at(first.json, 'items') as unknown[]).length;
    // In SQL a page reads its own bodies alone; the JS path reads every flow its indexed filters leave.
    if (path === 'in SQL') expect(counter.read('resources')).toBe(shown);
    else expect(counter.read('resources')).toBeGreaterThan(shown);
    const { served, expected } = await pagesOf(query);
    expect(served).toEqual(expected);
    // An answer with no flow in it would compare nothing.
    const empty = query.includes('abc') || query.includes('%00') || query.includes('!targetConnectionIds') || query.includes('!name') || query.includes('lastRunDetails');
    if (!query.startsWith('count=true') && !empty) expect(JSON.stringify(served)).toMatch(/[0-9a-f]{8}-/);
  });

  it('pages through every flow once, by id', async () => {
    const { served } = await pagesOf('limit=10');
    const ids = served.flatMap((page) => (page as { ids: string[] }).ids);
    expect(ids).toEqual(bodies.map((b) => String(b.id)).sort((a, b) => a.localeCompare(b)));
  });

  it('reads the page\'s ten bodies, not every flow, and the JS path reads only what the indexed filters leave', async () => {
    counter.reset();
    const page = await api.request('GET', `${flowservice}/flows?property=targetConnectionIds==${targets[1]}&property=createdAt>=${base}&limit=10`);
    expect(at(page.json, 'items') as unknown[]).toHaveLength(10);
    expect(counter.read('resources')).toBe(10);
    expect(counter.read('flows')).toBe(11);

    counter.reset();
    const next = await api.request('GET', `${flowservice}${str(page.json, '_links.next.href')}`);
    expect(at(next.json, 'items') as unknown[]).toHaveLength(10);
    expect(counter.read('resources')).toBe(10);

    counter.reset();
    await api.request('GET', `${flowservice}/flows?property=targetConnectionIds==${targets[1]}&property=transformations.params.mappingId==m1`);
    const ofTarget = bodies.filter((b) => (b.targetConnectionIds as string[]).includes(targets[1] as string)).length;
    expect(counter.read('resources')).toBe(ofTarget);
    expect(ofTarget).toBeLessThan(bodies.length);
  });

  it('lists a flow\'s new state, name and connections once it is written, and forgets it once deleted', async () => {
    const resources = new ResourcesRepository(api.store.db);
    const first = bodies[0] as Record<string, unknown> & { id: string; etag: string; createdAt: number };
    const changed = { ...first, state: 'disabled', name: 'renamed', sourceConnectionIds: ['70000000-0000-4000-8000-000000000000'], updatedAt: base + 999_000, etag: '"next"' };
    const stored = { kind: flowKind, id: first.id, secret: null, createdAt: first.createdAt };
    expect(await resources.update(scope, { ...stored, body: changed, etag: '"next"', updatedAt: base + 999_000 }, first.etag)).toBe(true);
    bodies[0] = changed;
    const byName = await api.request('GET', `${flowservice}/flows?property=name==renamed`);
    expect((at(byName.json, 'items') as { id: string }[]).map((f) => f.id)).toEqual([first.id]);
    const bySource = await api.request('GET', `${flowservice}/flows?property=sourceConnectionIds==70000000-0000-4000-8000-000000000000&property=state==disabled`);
    expect((at(bySource.json, 'items') as { id: string }[]).map((f) => f.id)).toEqual([first.id]);
    const newest = await api.request('GET', `${flowservice}/flows?orderby=-updatedAt&limit=1`);
    expect(str(newest.json, 'items.0.id')).toBe(first.id);
    // A stale etag changes neither the body nor its rows.
    expect(await resources.update(scope, { ...stored, body: { ...changed, name: 'stale' }, etag: '"other"', updatedAt: 1 }, first.etag)).toBe(false);
    expect((await api.request('GET', `${flowservice}/flows?property=name==stale&count=true`)).json).toEqual({ count: 0 });

    // Through the API: the action, and DELETE.
    const enabled = await api.request('POST', `${flowservice}/flows/${first.id}/action?op=enable`);
    expect(enabled.status, enabled.text).toBe(200);
    expect(str((await api.request('GET', `${flowservice}/flows?property=name==renamed`)).json, 'items.0.state')).toBe('enabled');
    expect((await api.request('DELETE', `${flowservice}/flows/${first.id}`)).status).toBe(204);
    bodies.shift();
    expect((await api.request('GET', `${flowservice}/flows?property=name==renamed&count=true`)).json).toEqual({ count: 0 });
    expect(await api.store.db.selectFrom('flow_connections').select('connection_id').where('flow_id', '=', first.id).execute()).toEqual([]);
    expect((await api.request('GET', `${flowservice}/flows?count=true`)).json).toEqual({ count: bodies.length });
  });

  it('keeps each sandbox\'s flows to itself, and forgets them with the sandbox', async () => {
    const sandboxes = '/data/foundation/sandbox-management/sandboxes';
    expect((await api.request('POST', sandboxes, { body: { name: 'dev-flows', title: 'Flows', type: 'development' } })).status).toBe(201);
    const dev: Scope = { orgId: scope.orgId, sandboxId: str((await api.request('GET', `${sandboxes}/dev-flows`)).json, 'id') };
    const flow = flowRecord(dev, 1, base, base);
    await new ResourcesRepository(api.store.db).insert(dev, flow);
    const listed = await api.request('GET', `${flowservice}/flows?property=sourceConnectionIds==${sources[1]}`, { sandbox: 'dev-flows' });
    expect((at(listed.json, 'items') as { id: string }[]).map((f) => f.id)).toEqual([flow.id]);
    expect(JSON.stringify((await api.request('GET', `${flowservice}/flows?limit=1000`)).json)).not.toContain(flow.id);
    expect((await api.request('DELETE', `${sandboxes}/dev-flows`)).status).toBe(200);
    expect(await api.store.db.selectFrom('flows').select('flow_id').where('sandbox_id', '=', dev.sandboxId).execute()).toEqual([]);
    expect(await api.store.db.selectFrom('flow_connections').select('flow_id').where('sandbox_id', '=', dev.sandboxId).execute()).toEqual([]);
  });
});

describe.each(backends)('the flow index migration on $name', (backend) => {
  it('backfills one row per stored flow and one per connection id, from its body', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const resources = new ResourcesRepository(db);
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      const there: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-b' };
      // Written before the tables existed: as an older server left them.
      await db.schema.dropTable('flow_connections').execute();
      await db.schema.dropTable('flows').execute();
      const written = [
        { scope: here, flow: flowRecord(here, 1, 1000, 1500) },
        { scope: there, flow: flowRecord(there, 2, 2000, 2600) },
        { scope: here, flow: { ...flowRecord(here, 3, 3000, 3000), body: { note: 'no fields', sourceConnectionIds: ['s', 's', 7] }, createdAt: 3100, updatedAt: 3200 } },
      ];
      const raw = db as unknown as Kysely<{ resources: Record<string, unknown> }>;
      // Inserted as rows: the repository would write the index tables, which do not exist yet.
      for (const { scope, flow } of written) {
        await raw.insertInto('resources').values({ kind: flow.kind, id: flow.id, org_id: scope.orgId, sandbox_id: scope.sandboxId, body: JSON.stringify(flow.body), secret: null, etag: flow.etag, created_at: flow.createdAt, updated_at: flow.updatedAt, unique_key: null }).execute();
      }
      await resources.insert(here, { kind: 'flowservice.run', id: crypto.randomUUID(), body: { name: 'not a flow' }, secret: null, etag: 'x', createdAt: 1, updatedAt: 1 });

      await addFlowIndex(db as unknown as Kysely<unknown>);

      const rows = await db.selectFrom('flows').selectAll().orderBy('created_at').execute();
      const [one, two, three] = written.map((w) => w.flow);
      expect(rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at) }))).toEqual([
        { org_id: here.orgId, sandbox_id: here.sandboxId, flow_id: one?.id, name: 'flow 01', flow_spec_id: specs[1], state: 'enabled', created_at: 1000, updated_at: 1500 },
        { org_id: there.orgId, sandbox_id: there.sandboxId, flow_id: two?.id, name: 'flow 02', flow_spec_id: specs[0], state: 'enabled', created_at: 2000, updated_at: 2600 },
        { org_id: here.orgId, sandbox_id: here.sandboxId, flow_id: three?.id, name: null, flow_spec_id: null, state: null, created_at: 3100, updated_at: 3200 },
      ]);
      const connections = await db.selectFrom('flow_connections').select(['flow_id', 'direction', 'connection_id']).orderBy('flow_id').orderBy('direction').orderBy('connection_id').execute();
      const expected = [
        ...(one?.body.sourceConnectionIds ?? []).map((c) => ({ flow_id: one?.id, direction: 'source', connection_id: c })),
        { flow_id: one?.id, direction: 'target', connection_id: targets[1] },
        ...(two?.body.sourceConnectionIds ?? []).map((c) => ({ flow_id: two?.id, direction: 'source', connection_id: c })),
        { flow_id: two?.id, direction: 'target', connection_id: targets[0] },
        { flow_id: three?.id, direction: 'source', connection_id: 's' },
      ];
      const key = (r: { flow_id?: string | undefined; direction: string; connection_id?: unknown }) => `${r.flow_id ?? ''} ${r.direction} ${String(r.connection_id)}`;
      expect(connections.map(key).sort()).toEqual(expected.map(key).sort());
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});
