import { claimedStatus, uncommittedStatuses } from '../../engine/batch-document.js';

/** What a client can do to a batch: `POST /import/batches/{batchId}?action=...`. */
export const batchActions = ['COMPLETE', 'ABORT', 'FAIL', 'REVERT'] as const;

export type BatchAction = (typeof batchActions)[number];

export function isBatchAction(action: string): action is BatchAction {
  return (batchActions as readonly string[]).includes(action);
}

/** The statuses that mean an action's outcome is there already (COMPLETE's is either). */
const outcomes: Record<BatchAction, readonly string[]> = { COMPLETE: ['success', 'failed'], ABORT: ['aborted'], FAIL: ['failed'], REVERT: ['inactive'] };

/** The statuses an action starts from. */
const starts: Record<BatchAction, readonly string[]> = { COMPLETE: uncommittedStatuses, ABORT: uncommittedStatuses, FAIL: uncommittedStatuses, REVERT: ['success'] };

/** Why an action is refused when the batch is in none of its statuses. */
export const refusals: Record<BatchAction, string> = {
  COMPLETE: 'only a loading batch can be completed',
  ABORT: 'a batch can be aborted only while it is loading',
  FAIL: 'a batch can be failed only while it is loading',
  REVERT: 'only a successful batch can be reverted',
};

/**
 * Where a batch in `status` stands for an action: `done` when it has the action's outcome already (a retried
 * action is answered the same, as AEP's troubleshooting guide says COMPLETE is safe to retry), `open` when the
 * action can go ahead, `busy` while a completion is landing it (409: an ABORT then must neither interrupt it nor
 * turn it into a failure), `refused` otherwise (400).
 */
export function actionStanding(action: BatchAction, status: string | undefined): 'done' | 'open' | 'busy' | 'refused' {
  if (status === undefined) return 'refused';
  if (outcomes[action].includes(status)) return 'done';
  if (status === claimedStatus) return 'busy';
  return starts[action].includes(status) ? 'open' : 'refused';
}

/** The conditional status change each action but COMPLETE (which lands the files) makes. */
export const batchChanges: Record<Exclude<BatchAction, 'COMPLETE'>, { from: readonly string[]; fields: Record<string, unknown> & { status: string } }> = {
  ABORT: { from: starts.ABORT, fields: { status: 'aborted' } },
  FAIL: { from: starts.FAIL, fields: { status: 'failed', errors: [{ code: 'INGEST-1100-400', description: 'The client marked the batch as failed (action=FAIL).' }] } },
  // REVERT: the batch's data stays in the lake, but no longer counts (Catalog's "inactive").
  REVERT: { from: starts.REVERT, fields: { status: 'inactive' } },
};
