import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { RunLog as Logger } from './run-log.js';
import { CompileError } from '../mapping/compile-expression.js';
import { compileMapping, type SourceColumn } from '../mapping/compile-mapping.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import { SourceConfigError } from '../connectors/source-connector.js';
import { DuckDbSession } from '../lake/duckdb-session.js';
import type { LakeLayout } from '../lake/lake-layout.js';
import type { Database } from '../store/database.js';
import { ResourcesRepository } from '../store/resources.repository.js';
import { batchDocument, batchKind } from './batch-document.js';
import { connectorFor } from './connectors-by-spec.js';
import { deltaExpression } from './delta-expression.js';
import { flowStateKind, readFlowState, type FlowState } from './flow-state.js';
import { RunFailure } from './run-failure.js';
import type { RunOutcome } from './run-outcome.js';
import type { RunPlan } from './run-plan.js';

export interface RunDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  log?: Logger | undefined;
  /** Called as the run moves on, so its record shows progress. */
  progress?: (outcome: RunOutcome) => Promise<void>;
  /** Writes the final run record inside the commit transaction. */
  finalRecord: (outcome: RunOutcome, repo: ResourcesRepository) => Promise<void>;
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
  fs.mkdirSync(staging, { recursive: true });
  fs.mkdirSync(deps.layout.tempDir(), { recursive: true });
  const duck = await DuckDbSession.open({ tempDirectory: deps.layout.tempDir() });
  const batchId = crypto.randomBytes(16).toString('hex');
  const stagedBatch = path.join(staging, 'batch');
  try {
    await duck.run("SET TimeZone = 'UTC'");
    const connector = connectorFor(plan.source.specId);
    if (!connector) throw new RunFailure('CONNECTOR-1001-500', `no connector can read connection spec ${plan.source.specId} yet`, 'config');
    const extracted = await extract(() => connector.extract({ auth: plan.source.auth, params: plan.source.params, data: plan.source.data, stagingDir: staging }));
    outcome.inputFileCount = extracted.inputFiles.length;
    outcome.inputBytes = extracted.inputFiles.reduce((sum, f) => sum + f.bytes, 0);
    await deps.progress?.(outcome);

    // Stage: the rows of this run's window, with the delta value each carries.
    const { state, etag: stateEtag } = await readFlowState(repo, scope, plan.flowId);
    const sourceColumns = await describe(duck, `SELECT * FROM ${extracted.relation}`);
    const input = path.join(staging, 'input.parquet');
    let newWatermark = state.watermark;
    if (plan.deltaColumn) {
      const delta = deltaExpression(plan.deltaColumn, sourceColumns, 's');
      const lower = [state.watermark ? `TIMESTAMPTZ ${sqlString(state.watermark)}` : undefined, plan.window.start !== null ? `to_timestamp(${plan.window.start} / 1000.0)` : undefined].filter((v): v is string => v !== undefined);
      const conditions = [`(${delta}) <= to_timestamp(${plan.window.end} / 1000.0)`, ...lower.map((l) => `(${delta}) > ${l}`)];
      await duck.run(`COPY (SELECT s.*, ${delta} AS __delta FROM ${extracted.relation} s WHERE ${conditions.join(' AND ')}) TO ${sqlString(input)} (FORMAT parquet)`);
      outcome.skippedRecords = Number(await duck.scalar(`SELECT count(*) FROM ${extracted.relation} s WHERE (${delta}) IS NULL`));
      if (outcome.skippedRecords > 0) {
        outcome.errors.push({ code: 'INGEST-1401-400', message: `${outcome.skippedRecords} row(s) have no readable value in the delta column "${plan.deltaColumn.name}" and were skipped`, recordCount: outcome.skippedRecords });
      }
      const max = await duck.scalar(`SELECT strftime(max(__delta), '%Y-%m-%dT%H:%M:%S.%fZ') FROM read_parquet(${sqlString(input)})`);
      if (typeof max === 'string') newWatermark = max;
    } else {
      await duck.run(`COPY (SELECT s.* FROM ${extracted.relation} s) TO ${sqlString(input)} (FORMAT parquet)`);
    }
    const staged = Number(await duck.scalar(`SELECT count(*) FROM read_parquet(${sqlString(input)})`));
    outcome.inputRecords = staged + outcome.skippedRecords;
    await deps.progress?.(outcome);

    // Map and validate: XDM rows plus, per row, the reasons it cannot land.
    const stagedColumns = (await describe(duck, `SELECT * FROM read_parquet(${sqlString(input)})`)).filter((c) => c.name !== '__delta');
    let compiled;
    try {
      compiled = compileMapping(plan.mapping.rules, plan.schema, stagedColumns);
    } catch (error) {
      if (error instanceof CompileError) throw new RunFailure('MAPPER-3700-400', `the mapping cannot run: ${error.message}`, 'config');
      throw error;
    }
    const mapped = path.join(staging, 'mapped.parquet');
    const sourceRows = `SELECT * ${plan.deltaColumn ? 'EXCLUDE (__delta) ' : ''}FROM read_parquet(${sqlString(input)})`;
    await duck.run(`COPY (SELECT ${compiled.selectList}, to_json(s) AS _raw FROM (${sourceRows}) s) TO ${sqlString(mapped)} (FORMAT parquet)`);
    outcome.failedRecords = Number(await duck.scalar(`SELECT count(*) FROM read_parquet(${sqlString(mapped)}) WHERE len(_errors) > 0`));
    outcome.outputRecords = staged - outcome.failedRecords;
    if (outcome.failedRecords > 0) {
      const byCode = await duck.rows(`SELECT e.code AS code, count(*) AS n, min(e.message) AS example FROM (SELECT unnest(_errors) AS e FROM read_parquet(${sqlString(mapped)})) GROUP BY 1 ORDER BY 1`);
      for (const row of byCode) outcome.errors.push({ code: String(row.code), message: `${String(row.n)} error(s), e.g. ${String(row.example)}`, recordCount: Number(row.n) });
      outcome.errors.unshift({
        code: plan.options.errorDiagnosticsEnabled ? 'INGEST-1212-400' : 'INGEST-1211-400',
        message: `Encountered ${outcome.failedRecords} errors in the data. Successfully ingested ${outcome.outputRecords} rows.${plan.options.errorDiagnosticsEnabled ? ' Review the error diagnostics for details.' : ' Enable error diagnostics to download the rejected rows.'}`,
        recordCount: outcome.failedRecords,
      });
    }
    const allowed = plan.options.partialIngestionPercent ?? 0;
    const failedShare = staged === 0 ? 0 : (outcome.failedRecords / staged) * 100;
    if (failedShare > allowed) {
      throw new RunFailure('INGEST-1212-400', `${outcome.failedRecords} of ${staged} rows (${failedShare.toFixed(1)}%) were rejected, more than the ${allowed}% the flow allows; nothing was ingested`, 'data', outcome.failedRecords);
    }

    // Write: valid rows as Parquet, rejected rows as NDJSON diagnostics, all still inside the staging folder.
    fs.mkdirSync(stagedBatch, { recursive: true });
    if (outcome.outputRecords > 0) {
      const columns = compiled.columns.map(sqlIdentifier).join(', ');
      await duck.run(`COPY (SELECT ${columns} FROM read_parquet(${sqlString(mapped)}) WHERE len(_errors) = 0) TO ${sqlString(path.join(stagedBatch, 'data'))} (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${maxFileBytes})`);
    }
    if (outcome.failedRecords > 0 && plan.options.errorDiagnosticsEnabled) {
      const errorsDir = deps.layout.rowErrorsDir(stagedBatch);
      fs.mkdirSync(errorsDir, { recursive: true });
      await duck.run(`COPY (SELECT CAST(_raw AS VARCHAR) AS _corrupt_record, _errors FROM read_parquet(${sqlString(mapped)}) WHERE len(_errors) > 0) TO ${sqlString(path.join(errorsDir, 'conversion_errors_0.json'))} (FORMAT json)`);
    }
    const files = listFiles(path.join(stagedBatch, 'data'));
    outcome.outputFileCount = files.length;
    outcome.outputBytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);

    // Commit: the batch folder moves into the lake, then one transaction makes batch, state and run visible.
    const lakeBatch = deps.layout.batchDir(plan.scope.orgId, plan.scope.sandboxName, plan.target.dataSetId, batchId);
    fs.mkdirSync(path.dirname(lakeBatch), { recursive: true });
    fs.renameSync(stagedBatch, lakeBatch);
    outcome.batchId = batchId;
    outcome.status = 'success';
    outcome.completedAt = deps.now();
    const nextState: FlowState = { version: 1, lastBatchId: batchId, lastRunId: runId, ...(newWatermark ? { watermark: newWatermark } : {}) };
    await deps.db.transaction().execute(async (trx) => {
      const tx = new ResourcesRepository(trx);
      const now = outcome.completedAt as number;
      await tx.insert(scope, { kind: batchKind, id: batchId, body: batchDocument(plan, batchId, runId, outcome, 'success'), secret: null, etag: '1', createdAt: now, updatedAt: now });
      await writeState(tx, scope, plan.flowId, nextState, stateEtag, now);
      await deps.finalRecord(outcome, tx);
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
    await deps.db.transaction().execute(async (trx) => deps.finalRecord(outcome, new ResourcesRepository(trx)));
    return outcome;
  } finally {
    duck.close();
    fs.rmSync(staging, { recursive: true, force: true });
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

/** Source reads are retried on transient errors (I/O hiccups), with backoff; misconfigurations fail at once. */
async function extract<T>(read: () => Promise<T>): Promise<T> {
  const delays = [200, 1000, 3000];
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof SourceConfigError) throw new RunFailure('CONNECTOR-1002-400', error.message, 'config');
      const delay = delays[attempt];
      if (delay === undefined) throw new RunFailure('CONNECTOR-1001-500', `Error in copying the data from source: ${error instanceof Error ? error.message : String(error)}`, 'transient');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function describe(duck: DuckDbSession, sql: string): Promise<SourceColumn[]> {
  return (await duck.rows(`DESCRIBE ${sql}`)).map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.parquet')).map((f) => path.join(dir, f));
}

/** DuckDB reports unreadable input (bad CSV, wrong format) as plain errors: the user must fix the source. */
function asFailure(error: unknown): RunFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (/Invalid Input Error|Conversion Error|Parser Error|No files found|Could not read/i.test(message)) {
    return new RunFailure('CONNECTOR-1002-400', `the source data cannot be read: ${message.split('\n')[0] ?? message}`, 'config');
  }
  return new RunFailure('CONNECTOR-2001-500', `Error occurred at promotion activity: ${message.split('\n')[0] ?? message}`, 'internal');
}
