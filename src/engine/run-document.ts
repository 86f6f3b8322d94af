import type { RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import type { StoredRunBody } from './stored-run.schema.js';

export { runKind } from '../store/run-index.js';

/** What a run record says of the run's flow and who asked for it: the part of a plan every record repeats. */
export type RunIdentity = Pick<RunPlan, 'flowId' | 'flowSpec' | 'scope' | 'actor'> & { source: { connectionId: string; specId?: string | undefined }; target: { connectionId: string } };

/**
 * The identity a stored run record carries, for a queued run whose plan can no longer be built (its flow changed):
 * its failure is recorded under the same flow spec, connections and actor as its queued record.
 */
export function identityOfRecord(body: StoredRunBody, job: { flowId: string; scope: RunPlan['scope']; actor: RunPlan['actor'] }): RunIdentity {
  const activities = body.activities ?? [];
  const source = activities.flatMap((a) => a.sourceInfo ?? [])[0];
  const target = activities.flatMap((a) => a.targetInfo ?? [])[0];
  return {
    flowId: job.flowId,
    flowSpec: { id: body.flowSpec?.id ?? '', version: body.flowSpec?.version ?? '' },
    scope: job.scope,
    actor: job.actor,
    source: { connectionId: source?.id ?? '' },
    target: { connectionId: target?.id ?? '' },
  };
}

/** The wire form of a run, in the shape of AEP's monitoring API (`GET /runs`). */
export function runDocument(plan: RunIdentity, runId: string, etag: string, createdAt: number, outcome: RunOutcome): StoredRunBody {
  const completed = outcome.completedAt;
  const status = outcome.status;
  const errorsUrl = outcome.batchId ? `/data/foundation/export/batches/${outcome.batchId}/meta?path=row_errors` : undefined;
  const statusErrors = outcome.errors.map(({ code, message }) => ({ code, message }));
  const document = {
    id: runId,
    flowId: plan.flowId,
    etag,
    eTag: etag,
    createdAt,
    updatedAt: completed ?? outcome.startedAt,
    createdBy: plan.actor.userId,
    updatedBy: plan.actor.userId,
    createdClient: plan.actor.clientId,
    updatedClient: plan.actor.clientId,
    sandboxId: plan.scope.sandboxId,
    sandboxName: plan.scope.sandboxName,
    imsOrgId: plan.scope.orgId,
    flowSpec: plan.flowSpec,
    providerRefId: runId,
    metrics: {
      durationSummary: { startedAtUTC: outcome.startedAt, ...(completed ? { completedAtUTC: completed } : {}) },
      sizeSummary: { inputBytes: outcome.inputBytes, outputBytes: outcome.outputBytes },
      recordSummary: {
        inputRecordCount: outcome.inputRecords,
        outputRecordCount: outcome.outputRecords,
        failedRecordCount: outcome.failedRecords,
        skippedRecordCount: outcome.skippedRecords,
      },
      fileSummary: { inputFileCount: outcome.inputFileCount, outputFileCount: outcome.outputFileCount },
      statusSummary: {
        status,
        errors: statusErrors,
        ...(status === 'inProgress' && outcome.stage ? { extensions: { stage: outcome.stage, ...(outcome.stagePercent !== undefined ? { percent: Math.round(outcome.stagePercent) } : {}) } } : {}),
      },
    },
    activities: [
      {
        id: 'copyActivity',
        updatedAtUTC: completed ?? outcome.startedAt,
        durationSummary: {
          startedAtUTC: outcome.startedAt,
          ...(completed ? { completedAtUTC: completed } : {}),
          extensions: { windowStart: outcome.window.start ?? 0, windowEnd: outcome.window.end },
        },
        sizeSummary: { inputBytes: outcome.inputBytes, outputBytes: outcome.inputBytes },
        recordSummary: { inputRecordCount: outcome.inputRecords, outputRecordCount: outcome.inputRecords - outcome.skippedRecords, skippedRecordCount: outcome.skippedRecords },
        fileSummary: { inputFileCount: outcome.inputFileCount },
        statusSummary: {
          status,
          extensions: {
            type: 'one-time',
            ...(outcome.deletedRecords ? { deletedRecordCount: outcome.deletedRecords } : {}),
            ...(outcome.streams ? { streams: outcome.streams } : {}),
            ...(outcome.notices?.length ? { notices: outcome.notices } : {}),
          },
        },
        sourceInfo: [{ id: plan.source.connectionId, type: 'SourceConnection', reference: { type: 'AdfRunId', ids: [runId] } }],
      },
      {
        id: 'promotionActivity',
        updatedAtUTC: completed ?? outcome.startedAt,
        durationSummary: { startedAtUTC: outcome.startedAt, ...(completed ? { completedAtUTC: completed } : {}) },
        sizeSummary: { inputBytes: outcome.inputBytes, outputBytes: outcome.outputBytes },
        recordSummary: { inputRecordCount: outcome.inputRecords - outcome.skippedRecords, outputRecordCount: outcome.outputRecords, failedRecordCount: outcome.failedRecords },
        fileSummary: { inputFileCount: outcome.inputFileCount, outputFileCount: outcome.outputFileCount },
        statusSummary: {
          status,
          errors: statusErrors,
          extensions: { ...(errorsUrl ? { manifest: { failedRecords: errorsUrl } } : {}), errors: outcome.errors },
        },
        targetInfo: [{ id: plan.target.connectionId, type: 'TargetConnection', reference: { type: 'Batch', ids: outcome.batchId ? [outcome.batchId] : [] } }],
      },
    ],
  };
  return document;
}
