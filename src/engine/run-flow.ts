import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { RunLog as Logger } from './run-log.js';
import { CompileError } from '../mapping/compile-expression.js';
import { compileMapping } from '../mapping/compile-mapping.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import type { InputFile } from '../connectors/source-connector.js';
import { listRegularFiles } from '../lake/batch-files.js';
import { DuckDbSession } from '../lake/duckdb-session.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { Database } from '../store/database.js';
import { ResourcesRepository } from '../store/resources.repository.js';
import { batchDocument, batchKind, completedUpload, uncommittedStatuses } from './batch-document.js';
import type { ConnectorLookup } from './connectors-by-spec.js';
import { writeDeletions, writeInputManifest, writeSnapshotMark } from './batch-meta.js';
import { flowStateKind, readFlowState, type FlowState } from './flow-state.js';
import { RunFailure } from './run-failure.js';
import type { RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import { asFailure, extract } from './source-failures.js';
import { isMalformedInput, surveySource, type Survey } from './source-survey.js';

export interface RunDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  log?: Logger | undefined;
  connectors: ConnectorLookup;
  /** Called as the run moves on, so its record shows progress. */
  progress?: (outcome: RunOutcome) => Promise<void>;
  /** Writes the final run record inside the commit transaction. */
  finalRecord: (outcome: RunOutcome, repo: ResourcesRepository) => Promise<void>;
  /** More to commit with a successful batch, in its transaction (streaming deletes the records it landed). */
  onCommit?: ((trx: Transaction<Database>) => Promise<void>) | undefined;
}

/** Parquet files are cut at this size, so no file grows without bound. */
const maxFileBytes = 256 * 1024 * 1024;

/**
 * One run, as a load package: extract → stage → map → validate → write → commit. Everything before the commit
 * happens in the run's staging folder; the commit moves the batch folder into the lake and, in one metadata
 * transaction, marks the Catalog batch successful and advances the flow's watermark. A failure anywhere before
 * it leaves the lake and the state as they were.
 */
