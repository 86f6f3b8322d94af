import { claimedStatus } from '../../engine/batch-document.js';
import type { Engine } from '../../engine/engine.js';
import { PeriodicSweep } from '../../engine/periodic-sweep.js';
import type { RunLog } from '../../engine/run-log.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { BatchUploadFolder } from './batch-upload-folder.js';
import type { ImportedBatches } from './imported-batches.js';

/** 24 hours: a client that uploads over a working day and completes the next morning keeps its batch. */
export const defaultUploadExpiryMs = 24 * 3600_000;

/**
 * How long a claim may be without the lease of its landing: the two are one store write apart, so a claim older
 * than a lease's own staleness (a minute) with no lease was made by a process that stopped before landing.
 */
const claimGraceMs = 60_000;

/** How often the sweep runs: a claim left by a stopped process is released about a minute after the grace. */
const sweepEveryMs = 60_000;

/** The batches whose files Batch Ingestion keeps (streaming's are rebuilt from its queue on each landing). */
const producers = ['tributary:import', 'tributary:streaming'];

export interface AbandonedBatchesDeps {
  now: () => number;
  layout: LakeLayout;
  batches: ImportedBatches;
  engine: Pick<Engine, 'ingestLease' | 'dropStoppedIngest' | 'reclaimLanding'>;
  /** How long an upload batch may sit in `loading` with nothing arriving before it is aborted; 0 never. */
  uploadExpiryMs: number;
  log?: RunLog | undefined;
}

export interface SweepReport {
  /** Batches a stopped process had claimed for landing, back to `loading` so COMPLETE can be sent again. */
  released: string[];
  /** Upload batches aborted, and their files removed, after `uploadExpiryMs` without activity. */
  expired: string[];
}

/**
 * Batches their owner left behind. A completion whose process stopped leaves its batch `processing` (claimed):
 * every COMPLETE would be answered 409 for ever, so once the claim's process is seen gone the batch goes back to
 * `loading`, its files intact. A client that created a batch and never completed nor aborted it leaves files on
 * disk for ever: after `uploadExpiryMs` without a batch change or a byte written, the batch is aborted and its
 * files removed. Both are conditional writes of the batch, so a COMPLETE racing the sweep wins or loses cleanly.
 */
export class AbandonedBatches {
  private readonly periodic: PeriodicSweep<SweepReport>;

  constructor(private readonly deps: AbandonedBatchesDeps) {
    this.periodic = new PeriodicSweep(async () => ({ released: await this.releaseClaims(), expired: await this.expireUploads() }), {
      everyMs: sweepEveryMs,
      atStart: false,
      failed: (error) => this.deps.log?.warn({ err: error }, 'sweeping abandoned batches failed'),
    });
  }

  /** Sweeps every minute until `stop`; the timer never keeps the process alive. */
  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass (the timer's, or a test's with its own clock). A pass under way is joined, never run twice at once. */
  sweep(): Promise<SweepReport> {
    return this.periodic.run();
  }

  private async releaseClaims(): Promise<string[]> {
    const released: string[] = [];
    for (const row of await this.candidates(claimedStatus)) {
      const lease = await this.deps.engine.ingestLease(row.id);
      if (lease === 'alive' || (lease === 'none' && this.deps.now() - row.updatedAt < claimGraceMs)) continue;
      // A queued COMPLETE still waiting for a worker, or given to another one (pg-boss), is not abandoned.
      if ((await this.deps.engine.reclaimLanding(row.id, claimGraceMs)) !== 'gone') continue;
      // The stopped landing's lease goes first: a COMPLETE sent once the batch is free must be able to take it.
      if (lease === 'gone') await this.deps.engine.dropStoppedIngest(row.id);
      const result = await this.deps.batches.transition(row.scope, row.id, [claimedStatus], { status: 'loading' });
      if (!result.won) continue;
      released.push(row.id);
      this.deps.log?.warn({ batchId: row.id }, 'batch released: the process completing it stopped; COMPLETE can be sent again');
    }
    return released;
  }

  private async expireUploads(): Promise<string[]> {
    const { uploadExpiryMs } = this.deps;
    if (uploadExpiryMs <= 0) return [];
    const cutoff = this.deps.now() - uploadExpiryMs;
    const expired: string[] = [];
    for (const row of await this.candidates('loading', cutoff)) {
      if (row.producer !== 'tributary:import') continue;
      const folder = new BatchUploadFolder(this.deps.layout.uploadDir(row.id));
      if (Math.max(row.updatedAt, folder.lastWrittenAt() ?? 0) > cutoff) continue;
      const hours = Math.round((uploadExpiryMs / 3600_000) * 100) / 100;
      const result = await this.deps.batches.transition(row.scope, row.id, ['loading'], {
        status: 'aborted',
        errors: [{ code: 'INGEST-1101-400', description: `Nothing arrived for ${hours} hours: the upload was taken as abandoned, the batch aborted and its files removed.` }],
      });
      if (!result.won) continue;
      folder.remove();
      expired.push(row.id);
      this.deps.log?.warn({ batchId: row.id }, 'abandoned upload expired: the batch is aborted and its files removed');
    }
    return expired;
  }

  /** Batches of the producers above in `status`, changed last before `before`, with the last time either clock saw them change. */
  private async candidates(status: string, before?: number): Promise<{ id: string; scope: { orgId: string; sandboxId: string }; updatedAt: number; producer: string }[]> {
    const found = [];
    for (const { scope, batch } of await this.deps.batches.inStatus(status, before)) {
      const producer = batch.body.tags?.acp_producer?.[0] ?? '';
      if (!producers.includes(producer)) continue;
      found.push({ id: batch.id, scope, updatedAt: Math.max(batch.updatedAt, batch.body.updated), producer });
    }
    return found;
  }
}
