import crypto from 'node:crypto';

export type InputFormat = 'json' | 'parquet' | 'csv';

export const inputFormats: readonly InputFormat[] = ['json', 'parquet', 'csv'];

/** Who creates a batch and where: a request's context, or the streaming service acting for an inlet. */
export interface BatchCreator {
  orgId: string;
  sandboxId: string;
  clientId: string;
  userId: string;
}

/** A batch as Batch Ingestion creates it: `loading` until COMPLETE lands its files (or ABORT drops them). */
export function loadingBatch(
  creator: BatchCreator,
  dataSetId: string,
  inputFormat: Record<string, unknown> & { format: InputFormat },
  options: { enableErrorDiagnostics: boolean; partialIngestionPercent: number | undefined; externalId?: string | undefined; tags?: Record<string, string[]> | undefined; producer?: string },
  now: number,
  id = crypto.randomBytes(16).toString('hex'),
): Record<string, unknown> {
  return {
    id,
    imsOrg: creator.orgId,
    sandboxId: creator.sandboxId,
    status: 'loading',
    relatedObjects: [{ type: 'dataSet', id: dataSetId }],
    inputFormat,
    version: '1.0.0',
    ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
    tags: {
      ...options.tags,
      acp_producer: [options.producer ?? 'tributary:import'],
      acp_enableErrorDiagnostics: [String(options.enableErrorDiagnostics)],
      ...(options.partialIngestionPercent !== undefined ? { acp_partialIngestionPercent: [String(options.partialIngestionPercent)] } : {}),
    },
    created: now,
    updated: now,
    createdClient: creator.clientId,
    createdUser: creator.userId,
    updatedUser: creator.userId,
  };
}

/** The source format DuckDB reads an upload in, from the batch's `inputFormat`. */
export function sourceData(inputFormat: Record<string, unknown>): Record<string, unknown> {
  const format = String(inputFormat.format ?? 'json').toLowerCase();
  if (format === 'csv') {
    const properties: Record<string, unknown> = {};
    if (typeof inputFormat.delimiter === 'string') properties.columnDelimiter = inputFormat.delimiter;
    if (typeof inputFormat.quote === 'string') properties.quote = inputFormat.quote;
    if (typeof inputFormat.charset === 'string') properties.encoding = inputFormat.charset;
    return { format: 'delimited', properties };
  }
  return { format };
}
