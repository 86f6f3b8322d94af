import { hasShape } from '../store/compiled-check.js';
import { Type } from 'typebox';
import { claimedStatus, dataSetOfBatch, uncommittedStatuses } from '../engine/batch-document.js';
import { StoredBatchBody } from '../engine/stored-batch.schema.js';

/** A Catalog batch as a snapshot saw it, and where its folder is in the lake. */
export interface SnapshotBatch {
  id: string;
  orgId: string;
  sandboxId: string;
  status: string | undefined;
  dataSetId: string | undefined;
}

const StoredBatchStatus = Type.Object({ status: Type.String() });

/** The status of a stored batch body (text, as the store keeps it); undefined when it has none. */
export function batchStatus(body: string): string | undefined {
  const parsed = parseJson(body);
  return hasShape(StoredBatchStatus, parsed) ? parsed.status : undefined;
}

export function snapshotBatch(row: { id: string; org_id: string; sandbox_id: string; body: string }): SnapshotBatch {
  const parsed = parseJson(row.body);
  // Read leniently: a backup copies whatever the store holds, and a body of another shape has no dataset to name.
  return { id: row.id, orgId: row.org_id, sandboxId: row.sandbox_id, status: batchStatus(row.body), dataSetId: hasShape(StoredBatchBody, parsed) ? dataSetOfBatch(parsed) : undefined };
}

/**
 * Whether a batch's lake folder belongs in a backup: it is committed. A batch still landing (loading, retrying,
 * or claimed by a completion) has files that are not data yet, or are still arriving; a deleted batch's folder is
 * on its way out. Every other status (success, inactive after a REVERT, failed ...) keeps whatever its folder
 * holds, as the live lake does.
 */
export function holdsCommittedFiles(status: string | undefined): boolean {
  return status !== undefined && status !== 'deleted' && status !== claimedStatus && !uncommittedStatuses.includes(status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
