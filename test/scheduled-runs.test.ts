import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFileFlow, lakeRows, type FileFlow } from './support/file-flow.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const header = 'Product_Id,Product_Name,Description,Type,updatedAt\n';
const minute = 60_000;
const hour = 60 * minute;
/** The schedules' start time: 2024-06-01T00:00:00Z. */
const t0 = Date.UTC(2024, 5, 1);

/** A delta-column value `ms` after t0, in the flow's `yyyy-MM-dd HH:mm:ss` UTC format. */
const stamp = (ms: number) => new Date(t0 + ms).toISOString().slice(0, 19).replace('T', ' ');
const row = (id: string, ms: number) => `${id},Product ${id},,PHYSICAL,${stamp(ms)}\n`;

describe.each(backends)('scheduled dataflow runs on $name', (backend) => {
  let api: TestApi;
  let root: string;
  let clock = t0 - 10 * minute;
  let flow: FileFlow;
  let disabled: FileFlow;
  const every15 = { startTime: t0 / 1000, frequency: 'minute', interval: 15 };

  const runsOf = async (flowId: string) => {
    const response = await api.request('GET', `/data/foundation/flowservice/runs?property=flowId==${flowId}&orderby=createdAt`);
    expect(response.status).toBe(200);
    return at(response.json, 'items') as unknown[];
  };
  const windowOf = (run: unknown) => ({
    start: at(run, 'activities.0.durationSummary.extensions.windowStart'),
    end: at(run, 'activities.0.durationSummary.extensions.windowEnd'),
  });
  const tickAt = async (time: number) => {
    clock = time;
    const report = await api.app.scheduler.tick();
    await api.app.engine.idle();
    return report;
  };

  beforeAll(async () => {
    api = await startApi(backend, { now: () => clock });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-schedule-'));
    fs.mkdirSync(path.join(root, 'sched'));
    // One row from long before the start (history), two that arrive within the first two hours.
    fs.writeFileSync(path.join(root, 'sched', 'p.csv'), `${header}${row('H1', -24 * hour)}${row('S1', 5 * minute)}${row('S2', hour)}`);
    flow = await createFileFlow(api, { root, path: 'sched/p.csv', format: 'delimited', title: 'every 15', scheduleParams: every15 });
    disabled = await createFileFlow(api, { root, path: 'sched/p.csv', format: 'delimited', title: 'disabled', scheduleParams: every15 });
    const disable = await api.request('POST', `/data/foundation/flowservice/flows/${disabled.flowId}/action?op=disable`);
    expect(disable.status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts nothing before the start time', async () => {
    const report = await tickAt(t0 - minute);
    expect(report.started).toEqual([]);
    expect(report.nextTickAt).toBe(t0);
    expect(await runsOf(flow.flowId)).toEqual([]);
  });

  it('runs once at a grid tick, over all history (backfill), up to the tick', async () => {
    const report = await tickAt(t0);
    expect(report.started.map((s) => s.flowId)).toEqual([flow.flowId]);
    const runs = await runsOf(flow.flowId);
    expect(runs).toHaveLength(1);
    expect(windowOf(runs[0])).toEqual({ start: 0, end: t0 });
    expect(at(runs[0], 'metrics.statusSummary.status')).toBe('success');
    expect((await lakeRows(api, flow.dataSetId, '_id')).map((r) => r._id)).toEqual(['H1']);
  });

  it('does not run the same tick twice', async () => {
    expect((await tickAt(t0)).started).toEqual([]);
    expect((await tickAt(t0 + 14 * minute)).started).toEqual([]);
    expect(await runsOf(flow.flowId)).toHaveLength(1);
  });

  it('after two hours of downtime, catches up with exactly one run ending at the last tick', async () => {
    const report = await tickAt(t0 + 2 * hour + 3 * minute);
    expect(report.started).toHaveLength(1);
    expect(report.nextTickAt).toBe(t0 + 2 * hour + 15 * minute);
    const runs = await runsOf(flow.flowId);
    expect(runs).toHaveLength(2);
    expect(windowOf(runs[1])).toEqual({ start: t0, end: t0 + 2 * hour });
    expect(at(runs[1], 'metrics.recordSummary.outputRecordCount')).toBe(2);
    expect((await tickAt(t0 + 2 * hour + 3 * minute)).started).toEqual([]);
    expect(await runsOf(flow.flowId)).toHaveLength(2);
  });

  it('never runs a disabled flow', async () => {
    expect(await runsOf(disabled.flowId)).toEqual([]);
    expect(await lakeRows(api, disabled.dataSetId)).toEqual([]);
  });

  it('continues after a restart without re-running or skipping a window', async () => {
    await api.restart();
    expect((await tickAt(t0 + 2 * hour + 5 * minute)).started).toEqual([]);
    fs.appendFileSync(path.join(root, 'sched', 'p.csv'), row('S3', 2 * hour + 10 * minute));
    expect((await tickAt(t0 + 2 * hour + 15 * minute)).started).toHaveLength(1);
    const runs = await runsOf(flow.flowId);
    expect(runs.map(windowOf)).toEqual([
      { start: 0, end: t0 },
      { start: t0, end: t0 + 2 * hour },
      { start: t0 + 2 * hour, end: t0 + 2 * hour + 15 * minute },
    ]);
  });

  it('lands every row in the lake exactly once', async () => {
    expect((await lakeRows(api, flow.dataSetId, '_id')).map((r) => r._id)).toEqual(['H1', 'S1', 'S2', 'S3']);
  });

  it('does not move past a failed window: the next run covers it again', async () => {
    const broken = await createFileFlow(api, { root, path: 'later/p.csv', format: 'delimited', title: 'late source', scheduleParams: { ...every15, backfill: false } });
    await tickAt(t0 + 2 * hour + 30 * minute);
    const [failed] = await runsOf(broken.flowId);
    expect(at(failed, 'metrics.statusSummary.status')).toBe('failed');
    expect(windowOf(failed)).toEqual({ start: t0, end: t0 + 2 * hour + 30 * minute });

    fs.mkdirSync(path.join(root, 'later'));
    fs.writeFileSync(path.join(root, 'later', 'p.csv'), `${header}${row('L0', -hour)}${row('L1', 20 * minute)}${row('L2', 2 * hour + 40 * minute)}`);
    await tickAt(t0 + 2 * hour + 45 * minute);
    const runs = await runsOf(broken.flowId);
    expect(runs).toHaveLength(2);
    expect(windowOf(runs[1])).toEqual({ start: t0, end: t0 + 2 * hour + 45 * minute });
    // Without backfill, rows from before the start time stay out.
    expect((await lakeRows(api, broken.dataSetId, '_id')).map((r) => r._id)).toEqual(['L1', 'L2']);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
