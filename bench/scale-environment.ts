import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../src/store/open-store.js';
import { SandboxesRepository } from '../src/services/sandbox/sandboxes.repository.js';
import { benchClient, createCredentials, createTarget, idOf, startServer, stopServer, type BenchClient } from './bench-server.js';

export const localFilesSpec = 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c';
export const cloudStorageFlowSpec = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';
const benchOrg = 'SCALE@AdobeOrg';

/** A `once` start time in 2100: a flow with it runs on demand only, never by the scheduler, within a benchmark. */
export const farFutureStart = 4_102_444_800;

/**
 * One part's world: a PostgreSQL schema of its own (and pg-boss's `<schema>_queue` beside it), a data directory
 * (the lake every process shares), a folder of source files that the org may read, and the environment every
 * `tributary` process of the part is started with (same database, schema and master key).
 */
export interface ScaleEnvironment {
  work: string;
  dataDir: string;
  files: string;
  schema: string;
  env: NodeJS.ProcessEnv;
  issued: ReturnType<typeof createCredentials>;
  /** The bench's own store on the part's schema, for seeding and for reading run records. */
  store(): Promise<Store>;
  dispose(): Promise<void>;
}

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function scaleEnvironment(name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ScaleEnvironment> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `tributary-scale-${name}-`));
  const dataDir = path.join(work, 'data');
  const files = path.join(work, 'files');
  fs.mkdirSync(files, { recursive: true });
  // On PostgreSQL nothing else creates the data directory before `serve` writes its address file there.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const schema = `bench_scale_${name}_${crypto.randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TRIBUTARY_DATABASE_SCHEMA: schema,
    TRIBUTARY_SECRET_KEY: 'bench-scale',
    TRIBUTARY_LOG_LEVEL: 'warn',
    TRIBUTARY_FILE_ROOTS: `${benchOrg}=${files}`,
    ...extraEnv,
  };
  const issued = createCredentials(dataDir, benchOrg, env);
  let opened: Store | undefined;
  return {
    work,
    dataDir,
    files,
    schema,
    env,
    issued,
    store: async () => (opened ??= await openStore({ dataDir, databaseUrl, postgresSchema: schema })),
    dispose: async () => {
      await opened?.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_queue" CASCADE`);
      } finally {
        await client.end();
      }
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The org's `prod` sandbox, as a scope and with its name (what run records carry). */
export async function prodScope(environment: ScaleEnvironment): Promise<{ orgId: string; sandboxId: string; sandboxName: string }> {
  const store = await environment.store();
  const sandbox = await new SandboxesRepository(store.db).findByName(environment.issued.ims_org, 'prod');
  if (!sandbox) throw new Error('the bench org has no prod sandbox');
  return { orgId: environment.issued.ims_org, sandboxId: sandbox.id, sandboxName: sandbox.name };
}

/** What a benchmark's flows are built from: one Local Directory connection, a target dataset and its mapping. */
export interface FlowParts {
  connection: string;
  target: string;
  mapping: string;
  dataSetId: string;
}

/** The source file's columns, mapped onto a `payment` field group; every file a part writes has them. */
const paymentColumns = `'txn_' || lpad(CAST(i AS VARCHAR), 10, '0') AS transaction_id, 'Customer ' || (i % 50000) AS customer_name,
  round(((i * 7919) % 100000) / 100.0, 2) AS amount, ['USD', 'EUR', 'GBP', 'JPY'][(i % 4) + 1] AS currency,
  TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS created_at`;

/** DuckDB SQL writing an `rows`-row payments CSV to `file`. */
export function paymentsCsvSql(file: string, rows: number): string {
  return `COPY (SELECT ${paymentColumns} FROM range(${rows}) t(i)) TO '${file.replaceAll("'", "''")}' (HEADER)`;
}

/** A connection, and `targets` datasets each with its target connection and mapping, created over HTTP. */
export async function createFlowParts(client: BenchClient, files: string, targets: number): Promise<FlowParts[]> {
  const connection = idOf(await client.post('/flowservice/connections', { name: 'files', auth: { specName: 'Local Directory', params: { rootPath: files } }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
  const parts: FlowParts[] = [];
  for (let i = 0; i < targets; i += 1) {
    const group = `payment${i}`;
    const { target, mapping } = await createTarget(client, group, { name: { type: 'string' }, amount: { type: 'number' }, currency: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } }, [
      ['transaction_id', '_id'], ['customer_name', `$tenant.${group}.name`], ['amount', `$tenant.${group}.amount`], ['currency', `$tenant.${group}.currency`], ['created_at', `$tenant.${group}.createdAt`],
    ]);
    const targetBody = (await (await fetch(`${client.base}/data/foundation/flowservice/targetConnections/${target}`, { headers: client.headers })).json()) as { items: { params: { dataSetId: string } }[] };
    const dataSetId = targetBody.items[0]?.params.dataSetId;
    if (!dataSetId) throw new Error(`target connection ${target} has no dataset`);
    parts.push({ connection, target, mapping, dataSetId });
  }
  return parts;
}

/** A flow over `filePath` (below the files root) into the part's target, created over HTTP; returns its id. */
export async function createFileFlow(client: BenchClient, parts: FlowParts, name: string, filePath: string, scheduleParams: Record<string, unknown>): Promise<string> {
  const source = idOf(await client.post('/flowservice/sourceConnections', { name, baseConnectionId: parts.connection, data: { format: 'delimited' }, params: { path: filePath }, connectionSpec: { id: localFilesSpec, version: '1.0' } }));
  return idOf(await client.post('/flowservice/flows', {
    name,
    flowSpec: { id: cloudStorageFlowSpec, version: '1.0' },
    sourceConnectionIds: [source],
    targetConnectionIds: [parts.target],
    transformations: [{ name: 'Mapping', params: { mappingId: parts.mapping, mappingVersion: 0 } }],
    scheduleParams,
  }));
}

/** A `serve` started for setting up over HTTP only, stopped once `work` is done. */
export async function withSetupServer<T>(environment: ScaleEnvironment, work: (client: BenchClient) => Promise<T>): Promise<T> {
  const { child, base } = await startServer(environment.dataDir, environment.env, ['--no-worker']);
  try {
    return await work(benchClient(base, environment.issued));
  } finally {
    await stopServer(child);
  }
}
