import { ApiError } from '../../server/errors/api-error.js';
import { isRecord, ProblemList } from '../../server/errors/problem-list.js';
import type { StoredRun } from '../../engine/runs.repository.js';
import { findDataSet } from '../catalog/datasets.js';
import { findMappingSet } from '../conversion/mapping-sets.js';
import type { FlowCollection, FlowEnv } from './flow-collection.js';
import { flowKind } from './flows-using.js';
import { flowOnWire } from './flow-wire-form.js';
import { normaliseDatePattern } from '../../mapping/java-date-pattern.js';
import { sourceConnectionKind } from './source-connections.js';
import { coerceToSchema, validateAgainstSpec } from './spec-validator.js';
import { findConnectionSpec, findFlowSpec } from './specs/builtin-specs.js';
import type { ConnectionSpec } from './specs/connection-spec.js';
import { scheduledChangesProblem } from './scheduled-changes.js';
import type { FlowSpec } from './specs/flow-spec.js';
import { targetConnectionKind } from './target-connections.js';
import { connectionKind } from './connections.js';
import { flowStateKind } from '../../engine/flow-state.js';
import { scheduleKind } from '../../engine/scheduler.js';
import { FlowAnswer } from './flow-answers.schema.js';
import { FlowRequest } from './flow-requests.schema.js';
import type { StoredFlow } from './flows.repository.js';
import type { StoredConnection } from './connections.repository.js';
import type { StoredFlowBody } from './stored-flow.schema.js';
import { listFlows } from './flows-listing.js';