export async function runFlow(plan: RunPlan, runId: string, outcome: RunOutcome, deps: RunDeps): Promise<RunOutcome> {
  const repo = new ResourcesRepository(deps.db);
  const scope = { orgId: plan.scope.orgId, sandboxId: plan.scope.sandboxId };
  const staging = deps.layout.stagingDir(runId);
  const temp = path.join(deps.layout.tempDir(), runId);
  const batchId = plan.upload?.batchId ?? crypto.randomBytes(16).toString('hex');
  const stagedBatch = path.join(staging, 'batch');
  const lakeBatch = deps.layout.batchDir(plan.scope.orgId, plan.scope.sandboxName, plan.target.dataSetId, batchId);
  let duck: DuckDbSession | undefined;
  let moved = false;
  try {
    fs.mkdirSync(staging, { recursive: true });
    fs.mkdirSync(temp, { recursive: true });
    outcome.stage = 'extracting';
    const connector = deps.connectors(plan.source.specId);
    if (!connector) throw new RunFailure('CONNECTOR-1001-500', `no connector can read connection spec ${plan.source.specId} yet`, 'config');
    const { state, etag: stateEtag } = plan.upload ? { state: { version: 1 as const } as FlowState, etag: undefined } : await readFlowState(repo, scope, plan.flowId);
    let extracted = await extract(() =>
      connector.extract({
        auth: plan.source.auth,
        params: plan.source.params,
        data: plan.source.data,
        stagingDir: staging,
        state: state.connector,
        window: plan.window,
        ...(plan.source.saveCredentials ? { saveCredentials: plan.source.saveCredentials } : {}),
      }),
    );
    if (extracted.metrics) outcome.streams = extracted.metrics;
    if (extracted.notices) outcome.notices = extracted.notices;
    // The SQL of a run is built from client text (mappings, schemas); the session may touch only its own files.
    duck = await DuckDbSession.open({ tempDirectory: temp, allowedDirectories: [...new Set(extracted.inputFiles.map((f) => path.dirname(f.path))), staging] });
    outcome.inputFileCount = extracted.inputFiles.length;
    outcome.inputBytes = extracted.inputFiles.reduce((sum, f) => sum + f.bytes, 0);
    outcome.stage = 'reading';
    await deps.progress?.(outcome);

    // Stage. File sources are read where they lie (copying them would cost more than reading them twice);
    // their size and modification time are checked again before the commit instead.
    let survey: Survey;
    try {
      const session = duck;
      survey = await reportingProgress(session, outcome, deps, () => surveySource(session, extracted, plan, state));
    } catch (error) {
      // A reader that stops at the first malformed record gets one more go, with those records set aside.
      if (!extracted.salvage || !isMalformedInput(error)) throw error;
      deps.log?.warn({ runId, flowId: plan.flowId }, 'source has malformed records; reading the rest');
      extracted = { ...extracted, ...(await extracted.salvage(duck)) };
      survey = await surveySource(duck, extracted, plan, state);
    }
    const { sourceColumns, windowRows, deletedRows, stats } = survey;
    outcome.deletedRecords = Number(stats.deleted ?? 0);
    outcome.skippedRecords = Number(stats.skipped ?? 0);
    const staged = Number(stats.staged ?? 0);
    // Rows the reader could not parse were set aside by that first pass; later passes would set them aside again.
    const unparsable = extracted.rejects ? Number(await duck.scalar(`SELECT count(*) FROM (${extracted.rejects})`)) : 0;
    const parsingErrors = unparsable > 0 ? path.join(staging, 'parsing_errors.json') : undefined;
    if (parsingErrors) {
      await duck.run(`COPY (SELECT raw AS _corrupt_record, [struct_pack(code := 'INGEST-1401-400', message := message || ' at line ' || line)] AS _errors FROM (${extracted.rejects})) TO ${sqlString(parsingErrors)} (FORMAT json)`);
    }
    const newWatermark = typeof stats.watermark === 'string' ? stats.watermark : state.watermark;
    if (outcome.skippedRecords > 0 && plan.deltaColumn) {
      outcome.errors.push({ code: 'INGEST-1401-400', message: `${outcome.skippedRecords} row(s) have no readable value in the delta column "${plan.deltaColumn.name}" and were skipped`, recordCount: outcome.skippedRecords });
    }
    outcome.inputRecords = staged + outcome.skippedRecords;
    outcome.stage = 'writing';
    await deps.progress?.(outcome);

    // Map, validate and write in one pass: the rows that may land go straight to Parquet in the package.
    let compiled;
    try {
      const derived = plan.mapping.derive ? plan.mapping.derive(sourceColumns) : { rules: plan.mapping.rules, extraneous: [] };
      compiled = compileMapping(derived.rules, plan.schema, sourceColumns, 's', { extraneous: derived.extraneous, absentColumns: plan.mapping.absentColumns ?? 'error' });
    } catch (error) {
      if (error instanceof CompileError) throw new RunFailure('MAPPER-3700-400', `the mapping cannot run: ${error.message}`, 'config');
      throw error;
    }
    fs.mkdirSync(stagedBatch, { recursive: true });
    const dataDir = path.join(stagedBatch, 'data');
    const columns = compiled.columns.map(sqlIdentifier).join(', ');
    const mapped = `(${compiled.select(windowRows)})`;
    const judged = `(${compiled.select(windowRows, { verdict: 'valid' })})`;
    const session = duck;
    const written = staged === 0 ? 0 : Number(await reportingProgress(session, outcome, deps, () => session.scalar(
      `COPY (SELECT ${columns} FROM ${judged} WHERE _valid) TO ${sqlString(dataDir)} (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${maxFileBytes})`,
    )));
    outcome.outputRecords = written;
    outcome.failedRecords = staged - written + unparsable;
    outcome.inputRecords += unparsable;

    // Rejected rows are rare: only then is the source read again, for their reasons and diagnostics.
    if (outcome.failedRecords > 0) {
      const rejected = `${mapped} WHERE len(_errors) > 0`;
      const byCode = staged - written > 0 ? await duck.rows(`SELECT e.code AS code, count(*) AS n, min(e.message) AS example FROM (SELECT unnest(_errors) AS e FROM ${rejected}) GROUP BY 1 ORDER BY 1`) : [];
      if (unparsable > 0) byCode.push({ code: 'INGEST-1401-400', n: unparsable, example: 'a row that could not be parsed' });
      for (const row of byCode) outcome.errors.push({ code: String(row.code), message: `${String(row.n)} error(s), e.g. ${String(row.example)}`, recordCount: Number(row.n) });
      outcome.errors.unshift({
        code: plan.options.errorDiagnosticsEnabled ? 'INGEST-1212-400' : 'INGEST-1211-400',
        message: `Encountered ${outcome.failedRecords} errors in the data. Successfully ingested ${outcome.outputRecords} rows.${plan.options.errorDiagnosticsEnabled ? ' Review the error diagnostics for details.' : ' Enable error diagnostics to download the rejected rows.'}`,
        recordCount: outcome.failedRecords,
      });
      const allowed = plan.options.partialIngestionPercent ?? 0;
      const failedShare = (outcome.failedRecords / (staged + unparsable)) * 100;
      if (failedShare > allowed) {
        throw new RunFailure('INGEST-1212-400', `${outcome.failedRecords} of ${staged + unparsable} rows (${failedShare.toFixed(1)}%) were rejected, more than the ${allowed}% the flow allows; nothing was ingested`, 'data', outcome.failedRecords);
      }
      if (plan.options.errorDiagnosticsEnabled) {
        const errorsDir = deps.layout.rowErrorsDir(stagedBatch);
        fs.mkdirSync(errorsDir, { recursive: true });
        const withRaw = `(SELECT s.*, CAST(to_json(s) AS VARCHAR) AS __raw FROM ${windowRows} s)`;
        if (staged - written > 0) {
          await duck.run(`COPY (SELECT __raw AS _corrupt_record, _errors FROM (${compiled.select(withRaw, { carry: ['__raw'] })}) WHERE len(_errors) > 0) TO ${sqlString(path.join(errorsDir, 'conversion_errors_0.json'))} (FORMAT json)`);
        }
        if (parsingErrors) fs.copyFileSync(parsingErrors, path.join(errorsDir, 'parsing_errors_0.json'));
      }
    }
    if (outcome.deletedRecords > 0 && deletedRows) await writeDeletions(duck, compiled, deletedRows, deps.layout.deletionsDir(stagedBatch), outcome);
    if (extracted.snapshot) writeSnapshotMark(deps.layout.snapshotDir(stagedBatch), runId);
    assertUnchanged(extracted.inputFiles);
    writeInputManifest(deps.layout.inputFilesDir(stagedBatch), extracted.inputFiles);
    const files = listRegularFiles(path.join(stagedBatch, 'data')).filter((f) => f.name.endsWith('.parquet'));
    outcome.outputFileCount = files.length;
    outcome.outputBytes = files.reduce((sum, f) => sum + f.bytes, 0);

    // Commit: the batch folder moves into the lake, then one transaction makes batch, state and run visible.
    outcome.stage = 'committing';
    delete outcome.stagePercent;
    await deps.progress?.(outcome);
    fs.mkdirSync(path.dirname(lakeBatch), { recursive: true });
    fs.renameSync(stagedBatch, lakeBatch);
    moved = true;
    outcome.batchId = batchId;
    outcome.status = 'success';
    outcome.completedAt = deps.now();
    const connectorState = extracted.state ?? state.connector;
    const nextState: FlowState = { version: 1, lastBatchId: batchId, lastRunId: runId, ...(newWatermark ? { watermark: newWatermark } : {}), ...(connectorState !== undefined ? { connector: connectorState } : {}) };
    await deps.db.transaction().execute(async (trx) => {
      const tx = new ResourcesRepository(trx);
      const now = outcome.completedAt as number;
      const batch = { kind: batchKind, id: batchId, body: batchDocument(plan, batchId, runId, outcome, 'success'), secret: null, etag: String(now), createdAt: now, updatedAt: now };
      if (plan.upload) {
        const existing = await tx.get(batchKind, scope, batchId);
        const created = existing && existing.body !== null && typeof existing.body === 'object' ? (existing.body as Record<string, unknown>) : undefined;
        // A batch lands once: another completion of it (a retry, another server) that committed first wins.
        if (!existing || !created || !uncommittedStatuses.includes(String(created.status))) {
          throw new RunFailure('INGEST-1001-500', `batch ${batchId} was completed or removed while it was being completed`, 'transient');
        }
        if (!(await tx.update(scope, { ...batch, body: completedUpload(created, batch.body), createdAt: existing.createdAt }, existing.etag))) {
          throw new RunFailure('INGEST-1001-500', `batch ${batchId} changed while it was being completed`, 'transient');
        }
      } else {
        await tx.insert(scope, batch);
        await writeState(tx, scope, plan.flowId, nextState, stateEtag, now);
      }
      await deps.finalRecord(outcome, tx);
      await deps.onCommit?.(trx);
    });
    return outcome;
  } catch (error) {
    const failure = error instanceof RunFailure ? error : asFailure(error);
    deps.log?.warn({ err: error, runId, flowId: plan.flowId }, 'run failed');
    outcome.status = 'failed';
    outcome.completedAt = deps.now();
    outcome.outputRecords = failure.kind === 'data' ? 0 : outcome.outputRecords;
    if (!outcome.errors.some((e) => e.code === failure.code && e.message === failure.message)) {
      outcome.errors.push({ code: failure.code, message: failure.message, ...(failure.recordCount !== undefined ? { recordCount: failure.recordCount } : {}) });
    }
    outcome.batchId = undefined;
    // A commit that failed after the move must not leave its files in the lake.
    if (moved) fs.rmSync(lakeBatch, { recursive: true, force: true });
    await deps.db.transaction().execute(async (trx) => deps.finalRecord(outcome, new ResourcesRepository(trx)));
    return outcome;
  } finally {
    duck?.close();
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** While a long statement runs, its progress is saved on the run about once a second, for `tributary run --wait`. */
async function reportingProgress<T>(duck: DuckDbSession, outcome: RunOutcome, deps: RunDeps, work: () => Promise<T>): Promise<T> {
  if (!deps.progress) return work();
  let saving: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const percent = duck.progress();
    if (percent === null) return;
    outcome.stagePercent = percent;
    saving = saving.then(() => deps.progress?.(outcome)).catch(() => undefined);
  }, 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await saving;
  }
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
