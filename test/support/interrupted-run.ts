import { emptyOutcome } from '../../src/engine/run-outcome.js';
import { runDocument, runKind } from '../../src/engine/run-document.js';
import { runLeaseKind } from '../../src/engine/run-leases.js';
import type { RunPlan } from '../../src/engine/run-plan.js';
import { RunsRepository } from '../../src/engine/runs.repository.js';
import { ResourcesRepository } from '../../src/store/resources.repository.js';
import type { TestApi } from './test-api.js';

/**
 * Leaves in the store what a process that stopped in the middle of a run of `flowId` leaves: the run's record, in
 * progress, and, unless `lease` is false, its lease naming a holder on another host that has been silent for
 * decades. A store restored from a backup has such runs without their leases.
 */
export async function leaveInterruptedRun(api: TestApi, flowId: string, runId: string, options: { lease?: boolean } = {}): Promise<void> {
  const sandbox = (await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json as { id: string };
  const scope = { orgId: api.credentials.ims_org, sandboxId: sandbox.id };
  // Only the parts of a plan a run's record shows.
  const plan = {
    flowId,
    flowSpec: { id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876', version: '1.0' },
    scope: { ...scope, sandboxName: 'prod' },
    actor: { clientId: api.credentials.client_id, userId: api.credentials.client_id },
    source: {},
    target: {},
    window: { start: null, end: 1 },
  } as unknown as RunPlan;
  const body = runDocument(plan, runId, '"interrupted"', 1, emptyOutcome(1, plan.window));
  await new RunsRepository(api.store.db).insert(scope, flowId, { kind: runKind, id: runId, body, secret: null, etag: '"interrupted"', createdAt: 1, updatedAt: 1 });
  if (options.lease === false) return;
  await new ResourcesRepository(api.store.db).insert(scope, { kind: runLeaseKind, id: runId, body: { owner: 'a-stopped-host:4242:x', heartbeatAt: 1 }, secret: null, etag: '0', createdAt: 1, updatedAt: 1 });
}

/**
 * Waits until a store plugin has refused a run's write (`refused` counts them) and no run is executing in `api`:
 * the attempt has ended on the refusal, whatever the queue does with the run next.
 */
export async function attemptRefused(api: TestApi, plugin: { refused: number }, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (plugin.refused === 0 || api.app.engine.runCounts().inProgress > 0) {
    if (Date.now() > deadline) throw new Error(`no refused attempt ended within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
