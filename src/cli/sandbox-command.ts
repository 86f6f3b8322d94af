import type { ConnectionSpec } from '../services/flowservice/specs/connection-spec.js';
import { paypalConnectionSpec } from '../services/flowservice/specs/paypal.connection-spec.js';
import { squareConnectionSpec } from '../services/flowservice/specs/square.connection-spec.js';
import { stripeConnectionSpec } from '../services/flowservice/specs/stripe.connection-spec.js';
import { SANDBOX_PROVIDERS, startSandbox, type RunningSandbox, type SandboxCredentials, type SandboxProvider } from '../standins/sandbox.js';

export interface SandboxCommandOptions {
  port?: string;
  seed?: string;
  records?: string;
  json?: boolean;
}

/** What to paste into a Flow Service connection for one running stand-in. */
export interface SandboxConnection {
  provider: SandboxProvider;
  url: string;
  contents: Record<string, number>;
  connectionSpec: { id: string; version: string };
  auth: { specName: string; params: Record<string, string> };
  /** The body of POST /data/foundation/flowservice/connections. */
  connectionBody: unknown;
}

const specs: Record<SandboxProvider, ConnectionSpec> = { paypal: paypalConnectionSpec, stripe: stripeConnectionSpec, square: squareConnectionSpec };

/**
 * `tributary sandbox [paypal|stripe|square|all]`: starts the provider stand-ins on loopback with generated accounts,
 * prints what a connection to each needs (host, keys, connection spec, a ready curl), and runs until SIGINT/SIGTERM.
 */
export async function sandboxCommand(which: string, options: SandboxCommandOptions): Promise<void> {
  const providers = which === 'all' ? [...SANDBOX_PROVIDERS] : [parseProvider(which)];
  const seed = parseInteger('--seed', options.seed ?? '1', 0, 2 ** 32 - 1);
  const records = parseInteger('--records', options.records ?? '300', 1, 100_000);
  const basePort = options.port === undefined ? undefined : parseInteger('--port', options.port, 1, 65536 - providers.length);

  const running: RunningSandbox[] = [];
  const closeAll = () => Promise.all(running.map((sandbox) => sandbox.close()));
  try {
    for (const [index, provider] of providers.entries()) {
      const port = basePort === undefined ? undefined : basePort + index;
      running.push(await startSandbox(provider, { seed, records, port }).catch((error: unknown) => {
        throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new Error(`port ${port} is taken (${provider}); choose another --port`) : error;
      }));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  const connections = running.map(connectionFor);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ seed, records, sandboxes: connections })}\n`);
    process.stderr.write('Stand-ins running on 127.0.0.1; stop them with Ctrl-C.\n');
  } else {
    process.stdout.write(`${connections.map((connection) => describe(connection, seed)).join('\n')}\n${footer}`);
  }

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await closeAll();
  (options.json ? process.stderr : process.stdout).write('Stand-ins stopped.\n');
}

export function connectionFor(sandbox: RunningSandbox): SandboxConnection {
  const spec = specs[sandbox.provider];
  const authSpec = spec.authSpec[0];
  if (!authSpec) throw new Error(`the ${spec.name} connection spec has no authSpec`);
  const auth = { specName: authSpec.name, params: { host: sandbox.url, ...secretParams(sandbox.credentials) } };
  const connectionSpec = { id: spec.id, version: spec.version };
  return {
    provider: sandbox.provider,
    url: sandbox.url,
    contents: sandbox.contents,
    connectionSpec,
    auth,
    connectionBody: { name: `${spec.name} sandbox`, auth, connectionSpec },
  };
}

/** The credentials under the names the connection spec's authSpec gives them. */
function secretParams(credentials: SandboxCredentials): Record<string, string> {
  switch (credentials.provider) {
    case 'paypal':
      return { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
    case 'stripe':
      return { accessToken: credentials.apiKey };
    case 'square':
      return { clientId: credentials.clientId, clientSecret: credentials.clientSecret, accessToken: credentials.accessToken, refreshToken: credentials.refreshToken };
  }
}

function describe(connection: SandboxConnection, seed: number): string {
  const spec = specs[connection.provider];
  const contents = Object.entries(connection.contents)
    .map(([name, count]) => `${count.toLocaleString('en-US')} ${name.replaceAll('_', ' ').replace(count === 1 ? /s$/ : /$^/, '')}`)
    .join(', ');
  const field = (name: string, value: string) => `  ${name.padEnd(16)}${value}\n`;
  // Single quotes hold the body for the shell; a quote inside it must close, escape and reopen them.
  const body = JSON.stringify(connection.connectionBody).replaceAll("'", `'\\''`);
  return [
    `${spec.name} sandbox at ${connection.url} (seed ${seed}): ${contents}\n`,
    field('connectionSpec', `${connection.connectionSpec.id} (version ${connection.connectionSpec.version})`),
    field('specName', connection.auth.specName),
    ...Object.entries(connection.auth.params).map(([name, value]) => field(name, value)),
    `  Create the connection (BASE and H as in the README's tutorial):\n`,
    `  curl -s -X POST "$BASE/flowservice/connections" "\${H[@]}" -H 'Content-Type: application/json' -d '${body}'\n`,
  ].join('');
}

const footer = [
  'BASE is the server\'s /data/foundation (e.g. http://localhost:8080/data/foundation) and H its headers, as `tributary serve` prints them.',
  'The stand-ins listen on 127.0.0.1 only and keep their data in memory; the same --seed gives the same data and keys.',
  'Running until Ctrl-C.',
  '',
].join('\n');

function parseProvider(text: string): SandboxProvider {
  const provider = SANDBOX_PROVIDERS.find((name) => name === text.toLowerCase());
  if (!provider) throw new Error(`unknown provider "${text}": use ${SANDBOX_PROVIDERS.join(', ')} or all`);
  return provider;
}

function parseInteger(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) throw new Error(`${option} must be an integer from ${min} to ${max}, got "${text}"`);
  return value;
}
