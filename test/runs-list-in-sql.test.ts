import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKind } from '../src/engine/run-document.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { flowListResponse } from '../src/services/flowservice/flow-listing.js';
import { up as addFlowRuns } from '../src/store/migrations/20261213T0900-flow-runs.js';
import type { Scope, StoredResource } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { RowCounter } from './support/row-counter.js';

const flowservice = '/data/foundation/flowservice';
const backends = await availableBackends();


const statuses = ['success', 'failed', 'inProgress'] as const;

/** A run record as the engine writes one, with the fields the filters below read. */
function runRecord(flowId: string | undefined, createdAt: number, updatedAt: number, status: string, output: number) {
  const id = crypto.randomUUID();
  const etag = `"${crypto.randomUUID()}"`;
  const body = {
    id,
    ...(flowId !== undefined ? { flowId } : {}),
    etag,
    createdAt,
    updatedAt,
    metrics: { recordSummary: { outputRecordCount: output }, statusSummary: { status, errors: [] } },
  };
  return { kind: runKind, id, body, secret: null, etag, createdAt, updatedAt: createdAt };
}

describe.each(backends)('GET /runs filtered, sorted and paged in SQL on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let scope: Scope;
  const flows = ['7a000000-0000-4000-8000-000000000001', '7b000000-0000-4000-8000-000000000002', '7c000000-0000-4000-8000-000000000003', '7d000000-0000-4000-8000-000000000004'];
  const bodies: object[] = [];
  const base = 1_700_000_000_000;

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const runs = new RunsRepository(api.store.db);
    for (let i = 0; i < 90; i += 1) {
      const status = statuses[i % 3] as string;
      // A flow has one unfinished run at most: each run in progress is of a flow of its own.
      const flowId = status === 'inProgress' ? `7f000000-0000-4000-8000-${String(i).padStart(12, '0')}` : (flows[i % flows.length] as string);
      // Every third pair of runs shares a createdAt, so the order leans on the id to break ties.
      const createdAt = base + Math.floor(i / 2) * 1000;
      const run = runRecord(flowId, createdAt, createdAt + ((i * 37) % 11) * 500, status, i % 5);
      await runs.insert(scope, flowId, run);
      bodies.push(run.body);
    }
    // A run whose body names no flow (`!flowId` finds it, as on the body).
    const orphan = runRecord(undefined, base + 5500, base + 5500, 'failed', 0);
    await runs.insert(scope, 'none', orphan);
    bodies.push(orphan.body);
  });
  afterAll(async () => api?.close());

  /** Every page the endpoint answers, following `_links.next.href`, beside the pages of the JS listing over every body. */
  const pagesOf = async (query: string) => {
    const served: unknown[] = [];
    const expected: unknown[] = [];
    let href: string | undefined = `/runs?${query}`;
    while (href !== undefined) {
      const response = await api.request('GET', `${flowservice}${href}`);
      expect(response.status, response.text).toBe(200);
      served.push(response.json);
      const params = new URL(href, 'http://x').searchParams;
      const token = params.get('continuationToken') ?? undefined;
      const limit = params.get('limit');
      const orderby = params.get('orderby') ?? undefined;
      expected.push(
        flowListResponse(bodies, {
          orderby: '-createdAt',
          ...(orderby !== undefined ? { orderby } : {}),
          ...(token !== undefined ? { continuationToken: token } : {}),
          ...(limit !== null ? { limit: Number(limit) } : {}),
          ...(params.getAll('property').length > 0 ? { property: params.getAll('property') } : {}),
          ...(params.get('count') === 'true' ? { count: true } : {}),
        }, '/runs'),
      );
      href = at(response.json, '_links.next.href') as string | undefined;
      expect(served.length).toBeLessThan(100);
    }
    return { served, expected };
  };

  const since = base + 20_000;
  const until = base + 35_000;
  const inSql = [
    'limit=7',
    `property=flowId==${flows[0]}&limit=4`,
    `property=flowId==${flows[0]},${flows[2]}&orderby=createdAt&limit=6`,
    `property=createdAt>=${since}&limit=5`,
    `property=createdAt<${until}&property=flowId!=${flows[1]}&orderby=+createdAt&limit=8`,
    `property=createdAt>${since},${until}&property=createdAt<=${until + 4000}`,
    'property=metrics.statusSummary.status==failed&orderby=-updatedAt&limit=6',
    'property=metrics.statusSummary.status!=success,failed&orderby=updatedAt&limit=9',
    'orderby=-id&limit=13',
    'orderby=updatedAt,-createdAt&limit=11',
    'property=!flowId',
    'property=flowId&limit=50',
    // RUN0 stands for the first run's id, known once the runs exist.
    'property=id==RUN0',
    'property=id!=RUN0&orderby=createdAt&limit=30',
    `property=updatedAt!=${base + 1000}&limit=40`,
    `count=true&property=flowId==${flows[3]}`,
    'count=true',
  ];
  // What the index cannot express: these take the JS path, over the runs the other filters leave.
  const fallingBack = [
    'property=metrics.recordSummary.outputRecordCount>2&limit=6',
    `property=flowId==${flows[1]}&property=metrics.recordSummary.outputRecordCount==0&orderby=createdAt&limit=3`,
    'orderby=flowId&limit=17',
    `property=flowId>${flows[1]}&limit=10`,
    'property=createdAt>=abc',
    `property=createdAt>=${since}.5&property=updatedAt<1e300&limit=20`,
    'property=flowId==a%00b&limit=5',
    'count=true&property=metrics.recordSummary.outputRecordCount<3',
  ];

  it.each([...inSql.map((q) => [q, 'in SQL'] as const), ...fallingBack.map((q) => [q, 'in JS'] as const)])('answers ?%s as the JS listing over every run does, page by page (%s)', async (template, path) => {
    const query = template.replaceAll('RUN0', (bodies[0] as { id: string }).id);
    counter.reset();
    const first = await api.request('GET', `${flowservice}/runs?${query}`);
    const shown = query.startsWith('count=true') ? 0 : (at(first.json, 'items') as unknown[]).length;
    // In SQL a page reads its own bodies alone; the JS path reads every run its indexed filters leave.
    if (path === 'in SQL') expect(counter.read('resources')).toBe(shown);
    else expect(counter.read('resources')).toBeGreaterThan(shown);
    const { served, expected } = await pagesOf(query);
    expect(served).toEqual(expected);
    // An answer with no run in it would compare nothing.
    if (!query.startsWith('count=true') && !query.includes('abc') && !query.includes('!flowId') && !query.includes('%00')) expect(JSON.stringify(served)).toContain('"flowId"');
  });

  it('pages through every run once, newest first, ties broken by id', async () => {
    const { served } = await pagesOf('limit=10');
    const ids = served.flatMap((page) => (at(page, 'items') as { id: string }[]).map((r) => r.id));
    expect(ids).toHaveLength(bodies.length);
    expect(new Set(ids).size).toBe(bodies.length);
    const sorted = [...(bodies as { id: string; createdAt: number }[])].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)).map((b) => b.id);
    expect(ids).toEqual(sorted);
  });

  it('reads the page\'s five bodies, not every run, and the JS path reads only what the indexed filters leave', async () => {
    counter.reset();
    const page = await api.request('GET', `${flowservice}/runs?property=flowId==${flows[0]}&property=createdAt>=${base}&limit=5`);
    expect(at(page.json, 'items') as unknown[]).toHaveLength(5);
    expect(counter.read('resources')).toBe(5);
    expect(counter.read('flow_runs')).toBe(6);

    counter.reset();
    const next = await api.request('GET', `${flowservice}${str(page.json, '_links.next.href')}`);
    expect(at(next.json, 'items') as unknown[]).toHaveLength(5);
    expect(counter.read('resources')).toBe(5);

    counter.reset();
    await api.request('GET', `${flowservice}/runs?property=flowId==${flows[0]}&property=metrics.recordSummary.outputRecordCount>0`);
    const ofFlow = bodies.filter((b) => (b as { flowId?: string }).flowId === flows[0]).length;
    expect(counter.read('resources')).toBe(ofFlow);
    expect(ofFlow).toBeLessThan(bodies.length);
  });

  it('lists a run\'s new status and time once its record is updated', async () => {
    const runs = new RunsRepository(api.store.db);
    const first = bodies[0] as { id: string; etag: string; createdAt: number; metrics: { statusSummary: { status: string } } };
    const changed = { ...first, updatedAt: base + 999_000, metrics: { ...first.metrics, statusSummary: { status: 'cancelled', errors: [] } } };
    expect(await runs.update(scope, { kind: runKind, id: first.id, body: changed, secret: null, etag: '"next"', createdAt: first.createdAt, updatedAt: base + 999_000 }, first.etag)).toBe(true);
    bodies[0] = changed;
    const listed = await api.request('GET', `${flowservice}/runs?property=metrics.statusSummary.status==cancelled`);
    expect((at(listed.json, 'items') as { id: string }[]).map((r) => r.id)).toEqual([first.id]);
    const newest = await api.request('GET', `${flowservice}/runs?orderby=-updatedAt&limit=1`);
    expect(str(newest.json, 'items.0.id')).toBe(first.id);
    // A stale etag changes neither the body nor its row.
    expect(await runs.update(scope, { kind: runKind, id: first.id, body: first, secret: null, etag: '"other"', createdAt: first.createdAt, updatedAt: 1 }, first.etag)).toBe(false);
    expect(str((await api.request('GET', `${flowservice}/runs?property=metrics.statusSummary.status==cancelled`)).json, 'items.0.id')).toBe(first.id);
  });

  it('keeps each sandbox\'s runs to itself, and forgets them with the sandbox', async () => {
    const sandboxes = '/data/foundation/sandbox-management/sandboxes';
    expect((await api.request('POST', sandboxes, { body: { name: 'dev-runs', title: 'Runs', type: 'development' } })).status).toBe(201);
    const dev: Scope = { orgId: scope.orgId, sandboxId: str((await api.request('GET', `${sandboxes}/dev-runs`)).json, 'id') };
    const run = runRecord(flows[0], base, base, 'success', 1);
    await new RunsRepository(api.store.db).insert(dev, flows[0] as string, run);
    const listed = await api.request('GET', `${flowservice}/runs?property=flowId==${flows[0]}`, { sandbox: 'dev-runs' });
    expect((at(listed.json, 'items') as { id: string }[]).map((r) => r.id)).toEqual([run.id]);
    expect(JSON.stringify((await api.request('GET', `${flowservice}/runs?limit=1000`)).json)).not.toContain(run.id);
    expect((await api.request('DELETE', `${sandboxes}/dev-runs`)).status).toBe(200);
    expect(await api.store.db.selectFrom('flow_runs').select('run_id').where('sandbox_id', '=', dev.sandboxId).execute()).toEqual([]);
  });

  // Last: it fails every unfinished run of the sandbox.
  it('recovers at start by reading the unfinished runs alone, found by their indexed status', async () => {
    const unfinished = bodies.filter((b) => (b as { metrics: { statusSummary: { status: string } } }).metrics.statusSummary.status === 'inProgress').length;
    expect(unfinished).toBeGreaterThan(0);
    expect(unfinished).toBeLessThan(bodies.length / 2);
    counter.reset();
    expect(await api.app.engine.recover(0, 'everyRun')).toBe(unfinished);
    expect(counter.read('resources')).toBe(unfinished);
    const left = await api.request('GET', `${flowservice}/runs?property=metrics.statusSummary.status==inProgress&count=true`);
    expect(left.json).toEqual({ count: 0 });
  });
});

