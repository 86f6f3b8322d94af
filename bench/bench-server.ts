import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type App, type AppDeps } from '../src/server/app.js';
import { MasterKey } from '../src/secrets/master-key.js';
import { openStore, type Store } from '../src/store/open-store.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(projectRoot, 'bin', 'tributary.js');

/** What `tributary credentials create` prints: the client, its secret (shown once) and a first token. */
export interface Issued {
  client_id: string;
  client_secret: string;
  ims_org: string;
  tenant_id: string;
  access_token: string;
}

/** `tributary credentials create`, as an operator would run it before the first start. */
export function createCredentials(dataDir: string, org: string, env: NodeJS.ProcessEnv): Issued {
  const result = spawnSync(process.execPath, [cli, 'credentials', 'create', '--org', org, '--data-dir', dataDir], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`credentials create failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Issued;
}

/** Starts `tributary serve` on a free port (with `args`, e.g. `--no-worker`) and resolves with its URL once it listens. */
export function startServer(dataDir: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in 60 s: ${output}`));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, base: url });
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
}

/**
 * Starts `tributary worker` (PostgreSQL only) and resolves once it says where it takes runs from; stop it with
 * `stopServer`, which waits for its runs as its SIGTERM handling does.
 */
export function startWorker(dataDir: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'worker', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker did not start in 60 s: ${output}`));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^Runs: /m.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}: ${output}`)));
  });
}

/** SIGTERM to a `startServer` child and wait for its exit; one that already exited (failed to start, crashed) is not waited for. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One org's view of a server: its URL, its gateway headers, and a POST that throws on failure. */
export interface BenchClient {
  base: string;
  headers: Record<string, string>;
  /** The tenant's namespace in XDM paths, e.g. `_tributarydev`. */
  tenant: string;
  /** POSTs below `/data/foundation` and returns the answer; a failure throws. */
  post(url: string, body: unknown): Promise<Record<string, unknown> | unknown[]>;
}

/** A Tributary server for a benchmark, on its embedded store, driven over HTTP as a user drives it. */
export interface BenchServer extends BenchClient {
  app: App;
  /** The server's metadata store, for a benchmark that seeds rows directly. */
  db: Store['db'];
  close(): Promise<void>;
}

export async function startBenchServer(dataDir: string, deps: Partial<Pick<AppDeps, 'fileRoots' | 'connectorOptions'>> = {}): Promise<BenchServer> {
  const store = await openStore({ dataDir });
  const app = await buildApp({ store, masterKey: MasterKey.fromSecret('bench'), dataDir, ...deps });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const credentials = await app.credentials.create('BENCH@AdobeOrg');
  return {
    ...benchClient(base, credentials),
    app,
    db: store.db,
    close: async () => {
      await app.server.close();
      await store.close();
    },
  };
}

/** An org's client of the server at `base`, from the credentials `credentials create` (or the app) issued. */
export function benchClient(base: string, issued: { access_token: string; client_id: string; ims_org: string; tenant_id: string }): BenchClient {
  const headers = { authorization: `Bearer ${issued.access_token}`, 'x-api-key': issued.client_id, 'x-gw-ims-org-id': issued.ims_org, 'content-type': 'application/json' };
  return {
    base,
    headers,
    tenant: `_${issued.tenant_id}`,
    post: async (url, body) => {
      const response = await fetch(`${base}/data/foundation${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = (await response.json()) as Record<string, unknown> | unknown[];
      if (response.status >= 300) throw new Error(`POST ${url}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
  };
}

export function idOf(value: Record<string, unknown> | unknown[], field = 'id'): string {
  return String((value as Record<string, unknown>)[field]);
}

/**
 * A Profile dataset with one tenant field group (`<tenant>.<group>.<field>`), its Data Lake target connection and
 * a mapping set of `[source column, XDM path]` pairs: the target side of a benchmark's flow.
 */
export async function createTarget(server: BenchClient, group: string, fields: Record<string, Record<string, unknown>>, mappings: [string, string][]): Promise<{ target: string; mapping: string }> {
  const { post, tenant } = server;
  const fieldGroup = idOf(await post('/schemaregistry/tenant/fieldgroups', {
    title: `${group} fields`, type: 'object', 'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/profile'],
    definitions: { [group]: { properties: { [tenant]: { type: 'object', properties: { [group]: { type: 'object', properties: fields } } } } } },
    allOf: [{ $ref: `#/definitions/${group}` }],
  }), '$id');
  const schemaRef = { contentType: 'application/vnd.adobe.xed-full+json;version=1' };
  const schema = idOf(await post('/schemaregistry/tenant/schemas', { title: group, type: 'object', allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' }, { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' }, { $ref: fieldGroup }] }), '$id');
  const dataSet = String((await post('/catalog/dataSets', { name: group, schemaRef: { id: schema, ...schemaRef } }) as string[])[0]).split('/').pop() as string;
  const target = idOf(await post('/flowservice/targetConnections', { name: 'lake', data: { schema: { id: schema, version: schemaRef.contentType } }, params: { dataSetId: dataSet }, connectionSpec: { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', version: '1.0' } }));
  const mapping = idOf(await post('/conversion/mappingSets', {
    outputSchema: { schemaRef: { id: schema, ...schemaRef } },
    mappings: mappings.map(([source, destination]) => ({ sourceType: 'ATTRIBUTE', source, destination: destination.replace('$tenant', tenant) })),
  }));
  return { target, mapping };
}

/** Starts a run of the flow, waits for it, and returns its metrics; throws unless it landed `expected` rows. */
export async function runToEnd(server: BenchServer, flowId: string, expected: number): Promise<void> {
  const run = idOf(await server.post('/flowservice/runs', { flowId }));
  await server.app.engine.idle();
  const result = (await (await fetch(`${server.base}/data/foundation/flowservice/runs/${run}`, { headers: server.headers })).json()) as { items: { metrics: { recordSummary: { outputRecordCount: number }; statusSummary: { status: string } } }[] };
  const metrics = result.items[0]?.metrics;
  if (metrics?.statusSummary.status !== 'success' || metrics.recordSummary.outputRecordCount !== expected) {
    throw new Error(`the benchmark run did not land all ${expected} rows: ${JSON.stringify(metrics)}`);
  }
}
