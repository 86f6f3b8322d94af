import { ApiError } from '../../server/errors/api-error.js';
import type { CatalogHeaders } from './catalog-operation.js';

/**
 * Catalog's optimistic concurrency: `If-Match` names the version the client read (the ETag of a lookup, which
 * is the object's `version`; the spec also describes it as the `updated` time, so either is accepted), and the
 * write goes ahead only if the object is still at it. `If-None-Match` is the reverse: the write is refused if
 * the object is still at the named version. A mismatch is 412, as the Catalog appendix says.
 */
export function checkPreconditions(headers: Pick<CatalogHeaders, 'ifMatch' | 'ifNoneMatch'>, what: string, current: { version?: unknown; updated?: unknown }): void {
  const names = [current.version, current.updated].filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  const matches = (header: string) => tags(header).some((tag) => tag === '*' || names.includes(tag));
  if (headers.ifMatch !== undefined && !matches(headers.ifMatch)) {
    throw new ApiError('etagMismatch', `If-Match ${headers.ifMatch} does not match ${what}, which is at version ${String(current.version)}; read it again and retry.`, {
      problems: [{ in: 'header', path: 'if-match', message: `the current version is ${String(current.version)}` }],
    });
  }
  if (headers.ifNoneMatch !== undefined && matches(headers.ifNoneMatch)) {
    throw new ApiError('etagMismatch', `If-None-Match ${headers.ifNoneMatch} matches ${what}, which is still at version ${String(current.version)}; nothing was changed.`, {
      problems: [{ in: 'header', path: 'if-none-match', message: `the current version is ${String(current.version)}` }],
    });
  }
}

/** `"1.0.2"`, `W/"1.0.2"`, `1.0.2, 1.0.3` all name versions. */
function tags(header: string): string[] {
  return header
    .split(',')
    .map((part) => part.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
    .filter((part) => part !== '');
}

/** Catalog versions are semantic versions; every write bumps the patch number. */
export function bumpVersion(version: unknown): string {
  if (typeof version !== 'string') return '1.0.0';
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return `${parts[0] ?? 1}.${parts[1] ?? 0}.${(parts[2] ?? 0) + 1}`;
}
