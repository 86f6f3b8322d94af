import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ColumnType } from '../../connectors/rest/definition.js';
import type { RestConnector } from '../../connectors/rest/rest-connector.js';
import { isSourceError, SourceConfigError, SourceProviderError, SourceTransientError } from '../../connectors/source-connector.js';
import { ApiError } from '../../server/errors/api-error.js';
import { exploreColumn, type XdmColumnType } from './explore-column.js';

/** A REST column's type in XDM terms: times are strings with the date-time format. */
function xdmOf(type: ColumnType): XdmColumnType {
  return type === 'date-time' ? { type: 'string', format: 'date-time' } : { type };
}

/**
 * Explore for API sources: `objectType=root` lists the tables, `objectType=table&object=<path>` gives a table's
 * columns and, with `preview=true`, up to 100 rows read live from the provider. `objectType=rest` with
 * `sourceParams` (base64 of `{"resourcePath": …}`) answers in the hierarchical form AEP's Stripe source uses.
 */
export async function exploreRestSource(
  connector: RestConnector,
  auth: Record<string, unknown>,
  query: { objectType: string; object?: string | undefined; preview?: boolean | undefined; sourceParams?: string | undefined },
  tempRoot: string,
  saveCredentials: (auth: Record<string, unknown>) => Promise<void>,
): Promise<unknown> {
  if (query.objectType === 'root') {
    return connector.tables().map((table) => ({ type: 'table', name: table.name, path: table.path, canPreview: true, canFetchSchema: true }));
  }
  if (query.objectType !== 'table' && query.objectType !== 'rest') {
    throw new ApiError('validation', `objectType "${query.objectType}" does not apply to ${connector.definition.vendor} connections; use root, table or rest`, {
      problems: [{ in: 'query', path: 'objectType', message: 'must be root, table or rest for this connection' }],
    });
  }
  const params = query.objectType === 'rest' ? restParams(query.sourceParams) : { tableName: query.object ?? '' };
  const stream = asApiError(() => connector.streamFor(params), query.objectType === 'rest' ? 'sourceParams' : 'object');
  const schema =
    query.objectType === 'rest'
      ? { type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: Object.fromEntries(stream.columns.map((c) => [c.name, xdmOf(c.type)])) } } } }
      : { columns: stream.columns.map((c) => exploreColumn(c.name, xdmOf(c.type))) };
  const format = query.objectType === 'rest' ? 'hierarchical' : 'flat';
  if (!query.preview) return { format, schema };
  const dir = path.join(tempRoot, `explore-${crypto.randomUUID()}`);
  fs.mkdirSync(dir, { recursive: true });
  try {
    const data = await withSourceErrors(() => connector.preview(auth, params, dir, saveCredentials));
    return { format, schema, data };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `sourceParams`: base64 (or base64url) of a JSON object naming the resource, e.g. `{"resourcePath":"charges"}`. */
function restParams(encoded: string | undefined): Record<string, unknown> {
  const fail = (message: string) => new ApiError('validation', message, { problems: [{ in: 'query', path: 'sourceParams', message }] });
  if (!encoded) throw fail('objectType=rest needs sourceParams: base64 of {"resourcePath": "<resource>"}');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw fail('sourceParams is not base64 of a JSON object');
  }
  if (typeof decoded !== 'object' || decoded === null || typeof (decoded as { resourcePath?: unknown }).resourcePath !== 'string') throw fail('sourceParams must hold {"resourcePath": "<resource>"}');
  return { resourcePath: (decoded as { resourcePath: string }).resourcePath };
}

/** `GET /connections/{id}/test`: one authenticated request; the verdict says what is wrong, never the secret. */
export async function testRestSource(connector: RestConnector, auth: Record<string, unknown>, saveCredentials: (auth: Record<string, unknown>) => Promise<void>): Promise<{ status: 'ok' | 'failed'; message: string }> {
  try {
    await connector.check(auth, saveCredentials);
    return { status: 'ok', message: `connected to ${connector.definition.vendor}` };
  } catch (error) {
    if (isSourceError(error)) return { status: 'failed', message: error.message };
    throw error;
  }
}

function asApiError<T>(read: () => T, field: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SourceConfigError) throw new ApiError('validation', error.message, { problems: [{ in: 'query', path: field, message: error.message }] });
    throw error;
  }
}

/** Rejected credentials are the caller's to fix (400); a provider that cannot be reached is not (502). */
async function withSourceErrors<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SourceConfigError) throw new ApiError('validation', error.message);
    if (error instanceof SourceTransientError || error instanceof SourceProviderError) throw new ApiError('sourceUnreachable', error.message);
    throw error;
  }
}
