import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSchemas, postgresUrl, type Backend } from './backends.js';

export const tributaryBin = path.resolve('bin/tributary.js');

/** A `tributary serve` started as a user would, in its own process (so tests can SIGTERM or SIGKILL it). */
export interface ServeProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

export async function startServe(dataDir: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [tributaryBin, 'serve', '--port', '0', '--data-dir', dataDir, ...args], { env });
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        // The welcome text follows the listening line in the same write burst; give it a moment.
        setTimeout(() => resolve(match[1] as string), 200);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}): ${output}`)));
  });
  return {
    child,
    baseUrl,
    output: () => output,
    stop: async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Where a `tributary serve` of one test keeps its data, and the environment that points it there. */
export interface ServeEnvironment {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Removes the data directory and, on PostgreSQL, the schema. */
  dispose(): Promise<void>;
}

/**
 * A data directory of its own and, on PostgreSQL, a schema of its own (`<name>_<random>`) in the shared `test`
 * database, with quiet logs and a fixed master key; `extra` adds to or overrides the environment.
 */
export function serveEnvironment(backend: Backend, name: string, extra: NodeJS.ProcessEnv = {}): ServeEnvironment {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tributary-${name}-`));
  const schema = `${name}_${crypto.randomBytes(5).toString('hex')}`;
  const onPostgres = backend.name === 'postgres';
  return {
    dataDir,
    env: {
      ...process.env,
      TRIBUTARY_LOG_LEVEL: 'warn',
      TRIBUTARY_SECRET_KEY: `${name}-test-key`,
      DATABASE_URL: onPostgres ? postgresUrl : '',
      TRIBUTARY_DATABASE_SCHEMA: onPostgres ? schema : '',
      ...extra,
    },
    dispose: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (onPostgres) await dropSchemas([schema]);
    },
  };
}

/** A `tributary worker` in its own process: it runs runs from the PostgreSQL queue, nothing else. */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** SIGTERM, then wait for the exit (the worker's own shutdown deadline applies). */
  stop(): Promise<void>;
}

export async function startWorker(dataDir: string, env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [tributaryBin, 'worker', '--data-dir', dataDir], { env });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^Runs: /m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}): ${output}`)));
  });
  return {
    child,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Requests to a server process as the client a first start created: the headers the welcome of `welcomedBy` (the
 * server itself by default, or the first server of a shared store) printed.
 */
export function serveClient(
  server: ServeProcess,
  welcomedBy: ServeProcess = server,
): { request(method: string, url: string, options?: { body?: unknown }): Promise<{ status: number; headers: Headers; text: string; json: unknown }>; tenantId: string; headers: Record<string, string> } {
  const welcome = welcomedBy.output();
  const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`, 'i').exec(welcome)?.[1] ?? '';
  const headers = { authorization: header('Authorization'), 'x-api-key': header('x-api-key'), 'x-gw-ims-org-id': header('x-gw-ims-org-id'), 'x-sandbox-name': 'prod', 'content-type': 'application/json' };
  const client = {
    tenantId: '',
    /** The gateway headers (and a JSON content type), for requests `request` cannot send (file uploads). */
    headers,
    async request(method: string, url: string, options: { body?: unknown } = {}) {
      const response = await fetch(`${server.baseUrl}${url}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
      const text = await response.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
  };
  return client;
}
