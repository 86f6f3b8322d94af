import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { RunLog as Logger } from './run-log.js';
import type { Extracted, InputFile, SourceConnector } from '../connectors/source-connector.js';
import { listRegularFiles } from '../lake/batch-files.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { Database } from '../store/database.js';
import { ResourcesRepository } from '../store/resources.repository.js';
import { batchDocument, batchKind, claimedStatus, completedUpload, storedBatch } from './batch-document.js';
import type { ConnectorLookup } from './connectors-by-spec.js';
import { writeInputManifest } from './batch-meta.js';
import { flowStateKind, readFlowState, type FlowState } from './flow-state.js';
import { landRows } from './land-rows.js';
import { RunFailure } from './run-failure.js';
import type { RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import { asFailure, extract } from './source-failures.js';

export interface RunDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  log?: Logger | undefined;
  connectors: ConnectorLookup;
  /** Called as the run moves on, so its record shows progress. */
  progress?: (outcome: RunOutcome) => Promise<void>;
  /** Writes the final run record inside the commit transaction. */
  finalRecord: (outcome: RunOutcome, trx: Transaction<Database>) => Promise<void>;
  /**
   * Which delivery of the run this is (0 first). Each attempt stages in its own folder: a worker taken for gone
   * that resumes must not write into the folder of the attempt that replaced it.
   */
  attempt?: number | undefined;
  /** More to commit with a successful batch, in its transaction (streaming deletes the records it landed). */
  onCommit?: ((trx: Transaction<Database>) => Promise<void>) | undefined;
}

/** The org and sandbox the run's metadata is stored under. */
function storeScope(plan: RunPlan): { orgId: string; sandboxId: string } {
  return { orgId: plan.scope.orgId, sandboxId: plan.scope.sandboxId };
}

/** Where one attempt of a run works, and where its batch lands. */
interface RunFolders {
  staging: string;
  temp: string;
  batchId: string;
  /** The batch as it is built, in the staging folder. */
  stagedBatch: string;
  /** The batch's folder in the lake, once committed. */
  lakeBatch: string;
  /** Whether the batch folder has moved into the lake (a commit that fails after it must take it out again). */
  moved: boolean;
}

/** What the source read gave, and the watermark the landed rows reach. */
interface SourceRead {
  extracted: Extracted;
  newWatermark: string | undefined;
}

/**
 * One run, as a load package: extract → stage → map → validate → write → commit. Everything before the commit
 * happens in the run's staging folder; the commit moves the batch folder into the lake and, in one metadata
 * transaction, marks the Catalog batch successful and advances the flow's watermark. A failure anywhere before
 * it leaves the lake and the state as they were.
 */
export async function runFlow(plan: RunPlan, runId: string, outcome: RunOutcome, deps: RunDeps): Promise<RunOutcome> {
  const repo = new ResourcesRepository(deps.db);
  const scope = storeScope(plan);
  const folders = runFolders(plan, runId, deps);
  try {
    fs.mkdirSync(folders.staging, { recursive: true });
    fs.mkdirSync(folders.temp, { recursive: true });
    outcome.stage = 'extracting';
    const connector = deps.connectors(plan.source.specId);
    if (!connector) throw new RunFailure('CONNECTOR-1001-500', `no connector can read connection spec ${plan.source.specId} yet`, 'config');
    // An upload's batch has no flow state: it lands what was uploaded, once.
    const { state, etag: stateEtag } = plan.upload ? { state: { version: 1 as const } as FlowState, etag: undefined } : await readFlowState(repo, scope, plan.flowId);
    const read = await extractAndLand(connector, plan, runId, outcome, deps, folders, state);
    packageBatch(read.extracted.inputFiles, outcome, deps.layout, folders.stagedBatch);
    const connectorState = read.extracted.state ?? state.connector;
    const nextState: FlowState = { version: 1, lastBatchId: folders.batchId, lastRunId: runId, ...(read.newWatermark ? { watermark: read.newWatermark } : {}), ...(connectorState !== undefined ? { connector: connectorState } : {}) };
    await commit(plan, runId, outcome, deps, folders, { state: nextState, etag: stateEtag });
    return outcome;
  } catch (error) {
    await recordFailure(plan, runId, outcome, deps, folders, error);
    return outcome;
  } finally {
    fs.rmSync(folders.staging, { recursive: true, force: true });
    fs.rmSync(folders.temp, { recursive: true, force: true });
  }
}

/**
 * The folders of this attempt. Each attempt stages in its own folder (see `RunDeps.attempt`); an upload lands as
 * the batch it was uploaded to, any other run as a new batch.
 */
