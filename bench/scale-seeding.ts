/**
 * Bulk seeding for `bench:scale`: flows, finished runs and their Catalog batches written straight into the metadata
 * tables in multi-row inserts, a million rows in minutes where the API would take hours. The rows are the ones the
 * store and the engine write: bodies from `runDocument` and `batchDocument`, index rows from `flowRows`,
 * `flowRunRow`, `batchRow` and `tagRows`, and each flow's `flow_last_runs` row, so the server reads them as its own.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { batchDocument, batchKind } from '../src/engine/batch-document.js';
import { runDocument, runKind } from '../src/engine/run-document.js';
import { emptyOutcome, type RunOutcome } from '../src/engine/run-outcome.js';
import type { RunPlan } from '../src/engine/run-plan.js';
import { flowRunRow } from '../src/store/run-index.js';
import { batchRow } from '../src/store/batch-index.js';
import { tagRows } from '../src/store/tag-index.js';
import { newEtag } from '../src/store/cosmos-etag.js';
import type { Database, FlowLastRunsTable, ResourcesTable } from '../src/store/database.js';
import { flowKind, flowRows } from '../src/store/flow-index.js';
import type { StoredResource } from '../src/store/resources.repository.js';
import { cloudStorageFlowSpec, localFilesSpec } from './scale-environment.js';

/** Rows per INSERT: 500 rows of 10 columns stay far under PostgreSQL's 65,535 bound parameters. */
const rowsPerInsert = 500;

export interface SeedScope {
  orgId: string;
  sandboxId: string;
  sandboxName: string;
}

/** A seeded flow, with what its runs and batches name. */
export interface SeededFlow {
  flowId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  dataSetId: string;
}

function resourceRow(scope: SeedScope, resource: StoredResource): ResourcesTable {
  return {
    kind: resource.kind,
    id: resource.id,
    org_id: scope.orgId,
    sandbox_id: scope.sandboxId,
    body: JSON.stringify(resource.body),
    secret: null,
    etag: resource.etag,
    created_at: resource.createdAt,
    updated_at: resource.updatedAt,
    unique_key: null,
  };
}

/**
 * `count` copies of `template` (a flow created over HTTP, read back from the store), each with its own id, name and
 * `scheduleOf(i)`; `spread[i]` says which of the templates' targets the copy writes to (round robin).
 */
export async function seedFlows(db: Kysely<Database>, scope: SeedScope, templates: { flow: StoredResource; dataSetId: string }[], count: number, scheduleOf: (i: number) => Record<string, unknown>): Promise<SeededFlow[]> {
  const seeded: SeededFlow[] = [];
  const base = Date.now() - count * 1000;
  for (let from = 0; from < count; from += rowsPerInsert) {
    const resources: ResourcesTable[] = [];
    const flows: ReturnType<typeof flowRows>[] = [];
    for (let i = from; i < Math.min(count, from + rowsPerInsert); i += 1) {
      const template = templates[i % templates.length];
      if (!template) throw new Error('seedFlows needs at least one template');
      const body = template.flow.body as Record<string, unknown> & { sourceConnectionIds: string[]; targetConnectionIds: string[] };
      const id = crypto.randomUUID();
      const etag = newEtag();
      const createdAt = base + i * 1000;
      const flow: StoredResource = { kind: flowKind, id, body: { ...body, id, name: `scale flow ${i}`, scheduleParams: scheduleOf(i), createdAt, updatedAt: createdAt, etag }, secret: null, etag, createdAt, updatedAt: createdAt };
      resources.push(resourceRow(scope, flow));
      flows.push(flowRows(scope, flow));
      seeded.push({ flowId: id, sourceConnectionId: body.sourceConnectionIds[0] ?? '', targetConnectionId: body.targetConnectionIds[0] ?? '', dataSetId: template.dataSetId });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('resources').values(resources).execute();
      await trx.insertInto('flows').values(flows.map((f) => f.flow)).execute();
      const connections = flows.flatMap((f) => f.connections);
      for (let i = 0; i < connections.length; i += rowsPerInsert) await trx.insertInto('flow_connections').values(connections.slice(i, i + rowsPerInsert)).execute();
    });
  }
  return seeded;
}

/**
 * `total` finished runs, spread round robin over `flows` and 10 s apart (the newest a minute ago); one in ten
 * failed. Each successful run has its batch, as a run's commit writes one, until `batches` have been written.
 * Returns how many batches were written.
 */
