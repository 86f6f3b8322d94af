import type https from 'node:https';
import Fastify, { LogController, type FastifyHttpsOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import formbody from '@fastify/formbody';
import type { Registry } from 'prom-client';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Engine, type RunsAtOnce } from '../engine/engine.js';
import { Scheduler } from '../engine/scheduler.js';
import { FileRoots, type FileRoot } from '../connectors/local-files/file-roots.js';
import { LakeLayout } from '../lake/lake-layout.js';
import type { MasterKey } from '../secrets/master-key.js';
import { SecretBox } from '../secrets/secret-box.js';
import { defaultHashingPool, HashingPool, type HashingPoolOptions } from '../secrets/hashing-pool.js';
import type { Store } from '../store/open-store.js';
import { AccessTokens } from '../services/ims/access-tokens.js';
import { Credentials } from '../services/ims/credentials.js';
import { registerTokenRoutes } from '../services/ims/token.routes.js';
import { FailureDelay } from '../services/ims/failure-delay.js';
import { TokenExchange } from '../services/ims/token-exchange.js';
import { defaultTokenEndpointLimits, type TokenEndpointLimits } from '../services/ims/token-endpoint-limits.js';
import { SandboxesRepository } from '../services/sandbox/sandboxes.repository.js';
import { registerSandboxRoutes } from '../services/sandbox/sandboxes.routes.js';
import { registerFlowServiceRoutes } from '../services/flowservice/flowservice.routes.js';
import { scheduledRuns } from '../services/flowservice/scheduled-runs.js';
import { registerSchemaRegistryRoutes } from '../services/schemaregistry/schemaregistry.routes.js';
import { registerCatalogRoutes } from '../services/catalog/catalog.routes.js';
import { registerConversionRoutes } from '../services/conversion/conversion.routes.js';
import { registerMappingPreviewRoutes } from '../services/conversion/mapping-preview.routes.js';
import { registerExportRoutes } from '../services/export/export.routes.js';
import { registerExploreRoutes } from '../services/flowservice/explore.routes.js';
import { registerImportRoutes } from '../services/import/import.routes.js';
import { ImportedBatches } from '../services/import/imported-batches.js';
import { defaultFlushBounds, StreamFlusher, type FlushBounds } from '../services/import/stream-flusher.js';
import { AbandonedBatches, defaultUploadExpiryMs } from '../services/import/abandoned-batches.js';
import { StreamQueue } from '../services/import/stream-queue.repository.js';
import { registerStreamingRoutes } from '../services/import/streaming.routes.js';
import { registerQueryRoutes } from '../services/query/query.routes.js';
import { RunNotifier } from '../services/notifications/run-notifier.js';
import { WebhookDeliveriesRepository } from '../services/notifications/webhook-deliveries.repository.js';
import { WebhookSender, type DeliveryPolicy, type Fetch } from '../services/notifications/webhook-sender.js';
import { WebhooksRepository } from '../services/notifications/webhooks.repository.js';
import { registerWebhookRoutes } from '../services/notifications/webhooks.routes.js';
import { defaultQueryLimits, workerHeapMb, type QueryLimits } from '../services/query/query-limits.js';
import { QueryResultExpiry } from '../services/query/query-result-expiry.js';
import { QueryRuns } from '../services/query/query-runs.js';
import { QueryWorkers } from '../lake/query-workers.js';
import { connectorRegistry, type ConnectorRegistryOptions } from '../engine/connectors-by-spec.js';
import { systemClock } from '../connectors/rest/http-requester.js';
import { SharedRateBuckets } from '../connectors/rest/shared-rate-buckets.js';
import { RateBucketsRepository } from '../store/rate-buckets.repository.js';
import { ApiError } from './errors/api-error.js';
import { handleError } from './errors/error-handler.js';
import { registerConsole } from './console-assets.js';
import { registerProviderSandboxRoutes, type ProviderSandboxAccount } from '../services/provider-sandboxes/provider-sandboxes.routes.js';
import { authenticate } from './gateway/gateway-hook.js';
import type { RequestContext } from './gateway/request-context.js';
import { registerHealthProbes } from './health-probes.js';
import { AppMetrics } from './metrics/app-metrics.js';
import { registerMetricsRoute } from './metrics/metrics.route.js';
import { jsonBodyLimit, registerJsonBodyParser } from './json-body-parser.js';
import { logSafeUrl } from './log-safe-url.js';
import { createValidatorCompiler } from './validator-compiler.js';
import { errorBodySchemas } from './api-reference/error-answers.js';
import { documentationOnlySerializer } from './api-reference/documentation-only-serializer.js';
import { addGatewayAnswers } from './api-reference/gateway-route-answers.js';
import { gatewaySecurity, securitySchemes } from './api-reference/security-schemes.js';
import { checkStandardLibrary } from '../xdm/standard/standard-library.js';
import { openRunQueue } from './run-queue-for.js';
import type { defaultRunQueueOptions } from '../engine/queue/pg-boss-run-queue.js';
import { RunWorker } from '../engine/run-worker.js';
import { SchedulerSeat } from '../engine/scheduler-seat.js';
import { trySessionLock } from '../store/session-lock.js';
import { queuedRunPlanner } from '../services/flowservice/scheduled-runs.js';
import { queuedLandings } from '../services/import/queued-landings.js';

