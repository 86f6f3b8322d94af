import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { processMetricsRegistry } from '../server/metrics/process-metrics.js';
import type { IssuedCredentials } from '../services/ims/credentials.js';
import { SANDBOX_PROVIDERS, startSandbox, type RunningSandbox } from '../standins/sandbox.js';
import { connectionFor } from './sandbox-command.js';
import { forgetServerAddress, recordServerAddress } from './server-address.js';
import { openRuntime } from './runtime.js';
import { runsLine, startRecoverySweeps } from './run-sweeps.js';

export interface ServeOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** Start the PayPal, Stripe and Square stand-ins beside the server and offer them to the console. */
  sandbox?: boolean;
  /** `--no-worker` sets it false: accept runs for `tributary worker` processes and run none here (PostgreSQL only). */
  worker?: boolean;
}

/** Records in each stand-in `serve --sandbox` starts: enough to see paging, few enough for a first run in seconds. */
const sandboxRecords = 100;

const devOrg = 'TRIBUTARYDEV@AdobeOrg';

/** `tributary serve`: runs the API until SIGINT/SIGTERM. */
export async function serveCommand(options: ServeOptions): Promise<void> {
  const { config, store, masterKey } = await openRuntime({
    port: options.port === undefined ? undefined : parsePort(options.port),
    host: options.host,
    dataDir: options.dataDir,
    tlsCert: options.tlsCert,
    tlsKey: options.tlsKey,
  });
  // Loopback stand-ins with generated accounts: a person can follow the tutorial without a provider account.
  const sandboxes: RunningSandbox[] = [];
  if (options.sandbox) for (const provider of SANDBOX_PROVIDERS) sandboxes.push(await startSandbox(provider, { seed: 1, records: sandboxRecords }));
  const { server, credentials, schedulerSeat, engine } = await buildApp({
    sandboxAccounts: sandboxes.map(connectionFor),
    store,
    dataDir: config.dataDir,
    fileRoots: config.fileRoots,
    masterKey,
    tokenTtlSeconds: config.tokenTtlSeconds,
    tokenEndpoint: config.tokenEndpoint,
    hashing: config.hashing,
    logger: { level: config.logLevel },
    streamFlush: config.streamFlush,
    uploadExpiryMs: config.uploadExpiryMs,
    query: config.query,
    connectorOptions: { limits: config.runLimits, databasePageRows: config.databasePageRows },
    https: config.tls ? { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) } : undefined,
    metrics: { token: config.metricsToken, processMetrics: processMetricsRegistry() },
    runs: { worker: options.worker !== false, ...config.workers },
  });
  const firstStart = (await credentials.listOrgs()).length === 0;
  const issued = firstStart ? await credentials.create(devOrg, 'Development client') : undefined;
  await server.listen({ port: config.port, host: config.host });
  // Of the servers sharing a store, the one holding the scheduler lock schedules; the others wait to take over.
  schedulerSeat.start();
  const stopSweeping = startRecoverySweeps(engine, config.workers.heartbeatMs);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const baseUrl = `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const storage = store.backend === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  process.stdout.write(`Tributary listening on ${baseUrl} (metadata: ${storage})\n`);
  process.stdout.write(runsLine(engine.queue, options.worker !== false, config.workers.concurrency));
  process.stdout.write(`Console: open ${baseUrl}/ in a browser and sign in with an API client's id and secret\n`);
  recordServerAddress(config.dataDir, baseUrl);
  for (const sandbox of sandboxes) process.stdout.write(`Local ${sandbox.provider} stand-in on ${sandbox.url} (the console offers it as a sandbox account)\n`);
  if (issued) process.stdout.write(welcome(issued, baseUrl, config.dataDir, process.stdout.isTTY === true));

  const stop = async () => {
    forgetServerAddress(config.dataDir);
    // A sweep under way ends before the store closes under it. Closing waits for this process's runs (a worker's
    // deadline, TRIBUTARY_WORKER_STOP_SECONDS), then gives the unfinished ones back to the queue.
    await stopSweeping();
    await server.close();
    await store.close();
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * The first start's greeting. The client secret is stored only as a hash, so it is shown once: on a terminal,
 * printed; otherwise (a service manager's journal, a redirect to a log file) it would stay in a log for anyone
 * who reads it, so it goes to a file only its user can read, and the greeting says where.
 */
function welcome(issued: IssuedCredentials, baseUrl: string, dataDir: string, terminal: boolean): string {
  const { client_secret: secret, ...saved } = issued;
  const file = path.join(dataDir, 'dev-credentials.json');
  fs.writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  const secretFile = path.join(dataDir, 'dev-client-secret.txt');
  if (!terminal) fs.writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  return [
    '',
    `First start: created the development org ${issued.ims_org} (tenant "${issued.tenant_id}") and an API client.`,
    terminal
      ? `Its id, org and first token are saved in ${file}; the client secret is printed here only.`
      : `Its id, org and first token are saved in ${file}. The output is not a terminal, so the client secret is not printed: it is in ${secretFile}, readable only by you. Keep it elsewhere and delete that file.`,
    "Paste these headers into the tutorial's curl calls:",
    '',
    `  -H 'Authorization: Bearer ${issued.access_token}' \\`,
    `  -H 'x-api-key: ${issued.client_id}' \\`,
    `  -H 'x-gw-ims-org-id: ${issued.ims_org}' \\`,
    `  -H 'x-sandbox-name: prod'`,
    '',
    `The token lasts ${lifetime(issued.expires_in)}. Get a new one with:`,
    `  curl -X POST ${baseUrl}/ims/token/v3 -d grant_type=client_credentials -d client_id=${issued.client_id} -d ${terminal ? `'client_secret=${secret}'` : `"client_secret=$(cat '${secretFile}')"`}`,
    '',
  ].join('\n');
}

/** A token lifetime (TRIBUTARY_TOKEN_TTL_SECONDS) in the largest whole unit. */
function lifetime(seconds: number): string {
  const [amount, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${text}"`);
  return port;
}
