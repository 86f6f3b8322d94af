/**
 * Flow listing benchmark: GET /flows?limit=10 in a sandbox with 73 flows and 1,000 runs, as the server answers it
 * now (stored rows paged first, the page built with one read per related kind and each flow's last run from
 * `flow_last_runs`), against the reference: the naive build the server did before, every flow built and every
 * run of the sandbox read for each, served by a second in-process server on the same store (without the gateway's
 * token check, which only favours the reference). Prints the median and p95 latency of both, then the ratio.
 *
 *   npm run bench:flows -- --flows 73 --runs 1000 --requests 40
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { emptyOutcome } from '../src/engine/run-outcome.js';
import { runDocument, runKind } from '../src/engine/run-document.js';
import type { RunPlan } from '../src/engine/run-plan.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { flowListResponse } from '../src/services/flowservice/flow-listing.js';
import { flowOnWire } from '../src/services/flowservice/flow-wire-form.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../src/store/resources.repository.js';
import { createTarget, idOf, startBenchServer } from './bench-server.js';

const flowCount = Number(argument('--flows') ?? 73);
const runCount = Number(argument('--runs') ?? 1000);
const requests = Number(argument('--requests') ?? 40);
for (const [name, value] of [['--flows', flowCount], ['--runs', runCount], ['--requests', requests]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const referenceRequests = Math.min(requests, 8);
const localFilesSpec = 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c';
const cloudStorageFlowSpec = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';

/** The reference: the flow list as the server built it before `flow_last_runs` (kept here alone). */
async function naiveFlowList(repo: ResourcesRepository, scope: Scope): Promise<object> {
  const flows = await repo.list('flowservice.flow', scope);
  const items = await Promise.all(flows.map(async (stored) => {
    const body = stored.body as Record<string, unknown>;
    const ids = (field: string) => (Array.isArray(body[field]) ? (body[field] as string[]) : []);
    const sources = (await Promise.all(ids('sourceConnectionIds').map((id) => repo.get('flowservice.sourceConnection', scope, id)))).filter((s): s is StoredResource => s !== undefined);
    const targets = (await Promise.all(ids('targetConnectionIds').map((id) => repo.get('flowservice.targetConnection', scope, id)))).filter((s): s is StoredResource => s !== undefined);
    const sourceConnections = await Promise.all(sources.map(async (s) => {
      const source = s.body as Record<string, unknown>;
      const base = typeof source.baseConnectionId === 'string' ? await repo.get('flowservice.connection', scope, source.baseConnectionId) : undefined;
      return { id: s.id, connectionSpec: source.connectionSpec, baseConnection: base ? { id: base.id, connectionSpec: (base.body as Record<string, unknown>).connectionSpec } : undefined };
    }));
    const runs = (await repo.list(runKind, scope)).filter((r) => (r.body as { flowId?: unknown }).flowId === stored.id);
    const last = runs.sort((a, b) => b.createdAt - a.createdAt)[0];
    const metrics = (last?.body as { metrics?: { durationSummary: Record<string, unknown>; statusSummary: { status: string } } } | undefined)?.metrics;
    return {
      ...flowOnWire(body),
      version: stored.etag,
      inheritedAttributes: { sourceConnections, targetConnections: targets.map((t) => ({ id: t.id, connectionSpec: (t.body as Record<string, unknown>).connectionSpec })) },
      runs: `/runs?property=flowId==${stored.id}`,
      ...(last && metrics ? { lastRunDetails: { id: last.id, state: metrics.statusSummary.status, startedAtUTC: metrics.durationSummary.startedAtUTC, completedAtUTC: metrics.durationSummary.completedAtUTC } } : {}),
    };
  }));
  return flowListResponse(items, { limit: 10 }, '/flows');
}

