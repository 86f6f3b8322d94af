/** An error a run reports, as AEP's run and batch errors carry them. */
export interface RunError {
  code: string;
  message: string;
  recordCount?: number;
}

/** Where a run in progress is: waiting for a worker, reading the source, reading its columns, mapping and writing (one pass), committing. */
export type RunStage = 'queued' | 'extracting' | 'reading' | 'writing' | 'committing';

/** What a run did, stage by stage; it becomes the run's `metrics` and `activities`. */
export interface RunOutcome {
  status: 'inProgress' | 'success' | 'failed';
  stage?: RunStage;
  /** How far the current stage has got, 0–100, when it can tell. */
  stagePercent?: number;
  startedAt: number;
  completedAt?: number;
  window: { start: number | null; end: number };
  inputFileCount: number;
  inputBytes: number;
  /** Rows read from the source in the window. */
  inputRecords: number;
  /** Rows with a null or unreadable delta value: not loaded, reported. */
  skippedRecords: number;
  /** Rows that stand for records deleted at the source (a change log said so); their ids are kept, not their rows. */
  deletedRecords?: number;
  /** Rows rejected by the mapping or the schema. */
  failedRecords: number;
  outputRecords: number;
  outputFileCount: number;
  outputBytes: number;
  batchId?: string;
  errors: RunError[];
  /** What an API source's read did, per stream (requests, retries, 429s, records, windows split …). */
  streams?: Record<string, unknown>[];
  /** What the user should know that did not fail the run. */
  notices?: { code: string; message: string }[];
}

export function emptyOutcome(startedAt: number, window: RunOutcome['window']): RunOutcome {
  return {
    status: 'inProgress',
    startedAt,
    window,
    inputFileCount: 0,
    inputBytes: 0,
    inputRecords: 0,
    skippedRecords: 0,
    failedRecords: 0,
    outputRecords: 0,
    outputFileCount: 0,
    outputBytes: 0,
    errors: [],
  };
}
