import { ApiError } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import type { RunPlan } from '../../engine/run-plan.js';
import type { FileRoots } from '../../connectors/local-files/file-roots.js';
import { localFilesSpecId } from '../../connectors/local-files/local-files-connector.js';
import { SourceConfigError } from '../../connectors/source-connector.js';
import { findDataSet } from '../catalog/datasets.js';
import { mappingRules } from '../conversion/mapping-sets.js';
import { loadSchema } from '../schemaregistry/schema-access.js';
import { credentialsSaver, connectionKind } from './connections.js';
import { openBoundCredentials } from './bound-credentials.js';
import type { ConnectionsRepository } from './connections.repository.js';
import type { StoredFlow } from './flows.repository.js';
import { sourceConnectionKind } from './source-connections.js';
import { targetConnectionKind } from './target-connections.js';

const sourceLagMs = 60_000;

export interface RunWindowRequest {
  /** Epoch seconds, as AEP's run params carry them. */
  windowStartTime?: number | undefined;
  windowEndTime?: number | undefined;
}

/** Resolves everything a run of `flow` needs, checking that it still holds together. */
export async function buildRunPlan(
  flow: StoredFlow,
  ctx: RequestContext,
  deps: { repo: ResourcesRepository; connections: ConnectionsRepository; secretBox: SecretBox; now: number; fileRoots: FileRoots },
  window: RunWindowRequest = {},
): Promise<RunPlan> {
  const body = flow.body;
  const { repo, connections } = deps;
  const fail = (message: string) => new ApiError('validation', `Flow ${flow.id} cannot run: ${message}`);
  if (body.state === 'disabled') throw new ApiError('validation', `Flow ${flow.id} is disabled; enable it with POST /flows/${flow.id}/action?op=enable.`);
  const sourceId = body.sourceConnectionIds[0] ?? '';
  const targetId = body.targetConnectionIds[0] ?? '';
  const source = await connections.get(sourceConnectionKind, ctx.scope, sourceId);
  const target = await connections.get(targetConnectionKind, ctx.scope, targetId);
  if (!source || !target) throw fail('its source or target connection no longer exists');
  const sourceBody = source.body;
  const base = sourceBody.baseConnectionId === undefined ? undefined : await connections.get(connectionKind, ctx.scope, sourceBody.baseConnectionId);
  if (!base) throw fail('the base connection of its source no longer exists');
  // Refused (credentialsMoved) when the credentials would go elsewhere than where they were saved for.
  const auth = await openBoundCredentials(base, deps, ctx.scope);
  // The operator may have narrowed the allowed folders since the connection was made.
  if (sourceBody.connectionSpec.id === localFilesSpecId) {
    try {
      deps.fileRoots.check(String(auth.rootPath), ctx.orgId);
    } catch (error) {
      if (error instanceof SourceConfigError) throw fail(error.message);
      throw error;
    }
  }
  const targetParams = target.body.params ?? {};
  const dataSet = await findDataSet(repo, ctx.scope, String(targetParams.dataSetId));
  if (!dataSet) throw fail(`its target dataset ${String(targetParams.dataSetId)} no longer exists`);
  const schema = await loadSchema(repo, ctx.scope, dataSet.schemaRef.id);
  if (!schema) throw fail(`the dataset's schema ${dataSet.schemaRef.id} no longer exists`);
  const transformations = body.transformations;
  const mappingParams = transformations.find((t) => t.name === 'Mapping')?.params ?? {};
  const mappingId = String(mappingParams.mappingId);
  const mappingVersion = Number(mappingParams.mappingVersion ?? 0);
  const rules = await mappingRules(repo, ctx.scope, mappingId, mappingVersion);
  if (!rules) throw fail(`mapping set ${mappingId} version ${mappingVersion} no longer exists`);
  const delta = transformations.find((t) => t.name === 'Copy')?.params.deltaColumn;
  const schedule = body.scheduleParams ?? {};
  const options = body.options ?? {};
  // Without backfill the first run starts at the schedule's start time; with it, it takes all history.
  const scheduledStart = schedule.backfill === false && typeof schedule.startTime === 'number' ? schedule.startTime * 1000 : null;
  return {
    flowId: flow.id,
    flowSpec: { id: body.flowSpec.id, version: body.flowSpec.version },
    scope: { orgId: ctx.orgId, sandboxId: ctx.sandbox.id, sandboxName: ctx.sandbox.name },
    actor: { clientId: ctx.clientId, userId: ctx.userId },
    source: {
      connectionId: source.id,
      baseConnectionId: base.id,
      specId: sourceBody.connectionSpec.id,
      auth,
      params: sourceBody.params ?? {},
      data: sourceBody.data ?? {},
      saveCredentials: credentialsSaver(repo, deps, ctx.scope, base.id, auth),
    },
    target: { connectionId: target.id, dataSetId: dataSet.id, schemaId: schema.id },
    schema: schema.full,
    mapping: { id: mappingId, version: mappingVersion, rules },
    deltaColumn: isRecord(delta) && typeof delta.name === 'string' ? (delta as NonNullable<RunPlan['deltaColumn']>) : undefined,
    options: {
      partialIngestionPercent: typeof options.partialIngestionPercent === 'number' ? options.partialIngestionPercent : undefined,
      errorDiagnosticsEnabled: options.errorDiagnosticsEnabled === true,
    },
    window: {
      start: window.windowStartTime !== undefined ? window.windowStartTime * 1000 : scheduledStart,
      // Rows stamped in the last minute may still be arriving at the source with the same timestamp as rows
      // already there; ending the window a minute back keeps the watermark from passing them.
      end: window.windowEndTime !== undefined ? window.windowEndTime * 1000 : deps.now - sourceLagMs,
    },
  };
}