/** Dataflows: a flow spec joining source and target connections, with transformations and a schedule. */
export const flows: FlowCollection<StoredFlow> = {
  path: 'flows',
  kind: flowKind,
  get: (id, env) => env.flows.get(env.ctx.scope, id),
  resourceName: 'flows',
  reference: {
    one: 'flow',
    many: 'flows',
    request: FlowRequest,
    answer: FlowAnswer,
    createErrors: ['stateNotAllowed', 'invalidSpec', 'mappingInvalid', 'invalidMappingVersion', 'schemaMismatch'],
    updateErrors: ['invalidSpec', 'mappingInvalid', 'invalidMappingVersion', 'schemaMismatch'],
    deleteErrors: [],
  },
  patchable: ['name', 'description', 'scheduleParams', 'transformations', 'options'],

  rejectOnCreate(body) {
    if (body.state !== undefined) {
      throw new ApiError('stateNotAllowed', 'A flow cannot be created with "state"; it starts enabled. Use POST /flows/{id}/action?op=disable.', {
        problems: [{ in: 'body', path: '/state', message: 'is not allowed on create' }],
      });
    }
  },

  async prepare(body, env, existing) {
    const problems = new ProblemList();
    const name = problems.string(body, 'name', '/name', true);
    const description = problems.string(body, 'description', '/description', false);
    const flowSpecRef = problems.object(body, 'flowSpec', '/flowSpec', true);
    const flowSpecId = flowSpecRef ? problems.string(flowSpecRef, 'id', '/flowSpec/id', true) : undefined;
    const flowSpecVersion = flowSpecRef ? problems.string(flowSpecRef, 'version', '/flowSpec/version', false) : undefined;
    const spec = flowSpecId ? findFlowSpec(flowSpecId) : undefined;
    if (flowSpecId && !spec) problems.add('/flowSpec/id', `no flow spec with id ${flowSpecId}; GET /flowSpecs lists them`, 'invalidSpec');
    const sourceIds = problems.stringArray(body, 'sourceConnectionIds', '/sourceConnectionIds', true) ?? [];
    const targetIds = problems.stringArray(body, 'targetConnectionIds', '/targetConnectionIds', true) ?? [];
    const { dataSetIds: targetDataSetIds, sourceSpecs } = spec ? await checkConnections(problems, env, spec, sourceIds, targetIds) : { dataSetIds: [], sourceSpecs: [] };

    const transformations = spec ? await readTransformations(problems, env, spec, body.transformations, targetDataSetIds) : [];
    const scheduleParams = spec?.scheduleSpec ? readSpecParams(problems, spec.scheduleSpec.spec, body.scheduleParams, '/scheduleParams') : undefined;
    if (spec && !spec.scheduleSpec && body.scheduleParams !== undefined) problems.add('/scheduleParams', `flow spec ${spec.name} streams records as they arrive; it takes no schedule`);
    const options = spec && body.options !== undefined ? readSpecParams(problems, spec.optionSpec.spec, body.options, '/options') : undefined;
    const hasDeltaColumn = transformations.some((t) => isRecord(t) && t.name === 'Copy');
    const unscheduled = spec && scheduleParams ? scheduledChangesProblem({ flowSpec: spec, frequency: scheduleParams.frequency, hasDeltaColumn, sources: sourceSpecs }) : undefined;
    if (unscheduled) problems.add(unscheduled.path, unscheduled.message);
    problems.throwIfAny('The dataflow is not valid');

    const fields: Record<string, unknown> = {
      name,
      description: description ?? '',
      flowSpec: { id: spec?.id, version: flowSpecVersion ?? spec?.version },
      state: existing ? existing.body.state : 'enabled',
      sourceConnectionIds: sourceIds,
      targetConnectionIds: targetIds,
      transformations,
    };
    if (!spec || spec.scheduleSpec) fields.scheduleParams = scheduleParams ?? { startTime: Math.floor(env.now / 1000), frequency: 'once' };
    if (options !== undefined) fields.options = options;
    return { fields, secret: null };
  },

  editable(stored) {
    const body = stored.body;
    const doc: Record<string, unknown> = {
      name: body.name,
      description: body.description,
      flowSpec: body.flowSpec,
      sourceConnectionIds: body.sourceConnectionIds,
      targetConnectionIds: body.targetConnectionIds,
      transformations: body.transformations,
      scheduleParams: body.scheduleParams,
    };
    if (body.options !== undefined) doc.options = body.options;
    return doc;
  },

  async present(stored, env) {
    const [flow] = await presentFlows([stored], env);
    return flow ?? {};
  },

  paging: {
    derivedFields: ['inheritedAttributes', 'runs', 'lastRunDetails'],
    storedView: (stored) => ({ ...flowOnWire(stored.body), version: stored.etag }),
    presentAll: presentFlows,
  },

  list: (listing, env, collectionPath) => listFlows(env.flows, env.ctx.scope, listing, collectionPath),

  usedBy: async () => [],

  async onDelete(id, env) {
    await env.repo.delete(scheduleKind, env.ctx.scope, id);
    await env.repo.delete(flowStateKind, env.ctx.scope, id);
    await env.runs.forgetFlow(env.ctx.scope, id);
  },

  onUpdate(_fields, ops, env) {
    return {
      lastOperation: {
        started: env.now,
        updated: env.now,
        percentCompleted: 100,
        status: { value: 'completed', errors: [] },
        ops,
        operation: 'update',
      },
    };
  },
};

/** Checks the flow's connections against its flow spec; returns the target datasets and the sources' connection specs. */
async function checkConnections(problems: ProblemList, env: FlowEnv, spec: FlowSpec, sourceIds: string[], targetIds: string[]): Promise<{ dataSetIds: string[]; sourceSpecs: ConnectionSpec[] }> {
  const sourceSpecs: ConnectionSpec[] = [];
  for (const [index, id] of sourceIds.entries()) {
    const source = await env.connections.get(sourceConnectionKind, env.ctx.scope, id);
    const specId = source?.body.connectionSpec.id;
    const sourceSpec = specId ? findConnectionSpec(specId) : undefined;
    if (!source) problems.add(`/sourceConnectionIds/${index}`, `no source connection ${id} in sandbox ${env.ctx.sandbox.name}`);
    else if (specId && !spec.sourceConnectionSpecIds.includes(specId)) {
      problems.add(`/sourceConnectionIds/${index}`, `its connection spec ${specId} is not accepted by flow spec ${spec.name}`, 'invalidSpec');
    } else if (sourceSpec) sourceSpecs.push(sourceSpec);
  }
  const dataSetIds: string[] = [];
  for (const [index, id] of targetIds.entries()) {
    const target = await env.connections.get(targetConnectionKind, env.ctx.scope, id);
    const body = target?.body;
    const specId = body?.connectionSpec.id;
    if (!body) problems.add(`/targetConnectionIds/${index}`, `no target connection ${id} in sandbox ${env.ctx.sandbox.name}`);
    else if (specId && !spec.targetConnectionSpecIds.includes(specId)) {
      problems.add(`/targetConnectionIds/${index}`, `its connection spec ${specId} is not accepted by flow spec ${spec.name}`, 'invalidSpec');
    } else if (typeof body.params?.dataSetId === 'string') dataSetIds.push(body.params.dataSetId);
  }
  return { dataSetIds, sourceSpecs };
}

