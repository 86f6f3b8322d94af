import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { availableBackends } from './support/backends.js';
import { createFileFlow } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const flowservice = '/data/foundation/flowservice';

/** Copies of a flow: the same source, target and mapping under another name (runs of one base connection). */
async function copiesOf(api: TestApi, flowId: string, count: number): Promise<string[]> {
  const body = at((await api.request('GET', `${flowservice}/flows/${flowId}`)).json, 'items.0') as Record<string, unknown>;
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await api.request('POST', `${flowservice}/flows`, {
      body: { name: `${String(body.name)} ${i}`, flowSpec: body.flowSpec, sourceConnectionIds: body.sourceConnectionIds, targetConnectionIds: body.targetConnectionIds, transformations: body.transformations, scheduleParams: body.scheduleParams },
    });
    expect(created.status, created.text).toBe(201);
    ids.push(str(created.json, 'id'));
  }
  return ids;
}

describe.each(backends)('runs at once per connection, over every worker, on $name', (backend) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-limits-'));
  let api: TestApi;
  let second: Awaited<ReturnType<TestApi['secondServer']>> | undefined;

  beforeAll(async () => {
    const duck = await DuckDbSession.open({ tempDirectory: root });
    await duck.run(`COPY (SELECT 'P' || i AS Product_Id, 'Product ' || i AS Product_Name, 'd' AS Description, 'PHYSICAL' AS Type, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS updatedAt FROM range(150000) t(i)) TO '${path.join(root, 'p.csv')}' (HEADER)`);
    duck.close();
    // Two runs at once in each process, one at once per connection over all of them.
    api = await startApi(backend, { fileRoots: [root], runs: { concurrency: 2, limits: { perConnection: 1 } } });
    // With PostgreSQL a second process-like server takes runs from the same queue.
    if (backend.name === 'postgres') second = await api.secondServer();
  });
  afterAll(async () => {
    await second?.close();
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs the flows of one base connection one after another, though slots are free', { timeout: 120_000 }, async () => {
    const first = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'limited' });
    const flows = [first.flowId, ...(await copiesOf(api, first.flowId, 2))];
    const runIds: string[] = [];
    for (const flowId of flows) {
      const started = await api.request('POST', `${flowservice}/runs`, { body: { flowId } });
      expect(started.status, started.text).toBe(201);
      runIds.push(str(started.json, 'id'));
    }
    await api.app.engine.idle();
    const deadline = Date.now() + 90_000;
    const spans: { start: number; end: number }[] = [];
    for (const runId of runIds) {
      let run: unknown;
      do {
        run = (await api.request('GET', `${flowservice}/runs/${runId}`)).json;
        if (at(run, 'items.0.metrics.statusSummary.status') !== 'inProgress') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } while (Date.now() < deadline);
      expect(at(run, 'items.0.metrics.statusSummary.status')).toBe('success');
      spans.push({ start: Number(at(run, 'items.0.metrics.durationSummary.startedAtUTC')), end: Number(at(run, 'items.0.metrics.durationSummary.completedAtUTC')) });
    }
    spans.sort((a, b) => a.start - b.start);
    // Each run executed only once the one before it had finished.
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });
});
