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
