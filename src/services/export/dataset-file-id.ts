/**
 * Data Access names each Parquet file of a batch `<batchId>-<n>` (n from 1, in file-name order), as AEP's
 * dataSetFileIds look. The id leads back to a file only through the batch's own listing: it carries no path.
 */
export function datasetFileId(batchId: string, index: number): string {
  return `${batchId}-${index + 1}`;
}

/** The batch and the 0-based position of the file an id names, or undefined when it is not such an id. */
export function parseDatasetFileId(id: string): { batchId: string; index: number } | undefined {
  const dash = id.lastIndexOf('-');
  const batchId = id.slice(0, dash);
  const ordinal = id.slice(dash + 1);
  if (dash <= 0 || !/^[1-9]\d{0,5}$/.test(ordinal)) return undefined;
  return { batchId, index: Number(ordinal) - 1 };
}