export interface AppDeps {
  store: Store;
  /** Where the lake and run staging live. */
  dataDir: string;
  /** Folders Local Files connections may read below; none means such connections are refused. */
  fileRoots?: readonly (string | FileRoot)[];
  masterKey: MasterKey;
  now?: () => number;
  tokenTtlSeconds?: number;
  /** Provider stand-ins started beside the server (`serve --sandbox`), offered by GET /tributary/sandbox-accounts. */
  sandboxAccounts?: readonly ProviderSandboxAccount[] | undefined;
  /** Failed token requests allowed per client id and per address; `defaultTokenEndpointLimits` otherwise. */
  tokenEndpoint?: Partial<TokenEndpointLimits> | undefined;
  /** The threads that hash client secrets and the queue in front of them; `defaultHashingPool` otherwise. */
  hashing?: Partial<HashingPoolOptions> | undefined;
  /** pino options (e.g. `{ level: 'info' }`, and a `stream` to write to instead of stdout); no logging when absent. */
  logger?: { level: string; stream?: NodeJS.WritableStream } | undefined;
  /** How API connectors retry and pace their requests (tests shorten the waits), and database reads' page size; the engine's defaults otherwise. */
  connectorOptions?: Pick<ConnectorRegistryOptions, 'retry' | 'rateLimit' | 'limits' | 'databasePageRows'>;
  /** When streamed records become a batch; `defaultFlushBounds` otherwise. */
  streamFlush?: Partial<FlushBounds> | undefined;
  /** How long an upload batch may sit in `loading` with nothing arriving before it is aborted; 24 hours otherwise, 0 never. */
  uploadExpiryMs?: number | undefined;
  /** How many queries run at once, and each one's time, memory and result bounds; `defaultQueryLimits` otherwise. */
  query?: Partial<QueryLimits> | undefined;
  /** Serve HTTPS with this PEM certificate and key instead of plain HTTP. */
  https?: { cert: Buffer; key: Buffer } | undefined;
  /**
   * `GET /metrics`: the bearer token it asks for (none: open, like the health probes), and the process metrics to
   * show with the app's (`processMetricsRegistry()`, made once per process; none: the app's metrics only).
   */
  metrics?: { token?: string | undefined; processMetrics?: Registry | undefined } | undefined;
  /** How run notifications are retried and bounded; `defaultDeliveryPolicy` otherwise. */
  webhookDelivery?: Partial<DeliveryPolicy> | undefined;
  /** What sends run notifications; the global `fetch` otherwise. */
  webhookFetch?: Fetch | undefined;
  /**
   * Running runs. `worker: false` (`serve --no-worker`) accepts runs for other processes' workers and runs none;
   * `background: false` (`tributary worker`) starts none of the API's own background work (streaming flushes,
   * upload expiry, query result expiry), only runs and their notifications.
   */
  runs?: RunSettings | undefined;
}

export interface RunSettings {
  worker?: boolean | undefined;
  /** Runs at once in this process (TRIBUTARY_WORKER_RUNS); `defaultWorkerConcurrency` otherwise. */
  concurrency?: number | undefined;
  /** Lease heartbeat (TRIBUTARY_RUN_HEARTBEAT_SECONDS); a worker silent for four beats is taken for gone. */
  heartbeatMs?: number | undefined;
  /** How long a closing worker waits for its runs before handing them back (TRIBUTARY_WORKER_STOP_SECONDS). */
  stopDeadlineMs?: number | undefined;
  background?: boolean | undefined;
  queue?: Partial<typeof defaultRunQueueOptions> | undefined;
  /** Runs executing at once per org and per base connection, over every process sharing the store. */
  limits?: RunsAtOnce | undefined;
}

