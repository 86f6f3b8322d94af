import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKind } from '../src/engine/run-document.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { up as addFlowLastRuns } from '../src/store/migrations/20261211T0400-flow-last-runs.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';
import * as tutorial from './support/tutorial-requests.js';
import { RowCounter } from './support/row-counter.js';

const flowservice = '/data/foundation/flowservice';
const backends = await availableBackends();


interface LastRun {
  id: string;
  state: string;
  startedAtUTC: number;
  completedAtUTC?: number;
}

const statuses = ['success', 'failed', 'inProgress'] as const;

/** A run record with the fields a flow answer reads; the engine writes the same through `RunsRepository.insert`. */
function runRecord(flowId: string, createdAt: number, status: (typeof statuses)[number]) {
  const id = crypto.randomUUID();
  const etag = `"${crypto.randomUUID()}"`;
  const body = {
    id,
    flowId,
    etag,
    createdAt,
    metrics: {
      durationSummary: { startedAtUTC: createdAt, ...(status === 'inProgress' ? {} : { completedAtUTC: createdAt + 500 }) },
      statusSummary: { status, errors: [] },
    },
  };
  const last: LastRun = { id, state: status, startedAtUTC: createdAt, ...(status === 'inProgress' ? {} : { completedAtUTC: createdAt + 500 }) };
  return { record: { kind: runKind, id, body, secret: null, etag, createdAt, updatedAt: createdAt }, last };
}

