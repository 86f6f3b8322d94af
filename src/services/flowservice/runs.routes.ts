import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { FlowBusyError } from '../../engine/engine.js';
import { RunsRepository } from '../../engine/runs.repository.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { ProblemList } from '../../server/errors/problem-list.js';
import { IdParams } from '../../server/request-parts.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import { flowBase } from './flow-base.js';
import { FlowListing, type FlowListQuery } from './flow-listing.js';
import { listRuns } from './runs-listing.js';
import { ConnectionsRepository } from './connections.repository.js';
import { FlowsRepository } from './flows.repository.js';
import { buildRunPlan, type RunWindowRequest } from './run-plans.js';
import { RunActionQuery, runSchemas } from './runs.route-schemas.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';

/** Flow runs: list and read them, start one on demand, re-trigger a failed one over the same window. */
export function registerRunRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const repo = new ResourcesRepository(deps.db);
  const runs = new RunsRepository(deps.db);
  const flows = new FlowsRepository(deps.db);
  const connections = new ConnectionsRepository(deps.db);

  app.get<{ Querystring: FlowListQuery }>(`${flowBase}/runs`, { schema: runSchemas.list }, async (request) => {
    return listRuns(runs, request.ctx.scope, FlowListing.of({ orderby: '-createdAt', ...request.query }), '/runs');
  });

  app.get<{ Params: Static<typeof IdParams> }>(`${flowBase}/runs/:id`, { schema: runSchemas.get }, async (request) => {
    const run = await runs.get(request.ctx.scope, request.params.id);
    if (!run) throw notFound('runs', request.params.id);
    return { items: [run.body] };
  });

  const start = async (flowId: string, ctx: Parameters<typeof buildRunPlan>[1], window: RunWindowRequest, idPath: string) => {
    const flow = await flows.get(ctx.scope, flowId);
    if (!flow) throw new ApiError('validation', `no flow ${flowId} in sandbox ${ctx.sandbox.name}`, { problems: [{ in: 'body', path: idPath, message: 'no such flow' }] });
    if (await deps.engine.isBusy(ctx.scope, flowId)) throw new ApiError('conflict', `a run of flow ${flowId} is in progress; wait for it to finish`);
    const schedule = flow.body.scheduleParams;
    // A streaming flow lands records as they arrive at its inlet: there is no run to start.
    if (schedule === undefined) {
      throw new ApiError('validation', `flow ${flowId} streams records as they arrive at its inlet; it has no runs to start`, { problems: [{ in: 'body', path: idPath, message: 'a streaming flow' }] });
    }
    // As in AEP, only a one-time flow runs on demand; a scheduled flow's windows belong to its schedule.
    if (schedule.frequency !== 'once') {
      throw new ApiError('validation', `flow ${flowId} runs on a schedule (${String(schedule.frequency)}); only flows with frequency "once" can be run on demand`, { problems: [{ in: 'body', path: idPath, message: 'not a one-time flow' }] });
    }
    const plan = await buildRunPlan(flow, ctx, { repo, connections, secretBox: deps.secretBox, now: deps.now(), fileRoots: deps.fileRoots }, window);
    try {
      return await deps.engine.start(plan);
    } catch (error) {
      // The scheduler started this flow between the check above and now.
      if (error instanceof FlowBusyError) throw new ApiError('conflict', `a run of flow ${flowId} is in progress; wait for it to finish`);
      throw error;
    }
  };

  app.post<{ Body: Record<string, unknown> }>(
    `${flowBase}/runs`,
    // The handler checks the body field by field: before it, a body need only be a JSON object, as always.
    { schema: runSchemas.start, validatorCompiler: handlerValidatedBody('object') },
    async (request, reply) => {
      const problems = new ProblemList();
      const flowId = problems.string(request.body, 'flowId', '/flowId', true);
      const params = problems.object(request.body, 'params', '/params', false) ?? {};
      const window: RunWindowRequest = {};
      for (const key of ['windowStartTime', 'windowEndTime'] as const) {
        const value = params[key];
        if (value === undefined) continue;
        const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) problems.add(`/params/${key}`, 'must be epoch seconds (an integer)');
        else window[key] = seconds;
      }
      if (window.windowStartTime !== undefined && window.windowEndTime !== undefined && window.windowStartTime >= window.windowEndTime) {
        problems.add('/params/windowEndTime', 'must be after windowStartTime');
      }
      problems.throwIfAny('The run request is not valid');
      return reply.status(201).send(await start(flowId as string, request.ctx, window, '/flowId'));
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Querystring: Static<typeof RunActionQuery> }>(
    `${flowBase}/runs/:id/action`,
    { schema: runSchemas.retrigger },
    async (request, reply) => {
      if (request.query.op !== 're-trigger') {
        throw new ApiError('validation', `op "${request.query.op}" is not a run action; use re-trigger.`, { problems: [{ in: 'query', path: 'op', message: 'must be re-trigger' }] });
      }
      const run = await runs.get(request.ctx.scope, request.params.id);
      if (!run) throw notFound('runs', request.params.id);
      const body = run.body;
      const status = body.metrics?.statusSummary?.status;
      const empty = status === 'success' && (body.metrics?.recordSummary?.outputRecordCount ?? 0) === 0;
      if (status !== 'failed' && !empty) {
        throw new ApiError('validation', `run ${run.id} is ${String(status)}; only failed runs, or successful runs that ingested nothing, can be re-triggered`);
      }
      // The new run covers the same window as the one it repeats.
      const extensions = (body.activities ?? []).find((a) => a.id === 'copyActivity')?.durationSummary?.extensions;
      const window: RunWindowRequest = extensions
        ? { ...(extensions.windowStart > 0 ? { windowStartTime: Math.floor(extensions.windowStart / 1000) } : {}), windowEndTime: Math.floor(extensions.windowEnd / 1000) }
        : {};
      if (body.flowId === undefined) throw new ApiError('validation', `run ${run.id} names no flow; it cannot be re-triggered`);
      return reply.status(201).send(await start(body.flowId, request.ctx, window, '/flowId'));
    },
  );
}
