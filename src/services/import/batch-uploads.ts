import crypto from 'node:crypto';
import type { RequestContext } from '../../server/gateway/request-context.js';

export type InputFormat = 'json' | 'parquet' | 'csv';

/** A batch as Batch Ingestion creates it: `loading` until COMPLETE lands its files (or ABORT drops them). */
export function loadingBatch(
  ctx: RequestContext,
  dataSetId: string,
  inputFormat: Record<string, unknown> & { format: InputFormat },
  options: { enableErrorDiagnostics: boolean; partialIngestionPercent: number | undefined },
  now: number,
): Record<string, unknown> {
  return {
    id: crypto.randomBytes(16).toString('hex'),
    imsOrg: ctx.orgId,
    sandboxId: ctx.sandbox.id,
    status: 'loading',
    relatedObjects: [{ type: 'dataSet', id: dataSetId }],
    inputFormat,
    version: '1.0.0',
    tags: {
      acp_producer: ['tributary:import'],
      acp_enableErrorDiagnostics: [String(options.enableErrorDiagnostics)],
      ...(options.partialIngestionPercent !== undefined ? { acp_partialIngestionPercent: [String(options.partialIngestionPercent)] } : {}),
    },
    created: now,
    updated: now,
    createdClient: ctx.clientId,
    createdUser: ctx.userId,
    updatedUser: ctx.userId,
  };
}

/** The source format DuckDB reads an upload in, from the batch's `inputFormat`. */
export function sourceData(inputFormat: Record<string, unknown>): Record<string, unknown> {
  if (inputFormat.format === 'csv') {
    return { format: 'delimited', properties: { ...(typeof inputFormat.delimiter === 'string' ? { columnDelimiter: inputFormat.delimiter } : {}), ...(typeof inputFormat.quote === 'string' ? { quote: inputFormat.quote } : {}) } };
  }
  return { format: inputFormat.format };
}

/** Uploaded file names become file names on disk: only plain names, never paths. */
export function safeFileName(name: string): string | undefined {
  const base = name.split('/').pop() ?? '';
  return /^[\w][\w.-]{0,200}$/.test(base) ? base : undefined;
}