export async function seedRuns(db: Kysely<Database>, scope: SeedScope, actor: RunPlan['actor'], flows: SeededFlow[], total: number, batches: number, progress?: (done: number) => void): Promise<number> {
  const spacingMs = 10_000;
  const base = Date.now() - 60_000 - total * spacingMs;
  const newest = new Map<string, FlowLastRunsTable>();
  let batchesWritten = 0;
  // Two chunks in flight: one being built in JS while the database takes the other.
  let pending: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < total; from += rowsPerInsert) {
    const runs: StoredResource[] = [];
    const landed: StoredResource[] = [];
    for (let i = from; i < Math.min(total, from + rowsPerInsert); i += 1) {
      const flow = flows[i % flows.length];
      if (!flow) throw new Error('seedRuns needs at least one flow');
      const createdAt = base + i * spacingMs;
      const completedAt = createdAt + 4_000;
      const runId = crypto.randomUUID();
      const failed = i % 10 === 9;
      const window = { start: null, end: createdAt - 60_000 };
      const plan = planOf(scope, actor, flow, window);
      const batchId = !failed && batchesWritten < batches ? crypto.randomBytes(12).toString('hex') : undefined;
      const outcome: RunOutcome = {
        ...emptyOutcome(createdAt, window),
        status: failed ? 'failed' : 'success',
        completedAt,
        inputFileCount: 1,
        inputBytes: 120_000,
        inputRecords: failed ? 0 : 1000,
        outputRecords: failed ? 0 : 1000,
        outputFileCount: failed ? 0 : 1,
        outputBytes: failed ? 0 : 40_000,
        ...(batchId ? { batchId } : {}),
        errors: failed ? [{ code: 'CONNECTOR-2001-500', message: 'The source file could not be read.' }] : [],
      };
      const etag = newEtag();
      runs.push({ kind: runKind, id: runId, body: runDocument(plan, runId, etag, createdAt, outcome), secret: null, etag, createdAt, updatedAt: completedAt });
      if (batchId) {
        batchesWritten += 1;
        landed.push({ kind: batchKind, id: batchId, body: batchDocument(plan, batchId, runId, outcome, 'success'), secret: null, etag: String(completedAt), createdAt: completedAt, updatedAt: completedAt });
      }
      newest.set(flow.flowId, { org_id: scope.orgId, sandbox_id: scope.sandboxId, flow_id: flow.flowId, run_id: runId, created_at: createdAt });
    }
    const inserts = Promise.all([
      db.insertInto('resources').values(runs.map((r) => resourceRow(scope, r))).execute(),
      db.insertInto('flow_runs').values(runs.map((r) => flowRunRow(scope, r))).execute(),
      landed.length > 0 ? db.insertInto('resources').values(landed.map((b) => resourceRow(scope, b))).execute() : undefined,
      landed.length > 0 ? db.insertInto('catalog_batches').values(landed.map((b) => batchRow(scope, b))).execute() : undefined,
      // A few tags a batch: at most 2,000 rows of 8 columns, under the bound too.
      landed.length > 0 ? db.insertInto('catalog_tags').values(landed.flatMap((b) => tagRows(scope, 'batches', b))).execute() : undefined,
    ]);
    await pending;
    pending = inserts;
    progress?.(Math.min(total, from + rowsPerInsert));
  }
  await pending;
  const last = [...newest.values()];
  for (let i = 0; i < last.length; i += rowsPerInsert) {
    await db
      .insertInto('flow_last_runs')
      .values(last.slice(i, i + rowsPerInsert))
      .onConflict((oc) => oc.columns(['org_id', 'sandbox_id', 'flow_id']).doUpdateSet({ run_id: (eb) => eb.ref('excluded.run_id'), created_at: (eb) => eb.ref('excluded.created_at') }))
      .execute();
  }
  return batchesWritten;
}

/** The plan a run of `flow` would have had, as far as its run record and batch show it. */
function planOf(scope: SeedScope, actor: RunPlan['actor'], flow: SeededFlow, window: RunPlan['window']): RunPlan {
  return {
    flowId: flow.flowId,
    flowSpec: { id: cloudStorageFlowSpec, version: '1.0' },
    scope,
    actor,
    source: { connectionId: flow.sourceConnectionId, specId: localFilesSpec, auth: {}, params: {}, data: {} },
    target: { connectionId: flow.targetConnectionId, dataSetId: flow.dataSetId, schemaId: '' },
    schema: {},
    mapping: { id: '', version: 0, rules: [] },
    options: { errorDiagnosticsEnabled: false },
    window,
  };
}
