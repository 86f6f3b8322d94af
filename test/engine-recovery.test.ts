import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { availableBackends, sqlInSchema } from './support/backends.js';
import { attemptRefused, leaveInterruptedRun } from './support/interrupted-run.js';
import { createFileFlow, runNow } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

describe.each(backends)('a server starting on data left by a stopped one, on $name', (backend) => {
  let api: TestApi;
  let root: string;

  beforeAll(async () => {
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-recovery-'));
    fs.writeFileSync(path.join(root, 'p.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nR1,One,,DIGITAL,2024-01-01 00:00:00\n');
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('removes lake folders no batch committed and staging no run owns, and keeps committed batches', async () => {
    const flow = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'recovery' });
    const batchId = str(await runNow(api, flow.flowId), 'activities.1.targetInfo.0.reference.ids.0');
    const dataSetDir = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', flow.dataSetId);
    // What a process killed between moving a batch into the lake and committing it leaves, and a run's package.
    const orphan = path.join(dataSetDir, '0123456789abcdef0123456789abcdef', 'data');
    fs.mkdirSync(orphan, { recursive: true });
    fs.writeFileSync(path.join(orphan, 'part-0.parquet'), 'not committed');
    const staging = path.join(api.dataDir, 'staging', 'a-run-nobody-runs');
    fs.mkdirSync(staging, { recursive: true });

    await api.restart();
    expect(fs.readdirSync(dataSetDir)).toEqual([batchId]);
    expect(fs.existsSync(staging)).toBe(false);
  });

  it('sweeps only the runs of leases whose holder is gone, and the start reads every run', async () => {
    const flow = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'sweep' });
    const finished = str(await runNow(api, flow.flowId), 'id');
    // A flow has one unfinished run at most: the run without a lease belongs to a second flow.
    const second = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'sweep, second flow' });
    await leaveInterruptedRun(api, flow.flowId, 'run-of-a-dead-holder');
    await leaveInterruptedRun(api, second.flowId, 'run-without-a-lease', { lease: false });
    const status = async (runId: string) => str((await api.request('GET', `/data/foundation/flowservice/runs/${runId}`)).json, 'items.0.metrics.statusSummary.status');

    expect(await api.app.engine.recover(0, 'leasedRuns')).toBe(1);
    expect(await status('run-of-a-dead-holder')).toBe('failed');
    expect(await status('run-without-a-lease')).toBe('inProgress');
    expect(await status(finished)).toBe('success');
    expect(await api.app.engine.recover(0, 'everyRun')).toBe(1);
    expect(await status('run-without-a-lease')).toBe('failed');
    expect(await status(finished)).toBe('success');
  });

  it('leaves the lease of a run whose final record could not be saved, so that a sweep fails it', async () => {
    const broken = new FailingUpdates();
    const other = await startApi(backend, { storePlugins: [broken] });
    try {
      const flow = await createFileFlow(other, { root, path: 'p.csv', format: 'delimited', title: 'store fails' });
      // Every update fails from here on: the run's progress, then its final record, cannot be saved.
      broken.failing = true;
      const started = await other.request('POST', '/data/foundation/flowservice/runs', { body: { flowId: flow.flowId } });
      expect(started.status, started.text).toBe(201);
      const runId = str(started.json, 'id');
      await attemptRefused(other, broken);
      broken.failing = false;
      const status = async () => at((await other.request('GET', `/data/foundation/flowservice/runs/${runId}`)).json, 'items.0.metrics.statusSummary');
      expect(await status()).toMatchObject({ status: 'inProgress' });

      if (other.app.engine.queue.redelivers) {
        // pg-boss took the attempt back: the next one, with the store up again, lands the run.
        await other.app.engine.idle();
        expect(await status()).toMatchObject({ status: 'success' });
        return;
      }
      expect(await other.app.engine.recover(0, 'leasedRuns')).toBe(1);
      expect(await status()).toMatchObject({ status: 'failed', errors: [{ code: 'CONNECTOR-2001-500' }] });
    } finally {
      await other.close();
    }
  });
});