/** Experience Platform services under /data that Tributary does not implement, by path prefix. */
const servicesElsewhere: Readonly<Record<string, string>> = {
  '/data/core/idnamespace': 'Identity Service (identity namespaces)',
  '/data/core/ups': 'Real-Time Customer Profile',
  '/data/core/ais': 'Segmentation',
  '/data/core/edge': 'Edge Network',
};

/**
 * What a request log line shows: the method and the URL without credentials (see `logSafeUrl`). Never headers
 * (a bearer token) and never a body (the token endpoint's form carries the client secret).
 */
function requestForLog(request: { method: string; url: string }): { method: string; url: string } {
  return { method: request.method, url: logSafeUrl(request.url) };
}

export interface App {
  server: FastifyInstance;
  credentials: Credentials;
  /** Where client secrets are hashed; its `stats()` show how many hashes ran (tests check none ran). */
  hashing: HashingPool;
  engine: Engine;
  /** Starts the runs flows' schedules make due; `serve` calls `start()`, tests call `tick()` with a fake clock. */
  scheduler: Scheduler;
  /** Lands streamed records as batches; runs from the start, `flushAll()` lands everything waiting now. */
  streaming: StreamFlusher;
  /** Releases batches a stopped completion claimed and expires abandoned uploads; runs from the start, `sweep()` once now. */
  abandonedBatches: AbandonedBatches;
  /** Stores a delivery per webhook for each finished run; `idle()` waits until the finished runs' are stored. */
  runNotifier: RunNotifier;
  /** Sends run notifications and retries them; runs from the start, `tick()` makes one pass now. */
  webhookSender: WebhookSender;
  /** Removes expired query results; runs from the start, `sweep()` once now. */
  queryResultExpiry: QueryResultExpiry;
  /** Takes runs from the queue and runs them; started unless `runs.worker` is false. */
  runWorker: RunWorker;
  /** Runs the scheduler in the one server of the store that holds the scheduler lock; `serve` starts it. */
  schedulerSeat: SchedulerSeat;
}