describe.each(backends)('listing flows whose sandbox has many runs on $name', (backend) => {
  const flowCount = 30;
  const runsPerFlow = 20;
  const counter = new RowCounter();
  let api: TestApi;
  let ids: TutorialIds;
  let scope: Scope;
  const flowIds: string[] = [];
  const expectedLast = new Map<string, LastRun>();
  let runsRecorded = 0;
  /** The flow with no runs at all: its answer has no lastRunDetails. */
  let idle = '';

  /** Records `count` runs of every flow but the idle one, in an order where the newest is not the last written. */
  const recordRuns = async (count: number, since: number) => {
    const runs = new RunsRepository(api.store.db);
    for (const [index, flowId] of flowIds.entries()) {
      if (flowId === idle) continue;
      // A flow has one unfinished run at most, its newest; the older ones ended one way or the other.
      const statusOf = (r: number) => (r === count - 1 ? statuses[(index + r) % statuses.length] : statuses[(index + r) % 2]) ?? 'success';
      const made = Array.from({ length: count }, (_, r) => runRecord(flowId, since + r * 1000 + index, statusOf(r)));
      for (let step = 0; step < count; step += 1) {
        const run = made[(step * 7) % count];
        if (run) await runs.insert(scope, flowId, run.record);
      }
      const newest = made[count - 1];
      if (newest) expectedLast.set(flowId, newest.last);
      runsRecorded += count;
    }
  };
  const byId = (a: string, b: string) => a.localeCompare(b);
  const itemsOf = (json: unknown) => (at(json, 'items') as Record<string, unknown>[]) ?? [];

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    ids = await createTutorialObjects(api);
    flowIds.push(ids.flow);
    for (let i = 1; i < flowCount; i += 1) {
      const created = await api.request('POST', `${flowservice}/flows`, { body: { ...tutorial.flow(ids.source, ids.target, ids.mapping), name: `flow ${String(i).padStart(2, '0')}` } });
      if (created.status !== 201) throw new Error(`POST /flows answered ${created.status}: ${created.text}`);
      flowIds.push(str(created.json, 'id'));
    }
    const sandboxId = str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id');
    scope = { orgId: api.credentials.ims_org, sandboxId };
    idle = [...flowIds].sort(byId)[3] as string;
    await recordRuns(runsPerFlow, 1_700_000_000_000);
  });
  afterAll(async () => api?.close());

  it('answers GET /flows?limit=10 with the first ten flows by id, each with its newest run', async () => {
    const response = await api.request('GET', `${flowservice}/flows?limit=10`);
    expect(response.status, response.text).toBe(200);
    const items = itemsOf(response.json);
    expect(items.map((i) => i.id)).toEqual([...flowIds].sort(byId).slice(0, 10));
    for (const item of items) {
      const id = String(item.id);
      expect(item.lastRunDetails, `flow ${id}`).toEqual(expectedLast.get(id));
      expect(item.runs).toBe(`/runs?property=flowId==${id}`);
      expect(item.inheritedAttributes).toEqual({
        sourceConnections: [{ id: ids.source, connectionSpec: expect.objectContaining({ id: expect.any(String) }) as unknown, baseConnection: { id: ids.connection, connectionSpec: expect.objectContaining({ id: expect.any(String) }) as unknown } }],
        targetConnections: [{ id: ids.target, connectionSpec: expect.objectContaining({ id: expect.any(String) }) as unknown }],
      });
    }
    expect(items.find((i) => i.id === idle)).not.toHaveProperty('lastRunDetails');
  });

  it('lists a flow as GET /flows/{id} answers it, key for key', async () => {
    const listed = itemsOf((await api.request('GET', `${flowservice}/flows?limit=10`)).json);
    for (const item of listed.slice(0, 3)) {
      const one = await api.request('GET', `${flowservice}/flows/${String(item.id)}`);
      expect(JSON.stringify(itemsOf(one.json)[0])).toBe(JSON.stringify(item));
    }
  });

  it('follows continuation tokens through every flow, and counts them', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let href: string | undefined = '/flows?limit=10';
    for (let page = 0; href !== undefined && page < 10; page += 1) {
      const response = await api.request('GET', `${flowservice}${href}`);
      expect(response.status, response.text).toBe(200);
      const items = itemsOf(response.json);
      sizes.push(items.length);
      for (const item of items) {
        seen.push(String(item.id));
        expect(item.lastRunDetails).toEqual(expectedLast.get(String(item.id)));
      }
      href = at(response.json, '_links.next.href') as string | undefined;
    }
    expect(sizes).toEqual([10, 10, 10]);
    expect(seen).toEqual([...flowIds].sort(byId));
    expect((await api.request('GET', `${flowservice}/flows?count=true`)).json).toEqual({ count: flowCount });
    expect((await api.request('GET', `${flowservice}/flows?property=name==flow 01,flow 02&count=true`)).json).toEqual({ count: 2 });
  });

  it('still filters and sorts on what a flow derives from its runs', async () => {
    const failed = [...expectedLast].filter(([, last]) => last.state === 'failed');
    expect(failed.length).toBeGreaterThan(2);
    const newestFirst = failed.sort(([, a], [, b]) => b.startedAtUTC - a.startedAtUTC).map(([id]) => id);
    const first = await api.request('GET', `${flowservice}/flows?property=lastRunDetails.state==failed&orderby=-lastRunDetails.startedAtUTC&limit=2`);
    expect(itemsOf(first.json).map((i) => i.id)).toEqual(newestFirst.slice(0, 2));
    const second = await api.request('GET', `${flowservice}${str(first.json, '_links.next.href')}`);
    expect(itemsOf(second.json).map((i) => i.id)).toEqual(newestFirst.slice(2, 4));
    const count = await api.request('GET', `${flowservice}/flows?property=lastRunDetails.state==failed&count=true`);
    expect(count.json).toEqual({ count: failed.length });
    const neverRun = await api.request('GET', `${flowservice}/flows?property=!lastRunDetails`);
    expect(itemsOf(neverRun.json).map((i) => i.id)).toEqual([idle]);
  });

  it('reads the flows, ten last runs and the page\'s connections, however many runs the sandbox has', async () => {
    const readForOnePage = async () => {
      counter.reset();
      const response = await api.request('GET', `${flowservice}/flows?limit=10`);
      expect(response.status).toBe(200);
      return { resources: counter.read('resources'), lastRuns: counter.read('flow_last_runs'), index: counter.read('flows') };
    };
    const before = await readForOnePage();
    // The ten flows of the page and their last runs (one never ran), one source, target and base connection; the
    // page is found in the flows index (one row more says another page follows), not by reading every flow.
    expect(before.lastRuns).toBe(9);
    expect(before.resources).toBe(10 + 9 + 3);
    expect(before.index).toBe(11);
    expect(flowCount).toBeGreaterThan(11);
    expect(runsRecorded).toBe((flowCount - 1) * runsPerFlow);

    await recordRuns(15, 1_800_000_000_000);
    const after = await readForOnePage();
    expect(after).toEqual(before);
    const newest = itemsOf((await api.request('GET', `${flowservice}/flows?limit=10`)).json);
    for (const item of newest) expect(item.lastRunDetails).toEqual(expectedLast.get(String(item.id)));
  });

  it('forgets a deleted flow\'s last run, and lists one flow fewer', async () => {
    const gone = flowIds[flowIds.length - 1] as string;
    const etag = str((await api.request('GET', `${flowservice}/flows/${gone}`)).json, 'items.0.etag');
    expect(etag).not.toBe('');
    expect((await api.request('DELETE', `${flowservice}/flows/${gone}`)).status).toBe(204);
    expect((await new RunsRepository(api.store.db).lastRuns(scope, [gone])).size).toBe(0);
    flowIds.pop();
    expect((await api.request('GET', `${flowservice}/flows?count=true`)).json).toEqual({ count: flowCount - 1 });
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

describe.each(backends)('the flow_last_runs migration on $name', (backend) => {
  it('backfills each flow\'s newest run from the runs already stored (ties go to the smallest id)', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const resources = new ResourcesRepository(db);
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      const there: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-b' };
      const [older, tieHigh, tieLow] = ['c0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000000'];
      const stored = async (where: Scope, flowId: string, id: string, createdAt: number) => {
        const run = runRecord(flowId, createdAt, 'success').record;
        await resources.insert(where, { ...run, id, body: { ...run.body, id } });
      };
      // Written before the table existed: as an older server left them.
      await db.schema.dropTable('flow_last_runs').execute();
      await stored(here, 'flow-1', older, 1000);
      await stored(here, 'flow-1', tieHigh, 2000);
      await stored(here, 'flow-1', tieLow, 2000);
      await stored(there, 'flow-1', crypto.randomUUID(), 500);
      const second = crypto.randomUUID();
      await stored(here, 'flow-2', second, 3000);
      await resources.insert(here, { kind: runKind, id: crypto.randomUUID(), body: { note: 'no flow' }, secret: null, etag: 'x', createdAt: 9000, updatedAt: 9000 });

      // As the migrator runs it: against the untyped database.
      await addFlowLastRuns(db as unknown as Kysely<unknown>);

      const runs = new RunsRepository(db);
      const found = await runs.lastRuns(here, ['flow-1', 'flow-2', 'flow-3']);
      expect(new Map([...found].map(([flow, run]) => [flow, run.id]))).toEqual(new Map([['flow-1', tieLow], ['flow-2', second]]));
      expect((await runs.lastRuns(there, ['flow-1'])).size).toBe(1);
      // The engine's writes keep the order the backfill chose: an older run does not replace a newer one.
      await runs.insert(here, 'flow-2', { ...runRecord('flow-2', 2500, 'failed').record });
      expect((await runs.lastRuns(here, ['flow-2'])).get('flow-2')?.id).toBe(second);
      const newer = runRecord('flow-2', 3500, 'failed').record;
      await runs.insert(here, 'flow-2', newer);
      expect((await runs.lastRuns(here, ['flow-2'])).get('flow-2')?.id).toBe(newer.id);
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});
