import { buildApp } from '../server/app.js';
import { openRuntime } from './runtime.js';
import { runsLine, startRecoverySweeps } from './run-sweeps.js';

export interface WorkerOptions {
  dataDir?: string;
}

/**
 * `tributary worker`: runs dataflow runs from the PostgreSQL run queue, and nothing else (no HTTP, no scheduler, no
 * streaming or upload housekeeping). On SIGTERM or SIGINT it takes no new run, waits for its runs up to
 * TRIBUTARY_WORKER_STOP_SECONDS, hands back those still running, and exits.
 */
export async function workerCommand(options: WorkerOptions): Promise<void> {
  const { config, store, masterKey } = await openRuntime({ dataDir: options.dataDir });
  if (!store.postgres) {
    await store.close();
    throw new Error('tributary worker takes runs from the PostgreSQL run queue: set DATABASE_URL to the database the servers use (with SQLite, `serve` runs its own runs)');
  }
  const { server, engine } = await buildApp({
    store,
    dataDir: config.dataDir,
    fileRoots: config.fileRoots,
    masterKey,
    logger: { level: config.logLevel },
    query: config.query,
    connectorOptions: { limits: config.runLimits, databasePageRows: config.databasePageRows },
    runs: { worker: true, background: false, ...config.workers },
  });
  const stopSweeping = startRecoverySweeps(engine, config.workers.heartbeatMs);
  process.stdout.write(`Tributary worker ${process.pid} (lake: ${config.dataDir})\n`);
  process.stdout.write(runsLine(engine.queue, true, config.workers.concurrency));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping: no new runs; waiting for the runs in progress\n');
    await stopSweeping();
    // Closing the app stops the worker: its runs finish, or go back to the queue at the deadline.
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