async function readTransformations(problems: ProblemList, env: FlowEnv, spec: FlowSpec, raw: unknown, dataSetIds: string[]): Promise<unknown[]> {
  if (raw === undefined) raw = [];
  if (!Array.isArray(raw)) {
    problems.add('/transformations', 'must be an array of {name, params}');
    return [];
  }
  const out: unknown[] = [];
  for (const [index, entry] of raw.entries()) {
    const path = `/transformations/${index}`;
    if (!isRecord(entry)) {
      problems.add(path, 'must be an object {name, params}');
      continue;
    }
    const name = problems.string(entry, 'name', `${path}/name`, true);
    const transformationSpec = spec.transformationSpecs.find((t) => t.name === name);
    if (name && !transformationSpec) {
      problems.add(`${path}/name`, `must be one of ${spec.transformationSpecs.map((t) => t.name).join(', ')} for flow spec ${spec.name}`);
      continue;
    }
    if (!transformationSpec) continue;
    const params = coerceToSchema(transformationSpec.spec, entry.params ?? {});
    const paramProblems = validateAgainstSpec(transformationSpec.spec, params, `${path}/params`);
    problems.addAll(paramProblems);
    if (paramProblems.length === 0 && isRecord(params)) {
      if (name === 'Mapping') await checkMapping(problems, env, params, `${path}/params`, dataSetIds);
      if (name === 'Copy') checkDeltaColumn(problems, params, `${path}/params`);
    }
    out.push({ name, params });
  }
  // A flow spec without transformations (streaming XDM as it is) needs no mapping.
  if (spec.transformationSpecs.some((t) => t.name === 'Mapping') && !out.some((t) => isRecord(t) && t.name === 'Mapping')) {
    problems.add('/transformations', 'needs a "Mapping" transformation: rows are mapped to the target dataset\'s XDM schema');
  }
  return out;
}

async function checkMapping(problems: ProblemList, env: FlowEnv, params: Record<string, unknown>, path: string, dataSetIds: string[]): Promise<void> {
  const mappingId = params.mappingId as string;
  const mapping = await findMappingSet(env.repo, env.ctx.scope, mappingId);
  if (!mapping) {
    problems.add(`${path}/mappingId`, `no mapping set ${mappingId} in sandbox ${env.ctx.sandbox.name}`, 'mappingInvalid');
    return;
  }
  if (params.mappingVersion === undefined) params.mappingVersion = mapping.latestVersion;
  // The flow runs the version it names, so that version's schema is the one to compare.
  const schemaId = typeof params.mappingVersion === 'number' ? mapping.schemaOf(params.mappingVersion) : undefined;
  if (schemaId === undefined) {
    problems.add(`${path}/mappingVersion`, `mapping set ${mappingId} has versions 0 to ${mapping.latestVersion}`, 'invalidMappingVersion');
    return;
  }
  for (const dataSetId of dataSetIds) {
    const dataSet = await findDataSet(env.repo, env.ctx.scope, dataSetId);
    if (dataSet && dataSet.schemaRef.id !== schemaId) {
      problems.add(`${path}/mappingId`, `the mapping writes schema ${schemaId} but target dataset ${dataSetId} has schema ${dataSet.schemaRef.id}`, 'schemaMismatch');
    }
  }
}