function runFolders(plan: RunPlan, runId: string, deps: RunDeps): RunFolders {
  const attemptKey = deps.attempt ? `${runId}.${deps.attempt}` : runId;
  const staging = deps.layout.stagingDir(attemptKey);
  const batchId = plan.upload?.batchId ?? crypto.randomBytes(16).toString('hex');
  return {
    staging,
    temp: path.join(deps.layout.tempDir(), attemptKey),
    batchId,
    stagedBatch: path.join(staging, 'batch'),
    lakeBatch: deps.layout.batchDir(plan.scope.orgId, plan.scope.sandboxName, plan.target.dataSetId, batchId),
    moved: false,
  };
}

/** Reads the source into the staging folder and lands its rows (mapped, validated, written as Parquet) in the staged batch. */
async function extractAndLand(connector: SourceConnector, plan: RunPlan, runId: string, outcome: RunOutcome, deps: RunDeps, folders: RunFolders, state: FlowState): Promise<SourceRead> {
  // What an API read has done so far lands on the run record as it goes, one save after another.
  let saving = Promise.resolve();
  const reported = (streams: Record<string, unknown>[]) => {
    outcome.streams = streams;
    saving = saving.then(() => deps.progress?.(outcome)).catch(() => undefined);
  };
  const extracted = await extract(() =>
    connector.extract({
      auth: plan.source.auth,
      params: plan.source.params,
      data: plan.source.data,
      stagingDir: folders.staging,
      connectionId: plan.source.baseConnectionId,
      state: state.connector,
      window: plan.window,
      // Without a delta column, only what the source says is new since `state` may land again.
      changedOnly: plan.deltaColumn === undefined,
      ...(plan.deltaColumn ? { deltaColumn: { name: plan.deltaColumn.name, watermark: state.watermark, timezone: plan.deltaColumn.timezone } } : {}),
      ...(plan.source.saveCredentials ? { saveCredentials: plan.source.saveCredentials } : {}),
      ...(deps.progress ? { progress: reported } : {}),
    }),
  ).finally(() => saving);
  if (extracted.metrics) outcome.streams = extracted.metrics;
  // Added to what the engine noted before the read (a redelivered attempt says so).
  if (extracted.notices) outcome.notices = [...(outcome.notices ?? []), ...extracted.notices];
  outcome.inputFileCount = extracted.inputFiles.length;
  outcome.inputBytes = extracted.inputFiles.reduce((sum, f) => sum + f.bytes, 0);
  // Nothing new since the last run (every file unchanged): nothing is read, and an empty batch records the run.
  const newWatermark =
    extracted.relation === null
      ? state.watermark
      : await landRows(
          { ...extracted, relation: extracted.relation },
          { plan, state, runId, outcome, staging: folders.staging, temp: folders.temp, stagedBatch: folders.stagedBatch, layout: deps.layout, log: deps.log, progress: deps.progress },
        );
  return { extracted, newWatermark };
}

/** Completes the staged batch: the sources checked unchanged, its input manifest written, its output counted. */
function packageBatch(inputFiles: InputFile[], outcome: RunOutcome, layout: LakeLayout, stagedBatch: string): void {
  assertUnchanged(inputFiles);
  writeInputManifest(layout.inputFilesDir(stagedBatch), inputFiles);
  const files = listRegularFiles(path.join(stagedBatch, 'data')).filter((f) => f.name.endsWith('.parquet'));
  outcome.outputFileCount = files.length;
  outcome.outputBytes = files.reduce((sum, f) => sum + f.bytes, 0);
}

/**
 * The commit: the batch folder moves into the lake, then one transaction makes the batch, the flow's next state
 * and the run record visible. An upload's batch commits only if this completion still holds its claim.
 */
async function commit(plan: RunPlan, runId: string, outcome: RunOutcome, deps: RunDeps, folders: RunFolders, next: { state: FlowState; etag: string | undefined }): Promise<void> {
  const scope = storeScope(plan);
  const { batchId, lakeBatch } = folders;
  outcome.stage = 'committing';
  delete outcome.stagePercent;
  await deps.progress?.(outcome);
  fs.mkdirSync(path.dirname(lakeBatch), { recursive: true });
  fs.renameSync(folders.stagedBatch, lakeBatch);
  folders.moved = true;
  outcome.batchId = batchId;
  outcome.status = 'success';
  outcome.completedAt = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const tx = new ResourcesRepository(trx);
    const now = outcome.completedAt as number;
    const batch = { kind: batchKind, id: batchId, body: batchDocument(plan, batchId, runId, outcome, 'success'), secret: null, etag: String(now), createdAt: now, updatedAt: now };
    if (plan.upload) {
      const found = await tx.get(batchKind, scope, batchId);
      const existing = found ? storedBatch(found) : undefined;
      // A batch lands once, by the completion that claimed it: one that lost its claim (its process was taken
      // for gone and the batch completed elsewhere) must not commit.
      if (!existing || existing.body.status !== claimedStatus) {
        throw new RunFailure('INGEST-1001-500', `batch ${batchId} was completed or removed while it was being completed`, 'transient');
      }
      if (!(await tx.update(scope, { ...batch, body: completedUpload(existing.body, batch.body), createdAt: existing.createdAt }, existing.etag))) {
        throw new RunFailure('INGEST-1001-500', `batch ${batchId} changed while it was being completed`, 'transient');
      }
    } else {
      await tx.insert(scope, batch);
      await writeState(tx, scope, plan.flowId, next.state, next.etag, now);
    }
    await deps.finalRecord(outcome, trx);
    await deps.onCommit?.(trx);
  });
}

