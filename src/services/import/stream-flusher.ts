import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { FlowBusyError } from '../../engine/engine.js';
import type { RunLog } from '../../engine/run-log.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { ApiError } from '../../server/errors/api-error.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { UniqueViolation } from '../../store/unique-violation.js';
import { mappingRules } from '../conversion/mapping-sets.js';
import { findStreamingInlet } from '../flowservice/streaming-flows.js';
import { BatchUploadFolder } from './batch-upload-folder.js';
import { loadingBatch } from './batch-uploads.js';
import { BatchClaimLost, type ImportedBatches } from './imported-batches.js';
import { parseTargetKey } from './stream-messages.js';
import type { ClaimedBatch, PendingGroup, StreamQueue } from './stream-queue.repository.js';

/**
 * When waiting records become a batch: as soon as one landing has `records` records or `bytes` bytes waiting,
 * or its oldest record has waited `ageMs`. See `defaultFlushBounds` for the choice.
 */
export interface FlushBounds {
  records: number;
  bytes: number;
  ageMs: number;
}

/**
 * 10,000 records, 64 MiB or 60 seconds, whichever comes first. AEP promises streamed data in the Data Lake
 * within 60 minutes; a minute keeps Tributary's lake (and Query) close behind the inlet while making at most
 * one batch a minute per inlet and dataset for a trickle of records, and the count and size bounds keep one
 * batch's landing to a few seconds of DuckDB work and its Parquet files a sensible size under a flood. Records
 * are durable in the metadata store from the moment the inlet answers, so the bounds trade only latency for
 * fewer, larger batches, never safety.
 */
export const defaultFlushBounds: FlushBounds = { records: 10_000, bytes: 64 * 1024 * 1024, ageMs: 60_000 };

/** How often waiting records are looked at, and how long a batch whose landing failed waits before a retry. */
const pollMs = 1_000;
const retryMs = 60_000;

export interface StreamFlusherDeps {
  db: Kysely<Database>;
  now: () => number;
  layout: LakeLayout;
  queue: StreamQueue;
  batches: ImportedBatches;
  bounds: FlushBounds;
  log?: RunLog | undefined;
}

/**
 * Lands streamed records as Catalog batches, through the same validation and lake path as Batch Ingestion.
 * A batch claims its records and is created in one transaction; the transaction that commits it deletes them.
 * A batch that was claimed and never committed (the process stopped, or its landing failed) is landed again
 * under the same id, so a record is landed once whatever happens in between.
 */
export class StreamFlusher {
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly repo: ResourcesRepository;

  constructor(private readonly deps: StreamFlusherDeps) {
    this.repo = new ResourcesRepository(deps.db);
  }

  /** Lands what a previous process left claimed, then keeps landing records as they come due. */
  start(): void {
    this.stopped = false;
    this.schedule(0, true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  /** Records arrived: look again soon rather than at the next poll (a bound may have been crossed). */
  kick(): void {
    if (!this.stopped) this.schedule(0, false);
  }

  /** Lands every waiting and claimed record now, whatever the bounds (tests; an operator's flush). */
  async flushAll(): Promise<void> {
    await this.ticking;
    const next = this.ticking.then(() => this.tick(true));
    this.ticking = next.catch(() => undefined);
    await next;
  }

  private schedule(delay: number, retryClaimed: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ticking = this.ticking
        .then(() => this.tick(false, retryClaimed))
        .catch((error: unknown) => this.deps.log?.warn({ err: error }, 'landing streamed records failed'))
        .finally(() => {
          if (!this.stopped) this.schedule(pollMs, false);
        });
    }, delay);
    this.timer.unref();
  }

  private async tick(force: boolean, retryAllClaimed = false): Promise<void> {
    const now = this.deps.now();
    for (const claimed of await this.deps.queue.claimedBatches()) {
      if (this.stopped && !force) return;
      if (force || retryAllClaimed || claimed.claimedAt <= now - retryMs) await this.land(claimed);
    }
    const { bounds } = this.deps;
    for (;;) {
      const due = (await this.deps.queue.pendingGroups()).filter((g) => force || g.records >= bounds.records || g.bytes >= bounds.bytes || g.oldestAt <= now - bounds.ageMs);
      if (due.length === 0 || (this.stopped && !force)) return;
      for (const group of due) await this.flushGroup(group);
      // Under the count and size bounds a group may hold more than one batch's worth: go round until none is due.
    }
  }

