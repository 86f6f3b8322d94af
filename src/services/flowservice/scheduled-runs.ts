import type { Kysely } from 'kysely';
import type { RunWindow, Schedule } from '../../engine/schedule-grid.js';
import type { ScheduledFlow, SchedulerDeps } from '../../engine/scheduler.js';
import type { QueuedRun } from '../../engine/queue/run-queue.js';
import type { RunPlan } from '../../engine/run-plan.js';
import type { FileRoots } from '../../connectors/local-files/file-roots.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { OrgsRepository } from '../ims/orgs.repository.js';
import { SandboxesRepository } from '../sandbox/sandboxes.repository.js';
import { ConnectionsRepository } from './connections.repository.js';
import { FlowsRepository } from './flows.repository.js';
import { buildRunPlan } from './run-plans.js';

/**
 * The Flow Service's side of the scheduler: which flows have schedules, and the plan of a scheduled run, built
 * as an on-demand run is, under the identity of whoever created the flow.
 */
export function scheduledRuns(deps: { db: Kysely<Database>; secretBox: SecretBox; fileRoots: FileRoots }): Pick<SchedulerDeps, 'listFlows' | 'planRun'> {
  const repo = new ResourcesRepository(deps.db);
  const flows = new FlowsRepository(deps.db);
  const connections = new ConnectionsRepository(deps.db);
  const orgs = new OrgsRepository(deps.db);
  const sandboxes = new SandboxesRepository(deps.db);

  const listFlows = async (): Promise<ScheduledFlow[]> => {
    const found: ScheduledFlow[] = [];
    for (const org of await orgs.list()) {
      for (const sandbox of await sandboxes.list(org.id)) {
        if (sandbox.state !== 'active') continue;
        const scope = { orgId: org.id, sandboxId: sandbox.id };
        for (const flow of await flows.all(scope)) {
          const body = flow.body;
          // The flow's validation admits only valid schedules; a row that fails to read has nothing to run on.
          const schedule = readSchedule(body.scheduleParams);
          if (schedule) found.push({ flowId: flow.id, scope, enabled: body.state !== 'disabled', schedule });
        }
      }
    }
    return found;
  };

  const planRun = async (flow: ScheduledFlow, window: RunWindow) => {
    const stored = await flows.get(flow.scope, flow.flowId);
    if (!stored) throw new Error(`flow ${flow.flowId} no longer exists`);
    const ctx = await systemContext(flow, { clientId: stored.body.createdClient, userId: stored.body.createdBy }, { orgs, sandboxes });
    const plan = await buildRunPlan(stored, ctx, { repo, connections, secretBox: deps.secretBox, now: window.end, fileRoots: deps.fileRoots }, {});
    // The grid's window in ms, as is: the request form of buildRunPlan counts in whole seconds.
    return { ...plan, window };
  };

  return { listFlows, planRun };
}

/**
 * The plan of a queued run, built by the worker that runs it, as the request that queued it built it: under the
 * same identity, over the same window. What changed since (a disabled flow, a deleted connection) fails the run.
 */
export function queuedRunPlanner(deps: { db: Kysely<Database>; secretBox: SecretBox; fileRoots: FileRoots }): (job: QueuedRun) => Promise<RunPlan> {
  const repo = new ResourcesRepository(deps.db);
  const flows = new FlowsRepository(deps.db);
  const connections = new ConnectionsRepository(deps.db);
  const orgs = new OrgsRepository(deps.db);
  const sandboxes = new SandboxesRepository(deps.db);
  return async (job) => {
    const stored = await flows.get(job.scope, job.flowId);
    if (!stored) throw new Error(`flow ${job.flowId} no longer exists`);
    const scope = { orgId: job.scope.orgId, sandboxId: job.scope.sandboxId };
    const ctx = await systemContext({ flowId: job.flowId, scope }, job.actor, { orgs, sandboxes });
    const plan = await buildRunPlan(stored, ctx, { repo, connections, secretBox: deps.secretBox, now: job.window.end, fileRoots: deps.fileRoots }, {});
    return { ...plan, window: job.window };
  };
}

/** The context a request by `actor` would have had: no request exists for a scheduled or queued run. */
async function systemContext(
  flow: { flowId: string; scope: ScheduledFlow['scope'] },
  actor: { clientId: string; userId: string },
  deps: { orgs: OrgsRepository; sandboxes: SandboxesRepository },
): Promise<RequestContext> {
  const org = await deps.orgs.find(flow.scope.orgId);
  const sandbox = await deps.sandboxes.findById(flow.scope.orgId, flow.scope.sandboxId);
  if (!org || !sandbox) throw new Error(`flow ${flow.flowId}: its org or sandbox no longer exists`);
  return {
    orgId: org.id,
    tenantId: org.tenantId,
    clientId: actor.clientId,
    userId: actor.userId,
    sandbox: { id: sandbox.id, name: sandbox.name, type: sandbox.type },
    scope: flow.scope,
  };
}

/** A stored `scheduleParams` as a Schedule. Older rows may hold AEP's string forms ("15", "true"). */
export function readSchedule(params: unknown): Schedule | undefined {
  if (!isRecord(params)) return undefined;
  const startTime = integer(params.startTime);
  if (startTime === undefined) return undefined;
  const frequency = params.frequency;
  if (frequency === 'once') return { frequency, startTime };
  if (frequency !== 'minute' && frequency !== 'hour' && frequency !== 'day' && frequency !== 'week') return undefined;
  const interval = integer(params.interval);
  if (interval === undefined || interval < 1) return undefined;
  const backfill = params.backfill !== false && params.backfill !== 'false';
  return { frequency, startTime, interval, backfill, endTime: integer(params.endTime) };
}

function integer(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}