describe.each(backends)('the flow_runs migration on $name', (backend) => {
  it('backfills one row per stored run from its body', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      const there: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-b' };
      // Written before the table existed: as an older server left them.
      await db.schema.dropTable('flow_runs').execute();
      const written = [
        { scope: here, run: runRecord('flow-1', 1000, 1500, 'success', 1) },
        { scope: here, run: runRecord('flow-2', 2000, 2600, 'failed', 0) },
        { scope: there, run: runRecord('flow-1', 3000, 3000, 'inProgress', 0) },
        { scope: here, run: { ...runRecord(undefined, 4000, 4000, 'x', 0), body: { note: 'no flow, no times' }, createdAt: 4100, updatedAt: 4200 } },
      ];
      // Raw rows: the store's run index would write the table this test dropped.
      const raw = (scope: Scope, record: StoredResource) =>
        db.insertInto('resources').values({ kind: record.kind, id: record.id, org_id: scope.orgId, sandbox_id: scope.sandboxId, body: JSON.stringify(record.body), secret: null, etag: record.etag, created_at: record.createdAt, updated_at: record.updatedAt, unique_key: null }).execute();
      for (const { scope, run } of written) await raw(scope, run);
      await raw(here, { kind: 'flowservice.flow', id: crypto.randomUUID(), body: { flowId: 'not a run' }, secret: null, etag: 'x', createdAt: 1, updatedAt: 1 });

      await addFlowRuns(db as unknown as Kysely<unknown>);

      const rows = await db.selectFrom('flow_runs').selectAll().orderBy('created_at').execute();
      expect(rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at) }))).toEqual([
        { org_id: here.orgId, sandbox_id: here.sandboxId, run_id: written[0]?.run.id, flow_id: 'flow-1', status: 'success', created_at: 1000, updated_at: 1500 },
        { org_id: here.orgId, sandbox_id: here.sandboxId, run_id: written[1]?.run.id, flow_id: 'flow-2', status: 'failed', created_at: 2000, updated_at: 2600 },
        { org_id: there.orgId, sandbox_id: there.sandboxId, run_id: written[2]?.run.id, flow_id: 'flow-1', status: 'inProgress', created_at: 3000, updated_at: 3000 },
        { org_id: here.orgId, sandbox_id: here.sandboxId, run_id: written[3]?.run.id, flow_id: null, status: null, created_at: 4100, updated_at: 4200 },
      ]);
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});

