import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { availableBackends } from './support/backends.js';
import { cloudStorageFlowSpec, localFilesSpec } from './support/file-flow.js';
import { at, str } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';
import { serveEnvironment, startServe, tributaryBin as bin } from './support/serve-process.js';

const backends = await availableBackends();
const rows = 400_000;
const execute = promisify(execFile);

describe.each(backends)('a run killed mid-way on $name', (backend) => {
  const sourceRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-crash-src-'));
  const { dataDir, env, dispose } = serveEnvironment(backend, 'crash', { TRIBUTARY_FILE_ROOTS: sourceRoot });
  afterAll(async () => {
    fs.rmSync(sourceRoot, { recursive: true, force: true });
    await dispose();
  });

  it('leaves no visible batch and no advanced watermark, and the next run lands every row exactly once', { timeout: 120_000 }, async () => {
    const duck = await DuckDbSession.open({ tempDirectory: sourceRoot });
    await duck.run(`COPY (SELECT 'P' || i AS Product_Id, 'Product ' || i AS Product_Name, 'd' AS Description, 'PHYSICAL' AS Type, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS updatedAt FROM range(${rows}) t(i)) TO '${path.join(sourceRoot, 'products.csv')}' (HEADER)`);
    duck.close();

    let server = await startServe(dataDir, env);
    const headers = (output: string) => ({
      authorization: /-H 'Authorization: ([^']+)'/.exec(output)?.[1] ?? '',
      'x-api-key': /-H 'x-api-key: ([^']+)'/.exec(output)?.[1] ?? '',
      'x-gw-ims-org-id': /-H 'x-gw-ims-org-id: ([^']+)'/.exec(output)?.[1] ?? '',
      'content-type': 'application/json',
    });
    const gateway = headers(server.output());
    const call = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${server.baseUrl}${url}`, { method, headers: gateway, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    };
    const fs_ = '/data/foundation/flowservice';
    const connection = str(await call('POST', `${fs_}/connections`, { name: 'files', auth: { specName: 'Local Directory', params: { rootPath: sourceRoot } }, connectionSpec: { id: localFilesSpec, version: '1.0' } }), 'id');
    const source = str(await call('POST', `${fs_}/sourceConnections`, { name: 'csv', baseConnectionId: connection, data: { format: 'delimited' }, params: { path: 'products.csv' }, connectionSpec: { id: localFilesSpec, version: '1.0' } }), 'id');
    const tenant = str(await call('GET', '/data/foundation/schemaregistry/stats'), 'tenantId');
    const group = str(await call('POST', '/data/foundation/schemaregistry/tenant/fieldgroups', tutorial.productFieldGroup(tenant)), '$id');
    const schemaId = str(await call('POST', '/data/foundation/schemaregistry/tenant/schemas', { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: group }] }), '$id');
    const dataSetId = str(await call('POST', '/data/foundation/catalog/dataSets', tutorial.dataSet(schemaId)), '0').split('/').pop() as string;
    const target = str(await call('POST', `${fs_}/targetConnections`, tutorial.targetConnection(schemaId, dataSetId, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c')), 'id');
    const mapping = str(await call('POST', '/data/foundation/conversion/mappingSets', tutorial.mappingSet(schemaId, `_${tenant}.`)), 'id');
    const flow = str(await call('POST', `${fs_}/flows`, { ...tutorial.flow(source, target, mapping), flowSpec: { id: cloudStorageFlowSpec, version: '1.0' }, scheduleParams: { startTime: 1567411548, frequency: 'once' } }), 'id');

    // Start a run and kill the process once the run has staged its input but before it can commit.
    const runId = str(await call('POST', `${fs_}/runs`, { flowId: flow }), 'id');
    // The package's batch folder exists while the rows are being mapped and written, before any commit.
    const staged = path.join(dataDir, 'staging', runId, 'batch');
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(staged) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fs.existsSync(staged)).toBe(true);
    // The run says where it is, for `tributary run --wait` to show.
    expect(at(await call('GET', `${fs_}/runs/${runId}`), 'items.0.metrics.statusSummary.extensions.stage')).toBe('writing');
    const exited = new Promise((resolve) => server.child.on('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;

    server = await startServe(dataDir, env);
    const lake = path.join(dataDir, 'lake', 'TRIBUTARYDEV@AdobeOrg', 'prod', dataSetId);
    const finish = async (id: string) => {
      let found: unknown;
      const until = Date.now() + 40_000;
      for (let status = 'inProgress'; status === 'inProgress' && Date.now() < until; status = at(found, 'items.0.metrics.statusSummary.status') as string) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = await call('GET', `${fs_}/runs/${id}`);
      }
      return found;
    };
    let run: unknown;
    let status: string;
    if (backend.name === 'postgres') {
      // pg-boss still holds the run: the new server sees its worker is gone and takes it up again, from the start,
      // and that attempt lands every row.
      run = await finish(runId);
      expect(run).toMatchObject({ items: [{ metrics: { statusSummary: { status: 'success' }, recordSummary: { outputRecordCount: rows } } }] });
      expect(fs.existsSync(path.join(dataDir, 'staging', runId))).toBe(false);
    } else {
      // The in-process queue died with its process: the run is failed, and nothing of it is visible.
      const killed = await call('GET', `${fs_}/runs/${runId}`);
      expect(at(killed, 'items.0.metrics.statusSummary.status')).toBe('failed');
      expect(await call('GET', '/data/foundation/catalog/batches')).toEqual({});
      expect(fs.existsSync(path.join(dataDir, 'staging', runId))).toBe(false);
      expect(!fs.existsSync(lake) || fs.readdirSync(lake).length === 0).toBe(true);

      // The retry lands all rows: had the killed run advanced the watermark, it would land none.
      const retry = str(await call('POST', `${fs_}/runs/${runId}/action?op=re-trigger`), 'id');
      run = await finish(retry);
      expect(run).toMatchObject({ items: [{ metrics: { statusSummary: { status: 'success' }, recordSummary: { outputRecordCount: rows } } }] });
    }
    const second = str(await call('POST', `${fs_}/runs`, { flowId: flow }), 'id');
    run = await finish(second);
    status = at(run, 'items.0.metrics.statusSummary.status') as string;
    expect(status).toBe('success');
    expect(at(run, 'items.0.metrics.recordSummary.outputRecordCount')).toBe(0);

    const files = fs
      .readdirSync(lake)
      .filter((batch) => fs.existsSync(path.join(lake, batch, 'data')))
      .flatMap((batch) => fs.readdirSync(path.join(lake, batch, 'data')).map((f) => path.join(lake, batch, 'data', f)));
    const check = await DuckDbSession.open({ tempDirectory: sourceRoot });
    const counts = await check.rows(`SELECT count(*) AS n, count(DISTINCT _id) AS ids FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
    check.close();
    expect(counts).toEqual([{ n: String(rows), ids: String(rows) }]);
    // The CLI runs the same flow through the server and waits for it: nothing new to land.
    const cli = await execute(process.execPath, [bin, 'run', flow, '--wait', '--url', server.baseUrl, '--data-dir', dataDir], { env });
    expect(cli.stdout).toMatch(/run \S+ success/);
    expect(cli.stderr).toContain('0 written');
    // Without --url it finds the server serving its data directory (on a port of the OS's choosing here), and
    // --json prints the run as the runs API answers it.
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8'))).toMatchObject({ url: server.baseUrl });
    const json = await execute(process.execPath, [bin, 'run', flow, '--wait', '--json', '--data-dir', dataDir], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ flowId: flow, metrics: { statusSummary: { status: 'success' }, recordSummary: { outputRecordCount: 0 } } });

    await server.stop();
    // A server that stopped no longer claims the data directory.
    expect(fs.existsSync(path.join(dataDir, 'server.json'))).toBe(false);
  });
});
