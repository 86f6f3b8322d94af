import type { ResourcesRepository, Scope } from '../store/resources.repository.js';

export const flowStateKind = 'engine.flowState';

/**
 * A flow's incremental state, committed in the same transaction as the batch it describes.
 * `version` lets a later format migrate old rows step by step.
 */
export interface FlowState {
  version: 1;
  /** Highest delta-column value landed so far (ISO-8601), or absent before the first successful run. */
  watermark?: string;
  lastBatchId?: string;
  lastRunId?: string;
  /** An API connector's own position (its streams' cursors), opaque here and owned by the connector. */
  connector?: unknown;
}

export async function readFlowState(repo: ResourcesRepository, scope: Scope, flowId: string): Promise<{ state: FlowState; etag: string | undefined }> {
  const stored = await repo.get(flowStateKind, scope, flowId);
  return stored ? { state: migrate(stored.body), etag: stored.etag } : { state: { version: 1 }, etag: undefined };
}

function migrate(body: unknown): FlowState {
  const value = (body ?? {}) as Partial<FlowState> & { version?: number };
  // Only one format so far; a version 2 adds a step here.
  const state: FlowState = { version: 1 };
  if (typeof value.watermark === 'string') state.watermark = value.watermark;
  if (typeof value.lastBatchId === 'string') state.lastBatchId = value.lastBatchId;
  if (typeof value.lastRunId === 'string') state.lastRunId = value.lastRunId;
  if (value.connector !== undefined) state.connector = value.connector;
  return state;
}
