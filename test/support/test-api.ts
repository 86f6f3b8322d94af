import crypto from 'node:crypto';
import os from 'node:os';
import type { KyselyPlugin } from 'kysely';
import type { RetryPolicy } from '../../src/connectors/rest/http-requester.js';
import type { RunLimits } from '../../src/connectors/rest/run-guard.js';
import { buildApp, type RunSettings, type App, type AppDeps } from '../../src/server/app.js';
import { MasterKey } from '../../src/secrets/master-key.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import type { IssuedCredentials } from '../../src/services/ims/credentials.js';
import type { FlushBounds } from '../../src/services/import/stream-flusher.js';
import type { Store } from '../../src/store/open-store.js';
import type { Backend } from './backends.js';
import { loadContracts } from './contract/contract-validator.js';
import { checkSharedReference } from './shared-reference.js';
import { OwnDocument } from './contract/own-document.js';
import type { Service } from './contract/service.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON. */
  json: unknown;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is instead of `body` (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string | undefined>;
  /** false: send none of the gateway headers. */
  auth?: boolean;
  sandbox?: string;
}

/** A running server on a fresh store, with an org and API client, talked to over real HTTP. */
export interface TestApi {
  baseUrl: string;
  /** The data directory (lake, staging) of the running server. */
  dataDir: string;
  credentials: IssuedCredentials;
  tenantId: string;
  store: Store;
  app: App;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Gateway headers for this client, e.g. to drop one of them. */
  gatewayHeaders(sandbox?: string): Record<string, string>;
  /** Every response that broke the official specs, as `METHOD path status: error`. */
  contractViolations: string[];
  /** The key the server seals credentials and signs tokens with. */
  masterKey: MasterKey;
  /** Decrypts a sealed credential column, to check what is stored. */
  openSecret(sealed: string): unknown;
  /** Seals a credential column as the server would (with a binding, or without one as older servers did). */
  sealSecret(value: unknown, boundTo?: unknown): string;
  /** Starts another server on the same store and lake (as several servers share one PostgreSQL store), for the same client. */
  secondServer(): Promise<{ baseUrl: string; app: App; close(): Promise<void> }>;
  /** Stops the server and the store, then starts both again on the same data (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const contractServices: Record<string, Service> = {
  flowservice: 'flowservice',
  schemaregistry: 'schemaregistry',
  catalog: 'catalog',
  conversion: 'conversion',
  import: 'import',
};

let ownDocument: Promise<OwnDocument> | undefined;

export async function startApi(
  backend: Backend,
  options: { org?: string; now?: () => number; runs?: RunSettings; secret?: string; retryPolicy?: RetryPolicy; connectorLimits?: RunLimits; databasePageRows?: number; tokenTtlSeconds?: number; streamFlush?: Partial<FlushBounds>; uploadExpiryMs?: number; storePlugins?: KyselyPlugin[]; logger?: { level: string; stream: NodeJS.WritableStream } } & Pick<AppDeps, 'tokenEndpoint' | 'hashing' | 'fileRoots' | 'metrics' | 'query'> = {},
): Promise<TestApi> {
  const opened = await backend.open(options.storePlugins ? { plugins: options.storePlugins } : {});
  // `secret`: the master key worker processes of the test are given too (TRIBUTARY_SECRET_KEY).
  const masterKey = MasterKey.fromSecret(options.secret ?? `test-${crypto.randomBytes(8).toString('hex')}`);
  const listen = async (store: Store) => {
    // Sources in tests live in folders under the system temp directory.
    const connectorOptions = { ...(options.retryPolicy ? { retry: options.retryPolicy } : {}), ...(options.connectorLimits ? { limits: options.connectorLimits } : {}), ...(options.databasePageRows ? { databasePageRows: options.databasePageRows } : {}) };
    const built = await buildApp({
      store,
      masterKey,
      dataDir: opened.dataDir,
      fileRoots: options.fileRoots ?? [os.tmpdir()],
      connectorOptions,
      tokenEndpoint: options.tokenEndpoint,
      hashing: options.hashing,
      query: options.query,
      ...(options.now ? { now: options.now } : {}),
      ...(options.tokenTtlSeconds ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
      ...(options.streamFlush ? { streamFlush: options.streamFlush } : {}),
      ...(options.uploadExpiryMs !== undefined ? { uploadExpiryMs: options.uploadExpiryMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.runs ? { runs: options.runs } : {}),
    });
    await built.server.listen({ port: 0, host: '127.0.0.1' });
    const address = built.server.server.address();
    return { app: built, baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  };
  let store = opened.store;
  let { app, baseUrl } = await listen(store);
  const credentials = await app.credentials.create(options.org ?? 'TESTORG@AdobeOrg', 'test client');
  const contracts = checkSharedReference() ? loadContracts() : undefined;
  const contractViolations: string[] = [];
  // Every build of the app documents the same routes: one copy of its reference serves every test server.
  ownDocument ??= OwnDocument.fetch(baseUrl);
  const reference = await ownDocument;

  const gatewayHeaders = (sandbox = 'prod'): Record<string, string> => ({
    authorization: `Bearer ${credentials.access_token}`,
    'x-api-key': credentials.client_id,
    'x-gw-ims-org-id': credentials.ims_org,
    'x-sandbox-name': sandbox,
  });

  const request = async (method: string, path: string, requestOptions: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = requestOptions.auth === false ? {} : gatewayHeaders(requestOptions.sandbox);
    let body: string | undefined;
    if (requestOptions.raw !== undefined) body = requestOptions.raw;
    else if (requestOptions.body !== undefined) body = JSON.stringify(requestOptions.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    for (const [key, value] of Object.entries(requestOptions.headers ?? {})) {
      if (value === undefined) delete headers[key.toLowerCase()];
      else headers[key.toLowerCase()] = value;
    }
    const response = await fetch(`${api.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let json: unknown;
    if (/json/.test(contentType) && text !== '') json = JSON.parse(text);
    const match = /^\/data\/foundation\/([^/]+)(\/[^?]*)?/.exec(path);
    const service = match?.[1] ? contractServices[match[1]] : undefined;
    if (contracts && service && json !== undefined) {
      const result = contracts.check({ service, method, path: match?.[2] ?? '/', status: response.status, contentType, body: json });
      for (const error of result.errors) contractViolations.push(`${method} ${path} ${response.status}: ${error}`);
    }
    if (json !== undefined) {
      for (const error of reference.check({ method, path, status: response.status, contentType, body: json })) contractViolations.push(`${method} ${path} ${response.status}: ${error}`);
    }
    return { status: response.status, headers: response.headers, text, json };
  };

  const api: TestApi = {
    baseUrl,
    dataDir: opened.dataDir,
    credentials,
    tenantId: credentials.tenant_id,
    store,
    app,
    request,
    gatewayHeaders,
    contractViolations,
    masterKey,
    openSecret: (sealed) => new SecretBox(masterKey).open(sealed),
    sealSecret: (value, boundTo) => new SecretBox(masterKey).seal(value, boundTo),
    secondServer: async () => {
      const second = await listen(store);
      return { ...second, close: () => second.app.server.close() };
    },
    restart: async () => {
      await app.server.close();
      await store.close();
      store = await opened.reopen();
      ({ app, baseUrl } = await listen(store));
      Object.assign(api, { store, app, baseUrl });
    },
    close: async () => {
      await app.server.close();
      await store.close();
      await opened.dispose();
    },
  };
  return api;
}

/** The value at a dotted path (`items.0.id`) of a JSON body, for assertions. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Like `at`, for values that must be strings (ids, etags). */
export function str(value: unknown, path: string): string {
  const found = at(value, path);
  if (typeof found !== 'string') throw new Error(`expected a string at ${path}, got ${JSON.stringify(found)} in ${JSON.stringify(value).slice(0, 500)}`);
  return found;
}