  /** Claims a batch's worth of a group's records, creating its Catalog batch, and lands it. */
  private async flushGroup(group: PendingGroup): Promise<void> {
    const target = parseTargetKey(group.target);
    const batchId = crypto.randomBytes(16).toString('hex');
    const now = this.deps.now();
    const inlet = await findStreamingInlet(this.deps.db, target.connectionId);
    const creator = { orgId: group.scope.orgId, sandboxId: group.scope.sandboxId, clientId: inlet?.createdClient ?? 'tributary', userId: inlet?.createdBy ?? 'tributary' };
    const batch = loadingBatch(
      creator,
      target.dataSetId,
      { format: 'json' },
      {
        enableErrorDiagnostics: true,
        partialIngestionPercent: 100,
        producer: 'tributary:streaming',
        tags: { acp_connectionId: [target.connectionId], ...(target.flowId ? { acp_flowId: [target.flowId] } : {}) },
      },
      now,
      batchId,
    );
    const claimed = await this.deps.queue.claim(group, batchId, { maxRecords: this.deps.bounds.records, maxBytes: this.deps.bounds.bytes }, now, (trx) =>
      this.deps.batches.insert(group.scope, batch, now, new ResourcesRepository(trx)),
    );
    if (claimed > 0) await this.land({ batchId, scope: group.scope, target: group.target, claimedAt: now });
  }

  /**
   * Lands one claimed batch: its records become a JSON-lines file of the batch, read as Batch Ingestion reads
   * uploads, each row validated against the dataset's schema. A rejected record does not hold the others back:
   * it is kept, with its reasons, in the batch's diagnostics (`/export/batches/{id}/meta?path=row_errors`).
   */
  private async land(claimed: ClaimedBatch): Promise<void> {
    if (this.inFlight.has(claimed.batchId)) return;
    this.inFlight.add(claimed.batchId);
    const { queue, batches } = this.deps;
    try {
      const batch = await batches.find(claimed.scope, claimed.batchId);
      const status = batch ? String(batch.body.status) : undefined;
      if (!batch || status === 'success' || status === 'failed' || status === 'aborted') {
        // Committed or given up already: the records have nothing left to land in.
        await queue.deleteBatch(this.deps.db, claimed.batchId);
        return;
      }
      const target = parseTargetKey(claimed.target);
      const inlet = await findStreamingInlet(this.deps.db, target.connectionId);
      const sandbox = await this.deps.db.selectFrom('sandboxes').select(['id', 'name']).where('id', '=', claimed.scope.sandboxId).executeTakeFirst();
      if (!sandbox) {
        await queue.deleteBatch(this.deps.db, claimed.batchId);
        return;
      }
      const rules = target.mapping ? await mappingRules(this.repo, claimed.scope, target.mapping.id, target.mapping.version) : undefined;
      // Claimed before its file is written: a server (or a client's COMPLETE) landing it already keeps it.
      const landing = await batches.claim(claimed.scope, claimed.batchId);
      const folder = new BatchUploadFolder(this.deps.layout.uploadDir(claimed.batchId));
      const actor = { orgId: claimed.scope.orgId, clientId: inlet?.createdClient ?? batch.body.createdClient ?? '', userId: inlet?.createdBy ?? batch.body.createdUser ?? '', sandbox };
      const outcome = await batches.land(actor, landing, folder, {
        prepare: () => folder.put('streamed-records.json', Readable.from(queue.lines(claimed.batchId))),
        ...(target.mapping && rules ? { mapping: { ...target.mapping, rules } } : {}),
        options: { partialIngestionPercent: 100, errorDiagnosticsEnabled: true },
        sparse: true,
        markFailed: false,
        onCommit: (trx) => queue.deleteBatch(trx, claimed.batchId),
      });
      if (outcome.status !== 'success') {
        // AEP's "retrying": the records stay claimed and the landing is tried again later.
        const errors = outcome.errors.map((e) => ({ code: e.code, description: e.message }));
        await batches.finish(claimed.scope, claimed.batchId, { status: 'retrying', errors });
        await queue.touch(claimed.batchId, this.deps.now());
        this.deps.log?.warn({ batchId: claimed.batchId, errors }, 'streamed records did not land; retrying later');
      }
    } catch (error) {
      // Another server (or a client's COMPLETE) is landing it, or has landed it: the next pass sees which.
      if (error instanceof BatchClaimLost || error instanceof FlowBusyError || error instanceof UniqueViolation) return;
      if (error instanceof ApiError) {
        // The dataset or its schema was deleted: there is nowhere left to land these records.
        await batches.finish(claimed.scope, claimed.batchId, { status: 'failed', errors: [{ code: 'INGEST-1002-400', description: error.message }], completed: this.deps.now() });
        await queue.deleteBatch(this.deps.db, claimed.batchId);
        this.deps.log?.warn({ batchId: claimed.batchId, reason: error.message }, 'streamed records dropped: their dataset is gone');
        return;
      }
      await queue.touch(claimed.batchId, this.deps.now());
      throw error;
    } finally {
      this.inFlight.delete(claimed.batchId);
    }
  }
}
