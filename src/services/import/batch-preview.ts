import path from 'node:path';
import { Type, type Static } from 'typebox';
import { readerFor } from '../../connectors/local-files/local-files-connector.js';
import { SourceConfigError } from '../../connectors/source-connector.js';
import { DuckDbSession } from '../../lake/duckdb-session.js';
import { sqlString } from '../../mapping/sql-text.js';
import { ApiError } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import type { UploadedFile } from './batch-upload-folder.js';
import { inputFormats, type InputFormat } from './batch-uploads.js';

/** `GET /batches/{batchId}/datasets/{datasetId}/preview`'s parameters, as Adobe's Batch Ingestion spec names them. */
export const PreviewQuery = Type.Object({
  format: Type.Optional(Type.String()),
  isMultiLineJson: Type.Optional(QueryBoolean({ description: 'Whether the JSON files hold multi-line JSON (an array, or objects over several lines).' })),
  delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
  quote: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
  escape: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
  charset: Type.Optional(Type.String()),
  header: Type.Optional(QueryBoolean({ description: 'Whether CSV files start with a header row.' })),
  nrow: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** Rows a preview shows when `nrow` is 0 (the spec's default) or absent, and at most. */
const defaultRows = 100;
const maxRows = 1000;

/**
 * The first rows of the files uploaded to a batch so far, read by DuckDB as completion would read them, in
 * Adobe's `PreviewResponse` shape: `formatParams` as used, `preview.columns` (`cid`, `name`) and `preview.rows`,
 * each row an object of string values keyed by column. Nested fields are flattened to `a/b/c` paths, as in the
 * spec's example (`_acmesandbox/testClassField0`); lists are shown as JSON.
 */
export async function previewBatchFiles(files: UploadedFile[], batchFormat: unknown, query: Static<typeof PreviewQuery>, tempDir: string): Promise<Record<string, unknown>> {
  const created = isRecord(batchFormat) ? batchFormat : {};
  const format = String(query.format ?? created.format ?? 'json').toLowerCase();
  if (!inputFormats.includes(format as InputFormat)) {
    throw new ApiError('validation', `format "${query.format ?? ''}" is not one of ${inputFormats.join(', ')}`, { problems: [{ in: 'query', path: 'format', message: `must be one of ${inputFormats.join(', ')}` }] });
  }
  const formatParams = {
    format,
    delimiter: query.delimiter ?? (typeof created.delimiter === 'string' ? created.delimiter : ','),
    quote: query.quote ?? (typeof created.quote === 'string' ? created.quote : '"'),
    escape: query.escape ?? (typeof created.escape === 'string' ? created.escape : '\\'),
    charset: query.charset ?? (typeof created.charset === 'string' ? created.charset : 'UTF-8'),
    header: query.header ?? true,
  };
  if (files.length === 0) return { formatParams, preview: { columns: [], rows: [] } };
  const limit = Math.min(query.nrow ? query.nrow : defaultRows, maxRows);
  const paths = files.map((f) => f.path);
  const duck = await DuckDbSession.open({ tempDirectory: tempDir, allowedDirectories: [...new Set(paths.map((p) => path.dirname(p)))] });
  try {
    const relation = format === 'csv' ? csvReader(paths, formatParams) : readerFor(paths, { format });
    const rows = (await duck.rows(`SELECT * FROM ${relation} LIMIT ${limit}`)).map((row) => flatten(row));
    const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    return { formatParams, preview: { columns: names.map((name, cid) => ({ cid: String(cid), name })), rows } };
  } catch (error) {
    if (error instanceof SourceConfigError) throw new ApiError('validation', error.message);
    if (error instanceof Error && /Error:/.test(error.message)) {
      throw new ApiError('validation', `The batch's files cannot be read as ${format}: ${error.message.split('\n')[0] ?? ''}`, { problems: [{ in: 'query', path: 'format', message: 'does not match the files' }] });
    }
    throw error;
  } finally {
    duck.close();
  }
}

function csvReader(paths: string[], params: { delimiter: string; quote: string; escape: string; charset: string; header: boolean }): string {
  const encoding = params.charset.toLowerCase().replace('_', '-');
  const known: Record<string, string> = { 'utf-8': 'utf-8', utf8: 'utf-8', 'utf-16': 'utf-16', 'iso-8859-1': 'latin-1', 'latin-1': 'latin-1', latin1: 'latin-1' };
  const duckEncoding = known[encoding];
  if (!duckEncoding) throw new ApiError('validation', `charset "${params.charset}" is not supported (UTF-8, UTF-16 or ISO-8859-1)`, { problems: [{ in: 'query', path: 'charset', message: 'not supported' }] });
  const options = [
    `header = ${params.header}`,
    `delim = ${sqlString(params.delimiter)}`,
    `quote = ${sqlString(params.quote)}`,
    `escape = ${sqlString(params.escape)}`,
    `encoding = ${sqlString(duckEncoding)}`,
    'all_varchar = true',
    'ignore_errors = true',
  ];
  return `read_csv([${paths.map(sqlString).join(', ')}], ${options.join(', ')})`;
}

/** A row as `{path: text}`: nested objects become `a/b` paths, lists JSON, nulls are left out. */
function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, field] of Object.entries(value)) {
    const name = prefix ? `${prefix}/${key}` : key;
    if (field === null || field === undefined) continue;
    if (isRecord(field)) flatten(field, name, out);
    else out[name] = typeof field === 'string' ? field : JSON.stringify(field);
  }
  return out;
}