describe.each(backends)('GET /runs the index cannot express, over more runs than one stretch, on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  const created: { id: string; createdAt: number; output: number }[] = [];
  const total = 1_150;

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    const scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const runs = new RunsRepository(api.store.db);
    for (let i = 0; i < total; i += 1) {
      const createdAt = 1_700_000_000_000 + ((i * 7919) % total) * 1000;
      const run = runRecord('7a000000-0000-4000-8000-000000000001', createdAt, createdAt, 'success', i % 4);
      await runs.insert(scope, '7a000000-0000-4000-8000-000000000001', run);
      created.push({ id: run.id, createdAt, output: i % 4 });
    }
  }, 120_000);
  afterAll(async () => api?.close());

  it('pages a filter on an unindexed field through every match once, newest first, across the stretches it reads', async () => {
    const property = encodeURIComponent('metrics.recordSummary.outputRecordCount>1');
    const matching = created.filter((r) => r.output > 1).sort((a, b) => b.createdAt - a.createdAt);
    const listed: string[] = [];
    let href: string | undefined = `/runs?property=${property}&limit=250`;
    for (let pages = 0; href !== undefined; pages += 1) {
      expect(pages).toBeLessThan(10);
      counter.reset();
      const response = await api.request('GET', `${flowservice}${href}`);
      expect(response.status, response.text).toBe(200);
      // Every run is read (the filter is on the body), none twice: the stretches follow each other by id.
      expect(counter.read('resources')).toBe(total);
      listed.push(...(at(response.json, 'items') as { id: string }[]).map((run) => run.id));
      href = at(response.json, '_links.next.href') as string | undefined;
    }
    expect(listed).toEqual(matching.map((r) => r.id));
    const count = await api.request('GET', `${flowservice}/runs?property=${property}&count=true`);
    expect(count.json).toEqual({ count: matching.length });
  });
});