/**
 * A failed run: its reason on the outcome and in the log, the lake as it was (a batch folder moved before a failed
 * commit is taken out), and the run record written; rejected rows are kept as a failed batch when diagnostics are on.
 */
async function recordFailure(plan: RunPlan, runId: string, outcome: RunOutcome, deps: RunDeps, folders: RunFolders, error: unknown): Promise<void> {
  const scope = storeScope(plan);
  const { batchId, stagedBatch, lakeBatch } = folders;
  const failure = error instanceof RunFailure ? error : asFailure(error);
  // One line with the reason at warn; the stack, which only a developer reads, at debug.
  deps.log?.warn({ runId, flowId: plan.flowId, code: failure.code }, `run ${runId} failed: ${failure.message}`);
  deps.log?.debug({ err: error, runId }, 'run failure detail');
  outcome.status = 'failed';
  outcome.completedAt = deps.now();
  outcome.outputRecords = failure.kind === 'data' ? 0 : outcome.outputRecords;
  if (!outcome.errors.some((e) => e.code === failure.code && e.message === failure.message)) {
    outcome.errors.push({ code: failure.code, message: failure.message, ...(failure.recordCount !== undefined ? { recordCount: failure.recordCount } : {}) });
  }
  outcome.batchId = undefined;
  // A commit that failed after the move must not leave its files in the lake.
  if (folders.moved) fs.rmSync(lakeBatch, { recursive: true, force: true });
  // A run that failed on its rejected rows keeps them for download when diagnostics are on: a failed Catalog
  // batch with no data, only its `_meta/row_errors`, as AEP keeps a failed batch's error diagnostics.
  const kept = failure.kind === 'data' && !plan.upload && !folders.moved && keepRejectedRows(deps.layout, stagedBatch, lakeBatch);
  if (kept) outcome.batchId = batchId;
  try {
    await deps.db.transaction().execute(async (trx) => {
      const tx = new ResourcesRepository(trx);
      if (kept) {
        const now = outcome.completedAt as number;
        await tx.insert(scope, { kind: batchKind, id: batchId, body: batchDocument(plan, batchId, runId, outcome, 'failed'), secret: null, etag: String(now), createdAt: now, updatedAt: now });
      }
      await deps.finalRecord(outcome, trx);
    });
  } catch (recordError) {
    if (kept) fs.rmSync(lakeBatch, { recursive: true, force: true });
    throw recordError;
  }
}

/** Moves a failed run's package into the lake without its data when it holds rejected rows; false when it holds none. */
function keepRejectedRows(layout: LakeLayout, stagedBatch: string, lakeBatch: string): boolean {
  if (listRegularFiles(layout.rowErrorsDir(stagedBatch)).length === 0) return false;
  fs.rmSync(path.join(stagedBatch, 'data'), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(lakeBatch), { recursive: true });
  fs.renameSync(stagedBatch, lakeBatch);
  return true;
}

/** A source file that changed while the run read it several times could make counts and rows disagree. */
function assertUnchanged(files: InputFile[]): void {
  for (const file of files) {
    if (file.modifiedAt === undefined) continue;
    const now = fs.statSync(file.path, { throwIfNoEntry: false });
    if (!now || now.size !== file.bytes || now.mtimeMs !== file.modifiedAt) {
      throw new RunFailure('CONNECTOR-1001-500', `${path.basename(file.path)} changed while the run read it; nothing was ingested, re-trigger the run`, 'transient');
    }
  }
}

async function writeState(repo: ResourcesRepository, scope: { orgId: string; sandboxId: string }, flowId: string, state: FlowState, etag: string | undefined, now: number): Promise<void> {
  const next = String(now);
  if (etag === undefined) {
    await repo.insert(scope, { kind: flowStateKind, id: flowId, body: state, secret: null, etag: next, createdAt: now, updatedAt: now });
  } else if (!(await repo.update(scope, { kind: flowStateKind, id: flowId, body: state, secret: null, etag: next, createdAt: now, updatedAt: now }, etag))) {
    // Another run of the same flow committed first: this one's window is stale, so it must not land.
    throw new RunFailure('CONNECTOR-2001-500', 'another run of this flow committed while this one ran; re-trigger it', 'transient');
  }
}