async function latencies(url: string, headers: Record<string, string>, count: number): Promise<{ median: number; p95: number; body: string }> {
  let body = '';
  const times: number[] = [];
  // The first two warm up (statement caches, JIT) and are not counted.
  for (let i = 0; i < count + 2; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers });
    body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
    if (i >= 2) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95), body };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-flow-list-bench-'));
  const files = path.join(work, 'files');
  fs.mkdirSync(files);
  const server = await startBenchServer(path.join(work, 'data'), { fileRoots: [files] });
  const reference = Fastify();
  try {
    const { post } = server;
    const connection = idOf(await post('/flowservice/connections', { name: 'files', auth: { specName: 'Local Directory', params: { rootPath: files } }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
    const source = idOf(await post('/flowservice/sourceConnections', { name: 'files', baseConnectionId: connection, data: { format: 'delimited' }, params: { path: 'input.csv' }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
    const { target, mapping } = await createTarget(server, 'item', { name: { type: 'string' } }, [['Id', '_id'], ['Name', '$tenant.item.name']]);
    const flowIds: string[] = [];
    for (let i = 0; i < flowCount; i += 1) {
      flowIds.push(idOf(await post('/flowservice/flows', {
        name: `flow ${i}`,
        flowSpec: { id: cloudStorageFlowSpec, version: '1.0' },
        sourceConnectionIds: [source],
        targetConnectionIds: [target],
        transformations: [{ name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } }],
        scheduleParams: { startTime: 1567411548, frequency: 'once' },
      })));
    }
    const sandbox = (await (await fetch(`${server.base}/data/foundation/sandbox-management/sandboxes/prod`, { headers: server.headers })).json()) as { id: string };
    const scope = { orgId: server.headers['x-gw-ims-org-id'] ?? '', sandboxId: sandbox.id };

    // Runs as the engine records them (its run document, finished), spread over the flows.
    const runs = new RunsRepository(server.db);
    const started = Date.now() - runCount * 60_000;
    for (let i = 0; i < runCount; i += 1) {
      const flowId = flowIds[i % flowIds.length] as string;
      const plan = { flowId, flowSpec: { id: cloudStorageFlowSpec, version: '1.0' }, scope: { ...scope, sandboxName: 'prod' }, actor: { clientId: 'bench', userId: 'bench' }, source: { connectionId: source }, target: { connectionId: target }, window: { start: null, end: started } } as unknown as RunPlan;
      const createdAt = started + i * 60_000;
      const runId = crypto.randomUUID();
      const etag = `"${crypto.randomUUID()}"`;
      const outcome = { ...emptyOutcome(createdAt, plan.window), status: i % 7 === 0 ? 'failed' as const : 'success' as const, completedAt: createdAt + 5_000, inputRecords: 1000, outputRecords: 1000 };
      await runs.insert(scope, flowId, { kind: runKind, id: runId, body: runDocument(plan, runId, etag, createdAt, outcome), secret: null, etag, createdAt, updatedAt: createdAt });
    }
    console.log(`input: ${flowCount} flows and ${runCount} runs in one sandbox; ${requests} sequential GET /flows?limit=10 (${referenceRequests} for the reference)`);

    const repo = new ResourcesRepository(server.db);
    reference.get('/flows', async () => naiveFlowList(repo, scope));
    await reference.listen({ port: 0, host: '127.0.0.1' });
    const address = reference.server.address();
    const referenceUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/flows`;

    const now = await latencies(`${server.base}/data/foundation/flowservice/flows?limit=10`, server.headers, requests);
    // The reference takes seconds a request at these sizes: a few of them tell its median.
    const before = await latencies(referenceUrl, {}, referenceRequests);
    // Both answer the same page: the benchmark compares two ways to the same bytes.
    const items = (body: string) => JSON.stringify((JSON.parse(body) as { items: unknown[] }).items);
    if (items(now.body) !== items(before.body)) throw new Error('the server and the reference answered different pages');
    const line = (name: string, figures: { median: number; p95: number }) => `${name.padEnd(10)} median ${figures.median.toFixed(1).padStart(8)} ms   p95 ${figures.p95.toFixed(1).padStart(8)} ms`;
    console.log(line('tributary', now));
    console.log(line('naive', before));
    console.log(`ratio naive/tributary (median): ${(before.median / now.median).toFixed(1)}`);
  } finally {
    await reference.close();
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
