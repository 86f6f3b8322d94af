import path from 'node:path';

/**
 * Where data lives on disk:
 *   <dataDir>/lake/<org>/<sandbox>/<datasetId>/<batchId>/part-00000.parquet   landed rows
 *   <dataDir>/lake/<org>/<sandbox>/<datasetId>/<batchId>/_meta/row_errors/… rejected rows, per batch
 *   <dataDir>/lake/<org>/<sandbox>/<datasetId>/<batchId>/_meta/input_files/… what the batch was read from
 *   <dataDir>/staging/<runId>/…                                             a run's load package
 *   <dataDir>/results/<queryId>.ndjson                                      a query's rows, one JSON row a line
 * A batch folder is only data once the Catalog says the batch succeeded.
 */
export class LakeLayout {
  constructor(private readonly dataDir: string) {}

  lakeRoot(): string {
    return path.join(this.dataDir, 'lake');
  }

  stagingRoot(): string {
    return path.join(this.dataDir, 'staging');
  }

  dataSetDir(orgId: string, sandboxName: string, dataSetId: string): string {
    return path.join(this.lakeRoot(), safe(orgId), safe(sandboxName), safe(dataSetId));
  }

  batchDir(orgId: string, sandboxName: string, dataSetId: string, batchId: string): string {
    return path.join(this.dataSetDir(orgId, sandboxName, dataSetId), safe(batchId));
  }

  rowErrorsDir(batchDir: string): string {
    return path.join(batchDir, '_meta', 'row_errors');
  }

  /** The manifest of the files a batch was read from (`_meta/input_files/input_files.json`). */
  inputFilesDir(batchDir: string): string {
    return path.join(batchDir, '_meta', 'input_files');
  }

  /** The ids of the records a batch deleted (`_meta/deletions/*.parquet`), for the newest-version tables. */
  deletionsDir(batchDir: string): string {
    return path.join(batchDir, '_meta', 'deletions');
  }

  /** Marks a batch that holds its source's whole current state (`_meta/snapshot/snapshot.json`). */
  snapshotDir(batchDir: string): string {
    return path.join(batchDir, '_meta', 'snapshot');
  }

  stagingDir(runId: string): string {
    return path.join(this.stagingRoot(), safe(runId));
  }

  /** Files uploaded into a batch by the Batch Ingestion API, until the batch is completed or aborted. */
  uploadDir(batchId: string): string {
    return path.join(this.dataDir, 'uploads', safe(batchId));
  }

  tempDir(): string {
    return path.join(this.dataDir, 'tmp');
  }

  /** Query results too large for the metadata store, until they expire or their query is deleted. */
  resultsDir(): string {
    return path.join(this.dataDir, 'results');
  }

  queryResultFile(queryId: string): string {
    return path.join(this.resultsDir(), `${safe(queryId)}.ndjson`);
  }
}

/** Ids come from the API; never let one climb out of its folder. */
function safe(segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) throw new Error(`unsafe path segment "${segment}"`);
  return segment;
}