describe.each(backends)('a sweep beside runs that start while it works, on $name', (backend) => {
  it('leaves the staging of a run started after it read the leases', async () => {
    const startsARun = new RunStartingAfterLeaseRead();
    const api = await startApi(backend, { storePlugins: [startsARun] });
    try {
      const abandoned = path.join(api.dataDir, 'staging', 'a-run-nobody-runs');
      fs.mkdirSync(abandoned, { recursive: true });
      // Another worker takes a lease and makes its staging folder just after the sweep read the leases.
      const started = path.join(api.dataDir, 'staging', 'a-run-that-just-started');
      startsARun.armed = () => void fs.mkdirSync(started, { recursive: true });
      await api.app.engine.recover(0, 'leasedRuns');
      expect(startsARun.fired).toBe(true);
      expect(fs.existsSync(abandoned)).toBe(false);
      expect(fs.existsSync(started)).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('removes no lake folder while a run that started after it read the leases is landing', async () => {
    const startsARun = new RunStartingAfterLeaseRead();
    const api = await startApi(backend, { storePlugins: [startsARun] });
    try {
      // Another worker, on another machine, takes a lease and moves its batch into the lake (not committed yet),
      // just after the sweep read the leases and found none.
      const moved = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', 'a-data-set', 'fedcba9876543210fedcba9876543210', 'data');
      const scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
      startsARun.armed = async () => {
        await writeOtherLease(api, scope, 'a-run-on-another-machine');
        fs.mkdirSync(moved, { recursive: true });
        fs.writeFileSync(path.join(moved, 'part-0.parquet'), 'landing');
      };
      await api.app.engine.recover(0, 'everyRun');
      expect(startsARun.fired).toBe(true);
      expect(fs.existsSync(path.join(moved, 'part-0.parquet'))).toBe(true);
    } finally {
      await api.close();
    }
  });
});

/** A live lease of a process on another machine, written on a connection of its own (the store's may be busy). */
async function writeOtherLease(api: TestApi, scope: { orgId: string; sandboxId: string }, runId: string): Promise<void> {
  const now = Date.now();
  const values = ['engine.runLease', runId, scope.orgId, scope.sandboxId, JSON.stringify({ owner: 'another-machine:4242:worker', heartbeatAt: now }), '"1"', now, now];
  const insert = 'INSERT INTO resources (kind, id, org_id, sandbox_id, body, secret, etag, created_at, updated_at, unique_key) VALUES ';
  const schema = api.store.postgres?.schema;
  if (schema !== undefined) {
    await sqlInSchema(schema)(`${insert.replace('resources', '$schema.resources')}($1, $2, $3, $4, $5, NULL, $6, $7, $8, NULL)`, values);
    return;
  }
  const database = new BetterSqlite3(path.join(api.dataDir, 'metadata.sqlite'));
  try {
    database.prepare(`${insert}(?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL)`).run(...values);
  } finally {
    database.close();
  }
}

/** Calls `armed` once, right after the first read of every run lease: where another process may start a run. */
class RunStartingAfterLeaseRead implements KyselyPlugin {
  armed: (() => void | Promise<void>) | undefined;
  fired = false;
  private readonly leaseReads = new WeakSet<object>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed && args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"engine.runLease"')) this.leaseReads.add(args.queryId);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const armed = this.armed;
    if (armed && this.leaseReads.has(args.queryId)) {
      this.armed = undefined;
      this.fired = true;
      await armed();
    }
    return args.result;
  }
}

/** A store that refuses every UPDATE while `failing` is set, as a database that went away would. */
class FailingUpdates implements KyselyPlugin {
  failing = false;
  refused = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.failing && args.node.kind === 'UpdateQueryNode') {
      this.refused += 1;
      throw new Error('the metadata store is unreachable');
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
