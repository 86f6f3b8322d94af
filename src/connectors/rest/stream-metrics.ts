/** What one stream's read did, shown in the run's metrics so a slow or lossy read can be explained. */
export interface StreamMetrics {
  stream: string;
  requests: number;
  /** Pages read (answered and written). */
  pages: number;
  retries: number;
  rateLimited: number;
  records: number;
  bytes: number;
  windows: number;
  windowsSplit: number;
  /** Records a provider listed outside the window asked for (it ignored the filter), left out. */
  outsideWindow: number;
  /** Tolerated responses (e.g. a 404 for a record deleted between list and detail), by reason. */
  tolerated: Record<string, number>;
  /** Record fields the stream's columns do not know, with how many records carried each. */
  unknownFields: Record<string, number>;
}

export function emptyStreamMetrics(stream: string): StreamMetrics {
  return { stream, requests: 0, pages: 0, retries: 0, rateLimited: 0, records: 0, bytes: 0, windows: 0, windowsSplit: 0, outsideWindow: 0, tolerated: {}, unknownFields: {} };
}
