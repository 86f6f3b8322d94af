import fs from 'node:fs';
import path from 'node:path';
import type { Extracted } from '../connectors/source-connector.js';
import { CompileError } from '../mapping/compile-expression.js';
import { compileMapping, type CompiledMapping } from '../mapping/compile-mapping.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import { DuckDbSession } from '../lake/duckdb-session.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import { writeDeletions, writeSnapshotMark } from './batch-meta.js';
import type { FlowState } from './flow-state.js';
import { RunFailure } from './run-failure.js';
import type { RunLog } from './run-log.js';
import type { RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';
import { isMalformedInput, openSourceWindow, type SourceWindow } from './source-window.js';

/** Parquet files are cut at this size, so no file grows without bound. */
const maxFileBytes = 256 * 1024 * 1024;

/** What a run lands rows with: its plan and state, its own folders, and where it reports. */
export interface Landing {
  plan: RunPlan;
  state: FlowState;
  runId: string;
  outcome: RunOutcome;
  /** The run's staging folder (DuckDB may read and write there). */
  staging: string;
  /** Where DuckDB may spill. */
  temp: string;
  /** The batch package being built; the commit moves it into the lake. */
  stagedBatch: string;
  layout: LakeLayout;
  log?: RunLog | undefined;
  progress?: ((outcome: RunOutcome) => Promise<void>) | undefined;
}

/**
 * Stage, map, validate, write: reads the extracted rows in the run's window, maps them to the target schema,
 * writes the valid ones as Parquet into the batch package and the rejected ones (with diagnostics on) beside
 * them, counting everything on the outcome. Returns the watermark the landed rows reach.
 */
export async function landRows(read: Extracted & { relation: string }, landing: Landing): Promise<string | undefined> {
  const { plan, state, runId, outcome, staging, temp, stagedBatch } = landing;
  let extracted = read;
  // The SQL of a run is built from client text (mappings, schemas); the session may touch only its own files.
  const duck = await DuckDbSession.open({ tempDirectory: temp, allowedDirectories: [...new Set(extracted.inputFiles.map((f) => path.dirname(f.path))), staging] });
  try {
    outcome.stage = 'reading';
    await landing.progress?.(outcome);
    const dataDir = path.join(stagedBatch, 'data');

    // Stage, map, validate and write in one read of the source: its rows go straight to Parquet in the package,
    // counted on the way (see source-window.ts). File sources are read where they lie (copying them would cost
    // more than reading them again for rejected rows); their size and modification time are checked again
    // before the commit instead.
    let read: { window: SourceWindow; compiled: CompiledMapping; written: number };
    try {
      read = await writeWindow(duck, extracted, landing, dataDir);
    } catch (error) {
      // A reader that stops at the first malformed record gets one more go, with those records set aside.
      if (error instanceof RunFailure) throw error;
      if (!extracted.salvage || !isMalformedInput(error)) {
        const explained = extracted.explainFailure?.(error);
        throw explained ? new RunFailure('CONNECTOR-1002-400', explained, 'config') : error;
      }
      landing.log?.warn({ runId, flowId: plan.flowId }, 'source has malformed records; reading the rest');
      extracted = { ...extracted, ...(await extracted.salvage(duck)) };
      // The failed read may have left part of a file behind.
      fs.rmSync(dataDir, { recursive: true, force: true });
      read = await writeWindow(duck, extracted, landing, dataDir);
    }
    const { window, compiled, written } = read;
    const { windowRows, deletedRows } = window;
    const counts = await window.counts();
    outcome.deletedRecords = counts.deleted;
    outcome.skippedRecords = counts.skipped;
    const { staged } = counts;
    // The tally and the writer count the landed rows apart: should DuckDB ever call the tally for fewer rows
    // than it reads (an optimiser that tests another condition first), the counts would be wrong, so nothing lands.
    if (written !== staged - counts.rejected) throw new Error(`the run counted ${staged - counts.rejected} valid rows but wrote ${written}`);
    // With no row to land DuckDB still writes an empty file; the batch has none.
    if (staged === 0) fs.rmSync(dataDir, { recursive: true, force: true });
    // Rows the reader could not parse were set aside by the read; later reads would set them aside again.
    const unparsable = extracted.rejects ? Number(await duck.scalar(`SELECT count(*) FROM (${extracted.rejects})`)) : 0;
    const parsingErrors = unparsable > 0 ? path.join(staging, 'parsing_errors.json') : undefined;
    if (parsingErrors) {
      await duck.run(`COPY (SELECT raw AS _corrupt_record, [struct_pack(code := 'INGEST-1401-400', message := message || ' at line ' || line)] AS _errors FROM (${extracted.rejects})) TO ${sqlString(parsingErrors)} (FORMAT json)`);
    }
    const newWatermark = counts.watermark ?? state.watermark;
    if (outcome.skippedRecords > 0 && plan.deltaColumn) {
      outcome.errors.push({ code: 'INGEST-1401-400', message: `${outcome.skippedRecords} row(s) have no readable value in the delta column "${plan.deltaColumn.name}" and were skipped`, recordCount: outcome.skippedRecords });
    }
    outcome.inputRecords = staged + outcome.skippedRecords + unparsable;
    outcome.outputRecords = written;
    outcome.failedRecords = staged - written + unparsable;
    const mapped = `(${compiled.select(windowRows)})`;

    // Rejected rows are rare: only then is the source read again, for their reasons and diagnostics.
    if (outcome.failedRecords > 0) {
      const rejected = `${mapped} WHERE len(_errors) > 0`;
      const byCode = staged - written > 0 ? await duck.rows(`SELECT e.code AS code, count(*) AS n, min(e.message) AS example FROM (SELECT unnest(_errors) AS e FROM ${rejected}) GROUP BY 1 ORDER BY 1`) : [];
      if (unparsable > 0) byCode.push({ code: 'INGEST-1401-400', n: unparsable, example: 'a row that could not be parsed' });
      for (const row of byCode) outcome.errors.push({ code: String(row.code), message: `${String(row.n)} error(s), e.g. ${String(row.example)}`, recordCount: Number(row.n) });
      const allowed = plan.options.partialIngestionPercent ?? 0;
      const failedShare = (outcome.failedRecords / (staged + unparsable)) * 100;
      const ingested = failedShare > allowed ? 'Nothing was ingested.' : `Successfully ingested ${outcome.outputRecords} rows.`;
      outcome.errors.unshift({
        code: plan.options.errorDiagnosticsEnabled ? 'INGEST-1212-400' : 'INGEST-1211-400',
        message: `Encountered ${outcome.failedRecords} errors in the data. ${ingested}${plan.options.errorDiagnosticsEnabled ? ' Review the error diagnostics for details.' : ' Enable error diagnostics to download the rejected rows.'}`,
        recordCount: outcome.failedRecords,
      });
      if (plan.options.errorDiagnosticsEnabled) {
        const errorsDir = landing.layout.rowErrorsDir(stagedBatch);
        fs.mkdirSync(errorsDir, { recursive: true });
        const withRaw = `(SELECT s.*, CAST(to_json(s) AS VARCHAR) AS __raw FROM ${windowRows} s)`;
        if (staged - written > 0) {
          await duck.run(`COPY (SELECT __raw AS _corrupt_record, _errors FROM (${compiled.select(withRaw, { carry: ['__raw'] })}) WHERE len(_errors) > 0) TO ${sqlString(path.join(errorsDir, 'conversion_errors_0.json'))} (FORMAT json)`);
        }
        if (parsingErrors) fs.copyFileSync(parsingErrors, path.join(errorsDir, 'parsing_errors_0.json'));
      }
      // Checked after the diagnostics are written: a run that fails on its rejected rows keeps them, as AEP does.
      if (failedShare > allowed) {
        throw new RunFailure('INGEST-1212-400', `${outcome.failedRecords} of ${staged + unparsable} rows (${failedShare.toFixed(1)}%) were rejected, more than the ${allowed}% the flow allows; nothing was ingested`, 'data', outcome.failedRecords);
      }
    }
    if (outcome.deletedRecords > 0 && deletedRows) await writeDeletions(duck, compiled, deletedRows, landing.layout.deletionsDir(stagedBatch), outcome);
    if (extracted.snapshot) writeSnapshotMark(landing.layout.snapshotDir(stagedBatch), runId);
    return newWatermark;
  } finally {
    duck.close();
  }
}

/**
 * Describes the source, compiles the mapping against its columns, and writes the window's valid rows as
 * Parquet, the source's one full read. Returns the number of rows written.
 */
async function writeWindow(duck: DuckDbSession, extracted: Extracted & { relation: string }, landing: Landing, dataDir: string): Promise<{ window: SourceWindow; compiled: CompiledMapping; written: number }> {
  const { plan, state, outcome } = landing;
  const window = await openSourceWindow(duck, extracted, plan, state);
  let compiled;
  try {
    const derived = plan.mapping.derive ? plan.mapping.derive(window.sourceColumns) : { rules: plan.mapping.rules, extraneous: [] };
    compiled = compileMapping(derived.rules, plan.schema, window.sourceColumns, 's', { extraneous: derived.extraneous, absentColumns: plan.mapping.absentColumns ?? 'error' });
  } catch (error) {
    if (error instanceof CompileError) throw new RunFailure('MAPPER-3700-400', `the mapping cannot run: ${error.message}`, 'config');
    throw error;
  }
  outcome.stage = 'writing';
  await landing.progress?.(outcome);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const columns = compiled.columns.map(sqlIdentifier).join(', ');
  const judged = `(${compiled.select(window.sortedRows, { verdict: 'valid', carry: window.carried })})`;
  const written = Number(await reportingProgress(duck, outcome, landing.progress, () => duck.scalar(
    `COPY (SELECT ${columns} FROM ${judged} WHERE ${window.counted('_valid')}) TO ${sqlString(dataDir)} (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${maxFileBytes})`,
  )));
  return { window, compiled, written };
}

/** While a long statement runs, its progress is saved on the run about once a second, for `tributary run --wait`. */
async function reportingProgress<T>(duck: DuckDbSession, outcome: RunOutcome, progress: Landing['progress'], work: () => Promise<T>): Promise<T> {
  if (!progress) return work();
  let saving: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const percent = duck.progress();
    if (percent === null) return;
    outcome.stagePercent = percent;
    saving = saving.then(() => progress(outcome)).catch(() => undefined);
  }, 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await saving;
  }
}
