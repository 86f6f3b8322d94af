import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ColumnType } from '../../connectors/rest/definition.js';
import type { RestConnector } from '../../connectors/rest/rest-connector.js';
import { SourceConfigError, SourceProviderError, SourceTransientError } from '../../connectors/source-connector.js';
import { ApiError } from '../../server/errors/api-error.js';

/** A column of a REST table in the explore response's terms (AEP's tabular sources). */
function exploreColumn(name: string, type: ColumnType): Record<string, unknown> {
  if (type === 'date-time') return { name, type: 'string', 'meta:xdmType': 'date-time', xdm: { type: 'string', format: 'date-time' } };
  return { name, type, xdm: { type } };
}

/**
 * Explore for API sources: `objectType=root` lists the tables, `objectType=table&object=<path>` gives a table's
 * columns and, with `preview=true`, up to 100 rows read live from the provider.
 */
export async function exploreRestSource(
  connector: RestConnector,
  auth: Record<string, unknown>,
  query: { objectType: string; object?: string | undefined; preview?: boolean | undefined },
  tempRoot: string,
  saveCredentials: (auth: Record<string, unknown>) => Promise<void>,
): Promise<unknown> {
  if (query.objectType === 'root') {
    return connector.tables().map((table) => ({ type: 'table', name: table.name, path: table.path, canPreview: true, canFetchSchema: true }));
  }
  if (query.objectType !== 'table') {
    throw new ApiError('validation', `objectType "${query.objectType}" does not apply to ${connector.definition.vendor} connections; use root or table`, {
      problems: [{ in: 'query', path: 'objectType', message: 'must be root or table for this connection' }],
    });
  }
  const stream = asApiError(() => connector.streamFor({ tableName: query.object ?? '' }), 'object');
  const schema = { columns: stream.columns.map((c) => exploreColumn(c.name, c.type)) };
  if (!query.preview) return { format: 'flat', schema };
  const dir = path.join(tempRoot, `explore-${crypto.randomUUID()}`);
  fs.mkdirSync(dir, { recursive: true });
  try {
    const data = await withSourceErrors(() => connector.preview(auth, { tableName: query.object }, dir, saveCredentials));
    return { format: 'flat', schema, data };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `GET /connections/{id}/test`: one authenticated request; the verdict says what is wrong, never the secret. */
export async function testRestSource(connector: RestConnector, auth: Record<string, unknown>, saveCredentials: (auth: Record<string, unknown>) => Promise<void>): Promise<{ status: 'ok' | 'failed'; message: string }> {
  try {
    await connector.check(auth, saveCredentials);
    return { status: 'ok', message: `connected to ${connector.definition.vendor}` };
  } catch (error) {
    if (error instanceof SourceConfigError || error instanceof SourceTransientError || error instanceof SourceProviderError) return { status: 'failed', message: error.message };
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
