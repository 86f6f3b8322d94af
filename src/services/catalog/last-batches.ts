import { dataSetOfBatch } from '../../engine/batch-document.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { StoredResource } from '../../store/resources.repository.js';

/** A dataset's newest batch, its newest successful one and its newest failed one (`lastBatchesResponse`). */
export interface LastBatches {
  lastBatchId: string;
  lastBatchStatus: string;
  lastSuccessfulBatchId?: string;
  lastFailedBatchId?: string;
  /** When the newest batch was created and last updated. */
  created: number;
  updated: number;
}

/** Catalog calls a promoted batch `success` or `active`, and a failed one `failed` or `failure`. */
const successful = new Set(['success', 'active']);
const failed = new Set(['failed', 'failure']);

/** The last batches of every dataset that has any, newest by creation time (then id, so ties are stable). */
export function lastBatchesByDataSet(batches: readonly StoredResource[]): Map<string, LastBatches> {
  const byDataSet = new Map<string, { id: string; status: string; created: number; updated: number }[]>();
  for (const stored of batches) {
    const body = isRecord(stored.body) ? stored.body : {};
    const dataSetId = dataSetOfBatch(body);
    if (!dataSetId) continue;
    const entry = {
      id: stored.id,
      status: typeof body.status === 'string' ? body.status : 'processing',
      created: typeof body.created === 'number' ? body.created : stored.createdAt,
      updated: typeof body.updated === 'number' ? body.updated : stored.updatedAt,
    };
    byDataSet.set(dataSetId, [...(byDataSet.get(dataSetId) ?? []), entry]);
  }
  const out = new Map<string, LastBatches>();
  for (const [dataSetId, entries] of byDataSet) {
    const newestFirst = entries.sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const last = newestFirst[0];
    if (!last) continue;
    const lastSuccessful = newestFirst.find((e) => successful.has(e.status));
    const lastFailed = newestFirst.find((e) => failed.has(e.status));
    out.set(dataSetId, {
      lastBatchId: last.id,
      lastBatchStatus: last.status,
      ...(lastSuccessful ? { lastSuccessfulBatchId: lastSuccessful.id } : {}),
      ...(lastFailed ? { lastFailedBatchId: lastFailed.id } : {}),
      created: last.created,
      updated: last.updated,
    });
  }
  return out;
}