/** Builds the HTTP application. It never listens: `serve` and the tests decide that. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const now = deps.now ?? Date.now;
  checkStandardLibrary();
  const options: FastifyServerOptions = {
    logger: deps.logger ? { ...deps.logger, serializers: { req: requestForLog } } : false,
    // One line per request is noise at info: the answer is logged at debug below, errors at warn or error.
    logController: new LogController({ disableRequestLogging: true }),
    // JSON bodies have their own, lower limit (see json-body-parser.ts); uploads stream past this one.
    bodyLimit: jsonBodyLimit,
    // AEP ids may contain URL-encoded slashes (schema $ids in paths).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    ajv: { customOptions: { strict: false } },
    // Errors Fastify raises before routing (a bad %-escape, an over-long path parameter) get AEP's shape too.
    frameworkErrors: (error, request, reply) => {
      void handleError(new ApiError('validation', `The request path cannot be read: ${error.message}`, { problems: [{ in: 'path', path: '', message: error.message }] }), request, reply);
    },
    // Requests the HTTP parser refuses (oversized headers) never reach a route: answer them in AEP's shape too.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const detail = status === 431 ? 'The request headers are larger than the server accepts' : 'The request could not be parsed';
      const body = JSON.stringify({ type: `https://ns.adobe.com/aep/errors/TRIB-1023-${status}`, title: 'Bad request', status, report: { 'detailed-message': detail }, detail });
      socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  };
  // Routes use only what HTTP and HTTPS requests have in common, so both servers are one FastifyInstance to them.
  const server = deps.https ? (Fastify({ ...options, https: deps.https } as FastifyHttpsOptions<https.Server>) as unknown as FastifyInstance) : Fastify(options);
  server.setValidatorCompiler(createValidatorCompiler());
  server.setSerializerCompiler(documentationOnlySerializer);
  for (const schema of errorBodySchemas) server.addSchema(schema);
  server.setErrorHandler(handleError);
  const metrics = new AppMetrics(deps.metrics?.processMetrics);
  server.addHook('onResponse', async (request, reply) => {
    request.log.debug({ req: request, statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
    metrics.httpAnswered(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  const consolePages = await registerConsole(server);
  server.setNotFoundHandler((request, reply) => {
    if (consolePages.isConsolePage(request)) return consolePages.sendPage(reply);
    const path = request.url.split('?')[0] ?? '';
    // AEP clients also call services Tributary does not have; say which, so the 404 is not mistaken for a bad id.
    const elsewhere = Object.entries(servicesElsewhere).find(([prefix]) => path.startsWith(prefix))?.[1];
    throw new ApiError('routeNotFound', `No API at ${request.method} ${path}${elsewhere ? `: ${elsewhere} is not part of Tributary` : ''}.`);
  });
  registerJsonBodyParser(server);
  // AEP takes JSON only; a text/plain body must be refused, not handed to a route as a string.
  server.removeContentTypeParser('text/plain');

  const tokens = new AccessTokens(deps.masterKey, deps.tokenTtlSeconds ?? 24 * 3600, now);
  const hashing = new HashingPool({ ...defaultHashingPool, ...deps.hashing });
  const credentials = new Credentials(deps.store.db, tokens, now, hashing.scrypt);
  const tokenLimits = { ...defaultTokenEndpointLimits, ...deps.tokenEndpoint };
  const tokenExchange = new TokenExchange(credentials, tokenLimits, now);
  const failureDelay = new FailureDelay({ delayMs: tokenLimits.failureDelayMs, maxHeld: tokenLimits.maxDelayedAnswers });
  const sandboxes = new SandboxesRepository(deps.store.db);
  const secretBox = new SecretBox(deps.masterKey);
  // A provider's rate limit is the account's: every run of one connection, in any process, takes from one bucket.
  const sharedRate = new SharedRateBuckets(new RateBucketsRepository(deps.store));
  const connectors = connectorRegistry({ clock: { ...systemClock, now }, ...deps.connectorOptions, sharedRate, observer: (request) => metrics.sourceRequest(request) });
  const fileRoots = new FileRoots(deps.fileRoots ?? [], deps.dataDir);
  const runSettings = deps.runs ?? {};
  const runQueue = await openRunQueue(deps.store, server.log, runSettings.queue);
  if (runSettings.worker === false && !runQueue.redelivers) {
    await runQueue.close();
    throw new Error('runs without a worker need a queue other processes read: set DATABASE_URL (PostgreSQL) to use --no-worker');
  }
  const layout = new LakeLayout(deps.dataDir);
  const engine = new Engine({
    db: deps.store.db,
    layout,
    now,
    log: server.log,
    connectors,
    queue: runQueue,
    planQueued: queuedRunPlanner({ db: deps.store.db, secretBox, fileRoots }),
    landings: queuedLandings({ db: deps.store.db, now, layout }),
    heartbeatMs: runSettings.heartbeatMs,
    limits: runSettings.limits,
  });
  const runWorker = new RunWorker({ engine, concurrency: runSettings.concurrency, log: server.log });
  metrics.watch(engine);
  const webhooks = new WebhooksRepository(deps.store.db);
  const webhookDeliveries = new WebhookDeliveriesRepository(deps.store.db);
  const webhookSender = new WebhookSender({
    deliveries: webhookDeliveries,
    webhooks,
    secretBox,
    clock: { now },
    fetch: deps.webhookFetch ?? ((url, init) => fetch(url, init)),
    policy: deps.webhookDelivery,
    log: server.log,
  });
  // Deliveries are written with each run's final record; the sender is told once that has committed.
  const runNotifier = new RunNotifier({ now, log: server.log });
  engine.onRunRecorded(runNotifier.recordHook);
  engine.onRunFinished(() => webhookSender.poke());
  engine.onRunInterrupted(() => webhookSender.poke());
  // After the notifier listens: a run the previous process left unfinished is a failure its webhooks hear of.
  await engine.recover();
  if (runSettings.worker !== false) runWorker.start();
  const scheduler = new Scheduler({ clock: { now }, db: deps.store.db, engine, log: server.log, ...scheduledRuns({ db: deps.store.db, secretBox, fileRoots }) });
  const schedulerSeat = new SchedulerSeat({ scheduler, acquire: () => trySessionLock(deps.store, 'scheduler'), log: server.log });
  const streamQueue = new StreamQueue(deps.store.db);
  const importedBatches = new ImportedBatches({ db: deps.store.db, now, engine, layout });
  const streaming = new StreamFlusher({
    db: deps.store.db,
    now,
    layout,
    queue: streamQueue,
    batches: importedBatches,
    bounds: { ...defaultFlushBounds, ...deps.streamFlush },
    log: server.log,
  });
  const background = runSettings.background !== false;
  if (background) streaming.start();
  const abandonedBatches = new AbandonedBatches({ now, layout, batches: importedBatches, engine, uploadExpiryMs: deps.uploadExpiryMs ?? defaultUploadExpiryMs, log: server.log });
  if (background) abandonedBatches.start();
  // Deliveries left pending by a previous process are taken up again.
  webhookSender.start();
  const queryLimits: QueryLimits = { ...defaultQueryLimits, ...deps.query };
  // Queries run in worker processes (started when first needed), never on the server's own threads.
  const queryWorkers = new QueryWorkers({ size: queryLimits.perServer, heapMb: workerHeapMb(queryLimits) });
  const queries = new QueryRuns({ db: deps.store.db, layout, now, workers: queryWorkers, limits: queryLimits });
  const queryResultExpiry = new QueryResultExpiry({ db: deps.store.db, layout, now, ttlMs: queryLimits.resultTtlMs, log: server.log });
  if (background) queryResultExpiry.start();
  // Requests in flight are waited for on close: a query waiting for its rows would hold the close up to its
  // timeout, so running queries are cancelled first (each ends CANCELLED and its POST is answered).
  server.addHook('preClose', async () => {
    await queries.cancelAll();
  });
  // Closing stops the scheduler and the streaming flusher first, then waits for runs in progress, so a clean
  // shutdown never leaves one half done. Streamed records not landed yet wait in the store for the next start.
  server.addHook('onClose', async () => {
    await schedulerSeat.stop();
    await scheduler.stop();
    await streaming.stop();
    await abandonedBatches.stop();
    await queryResultExpiry.stop();
    await queryWorkers.close();
    // A worker stops taking runs, then waits for its own up to its deadline; what is left goes back to the queue.
    await runWorker.stop(runSettings.stopDeadlineMs);
    await engine.idle();
    await runQueue.close();
    // The last runs' notifications were stored with their records; unsent ones wait for the next start.
    await webhookSender.stop();
    await hashing.close();
  });

  server.decorateRequest('ctx', null as unknown as RequestContext);

  await server.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Tributary', version: '0.1.0', description: 'Experience Platform wire-compatible data collection' },
      components: { securitySchemes },
      security: gatewaySecurity,
    },
    // Shared schemas (the error bodies) keep their names in the document's components.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });
  // Streaming inlets sit outside the gateway: the inlet URL is what a sender has (see streaming.routes.ts).
  registerStreamingRoutes(server, { db: deps.store.db, now, layout, queue: streamQueue, flusher: streaming, verifyToken: (token) => tokens.verify(token) });
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  registerHealthProbes(server, { store: deps.store, lakeRoot: layout.lakeRoot() });
  registerMetricsRoute(server, { metrics, token: deps.metrics?.token });

  // Form bodies belong to the IMS token endpoint only; AEP services take JSON.
  await server.register(async (ims) => {
    await ims.register(formbody);
    registerTokenRoutes(ims, { exchange: tokenExchange, tokens, failureDelay });
  });
  // The gateway guards every service route by route, not by URL prefix: the router decodes
  // percent-encoded paths, so a prefix test on the raw URL could be walked around.
  await server.register(async (api) => {
    api.addHook('onRequest', async (request) => {
      request.ctx = await authenticate(request, { tokens, credentials, sandboxes });
    });
    api.addHook('onRoute', addGatewayAnswers);
    const services = { db: deps.store.db, now, secretBox, engine, fileRoots };
    registerSandboxRoutes(api, { sandboxes, now });
    registerFlowServiceRoutes(api, services);
    registerSchemaRegistryRoutes(api, services);
    registerConversionRoutes(api, services);
    // Data Access and Query read the lake itself, not only the metadata store; Catalog removes a deleted batch's files.
    const lake = { ...services, layout, connectors };
    registerCatalogRoutes(api, lake);
    registerMappingPreviewRoutes(api, lake);
    registerExportRoutes(api, lake);
    registerExploreRoutes(api, lake);
    await api.register(async (imports) => registerImportRoutes(imports, lake));
    registerQueryRoutes(api, { db: deps.store.db, now, queries });
    registerWebhookRoutes(api, services);
    registerProviderSandboxRoutes(api, { accounts: deps.sandboxAccounts ?? [] });
  });
  return { server, credentials, hashing, engine, scheduler, streaming, abandonedBatches, runNotifier, webhookSender, queryResultExpiry, runWorker, schedulerSeat };
}

