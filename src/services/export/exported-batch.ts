import type { BatchLocation } from '../../lake/batch-files.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import { batchKind } from '../catalog/batches.js';
import { dataSetOfBatch, storedBatch } from '../../engine/batch-document.js';

/** A Catalog batch, as Data Access needs it: where its files are and whether they hold valid data. */
export interface ExportedBatch {
  id: string;
  location: BatchLocation;
  /** Promoted (`success`, or AEP's other name `active`): its data files are part of the dataset. */
  promoted: boolean;
  /** When it was promoted, or else created (epoch ms). */
  completed: number;
}

/**
 * Finds a batch of the caller's org and sandbox in the Catalog. The lake is only ever reached through a batch
 * found here, so another org's or sandbox's batch, or a lake folder no batch owns, is as unknown as a made-up id.
 */
export async function findExportedBatch(repo: ResourcesRepository, ctx: RequestContext, batchId: string): Promise<ExportedBatch | undefined> {
  const found = await repo.get(batchKind, ctx.scope, batchId);
  if (!found) return undefined;
  const stored = storedBatch(found);
  const body = stored.body;
  const dataSetId = dataSetOfBatch(body);
  if (!dataSetId) return undefined;
  const completed = typeof body.completed === 'number' ? body.completed : stored.createdAt;
  return {
    id: stored.id,
    location: { orgId: ctx.orgId, sandboxName: ctx.sandbox.name, dataSetId, batchId: stored.id },
    promoted: body.status === 'success' || body.status === 'active',
    completed,
  };
}
