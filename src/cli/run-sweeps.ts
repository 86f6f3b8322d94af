import type { Engine } from '../engine/engine.js';
import type { RunQueue } from '../engine/queue/run-queue.js';

/**
 * Sweeps for runs whose process stopped while this one runs. With pg-boss they go back to the queue for another
 * worker, so the sweep follows the heartbeat (every two beats: a dead worker's run is taken up again within six
 * beats of its last); with the in-process queue a stopped server's runs can only be failed, every five minutes.
 */
export function startRecoverySweeps(engine: Engine, heartbeatMs: number): () => Promise<void> {
  return engine.startSweeping(engine.queue.redelivers ? 2 * heartbeatMs : 5 * 60_000);
}

/** The start-up line that says where runs run. */
export function runsLine(queue: RunQueue, worker: boolean, concurrency: number): string {
  const where = queue.redelivers ? 'the PostgreSQL run queue (pg-boss)' : 'this process';
  return worker ? `Runs: ${concurrency} at once here, taken from ${where}\n` : `Runs: none here (--no-worker); \`tributary worker\` processes take them from ${where}\n`;
}