function checkDeltaColumn(problems: ProblemList, params: Record<string, unknown>, path: string): void {
  const delta = params.deltaColumn;
  if (!isRecord(delta) || typeof delta.dateFormat !== 'string') return;
  const result = normaliseDatePattern(delta.dateFormat);
  if ('error' in result) problems.add(`${path}/deltaColumn/dateFormat`, result.error);
}

function readSpecParams(problems: ProblemList, schema: Record<string, unknown>, raw: unknown, path: string): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  const value = coerceToSchema(schema, raw);
  const found = validateAgainstSpec(schema, value, path);
  problems.addAll(found);
  return found.length === 0 && isRecord(value) ? value : undefined;
}

/**
 * Flows as GET answers them. What a flow derives from other objects (its connections' specs, its last run) is read
 * for all of them at once: one read per related kind and one of `flow_last_runs`, however many flows there are.
 */
async function presentFlows(flows: readonly StoredFlow[], env: FlowEnv): Promise<Record<string, unknown>[]> {
  const [related, lastRuns] = await Promise.all([relatedConnections(env, flows.map((f) => f.body)), env.runs.lastRuns(env.ctx.scope, flows.map((f) => f.id))]);
  return flows.map((s) => {
    const body = s.body;
    return {
      ...flowOnWire(body),
      version: s.etag,
      inheritedAttributes: inheritedAttributes(body, related),
      runs: `/runs?property=flowId==${s.id}`,
      ...lastRunDetails(lastRuns.get(s.id)),
    };
  });
}

interface RelatedConnections {
  sources: Map<string, StoredConnection<typeof sourceConnectionKind>>;
  targets: Map<string, StoredConnection<typeof targetConnectionKind>>;
  bases: Map<string, StoredConnection<typeof connectionKind>>;
}

async function relatedConnections(env: FlowEnv, bodies: readonly StoredFlowBody[]): Promise<RelatedConnections> {
  const [sources, targets] = await Promise.all([
    env.connections.getMany(sourceConnectionKind, env.ctx.scope, bodies.flatMap((b) => b.sourceConnectionIds)),
    env.connections.getMany(targetConnectionKind, env.ctx.scope, bodies.flatMap((b) => b.targetConnectionIds)),
  ]);
  const baseIds = [...sources.values()].flatMap((s) => (s.body.baseConnectionId === undefined ? [] : [s.body.baseConnectionId]));
  const bases = await env.connections.getMany(connectionKind, env.ctx.scope, baseIds);
  return { sources, targets, bases };
}

function inheritedAttributes(body: StoredFlowBody, related: RelatedConnections): Record<string, unknown> {
  const sourceConnections = body.sourceConnectionIds.flatMap((id) => {
    const source = related.sources.get(id);
    if (!source) return [];
    const base = source.body.baseConnectionId === undefined ? undefined : related.bases.get(source.body.baseConnectionId);
    return [{ id: source.id, connectionSpec: source.body.connectionSpec, baseConnection: base ? { id: base.id, connectionSpec: base.body.connectionSpec } : undefined }];
  });
  const targets = body.targetConnectionIds.flatMap((id) => related.targets.get(id) ?? []);
  return {
    sourceConnections,
    targetConnections: targets.map((t) => ({ id: t.id, connectionSpec: t.body.connectionSpec })),
  };
}

/** `lastRunDetails` as AEP's flow GET shows it, from the flow's newest run. */
function lastRunDetails(last: StoredRun | undefined): Record<string, unknown> {
  const metrics = last?.body.metrics;
  if (!last || !metrics) return {};
  const duration = metrics.durationSummary;
  return { lastRunDetails: { id: last.id, state: metrics.statusSummary?.status, startedAtUTC: duration?.startedAtUTC, completedAtUTC: duration?.completedAtUTC } };
}
