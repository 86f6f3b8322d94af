import { Type } from 'typebox';
import { notFound } from '../../server/errors/api-error.js';
import type { CatalogAnswer } from './catalog-operation.js';
import { project } from './catalog-listing.js';

/** `GET /{type}/{id}` and `GET /{type}/{id1},{id2}` (look up several objects at once). */
export const LookupParams = Type.Object({ id: Type.String({ minLength: 1, description: 'One id, or several separated by commas' }) });

export const LookupQuery = Type.Object({
  properties: Type.Optional(Type.String({ description: 'Comma-separated top-level properties to return.' })),
});

/** The ids a lookup path names; at most 100, as for every Catalog answer. */
export function lookupIds(param: string): string[] {
  return [...new Set(param.split(',').map((id) => id.trim()).filter((id) => id !== ''))].slice(0, 100);
}

/**
 * Objects keyed by id, as Catalog answers lookups. One object also gets its version as ETag, for If-Match;
 * an id that names nothing is left out, and if none is found the answer is 404.
 */
export function lookupAnswer(collection: string, param: string, found: Record<string, unknown>[], properties: string | undefined): CatalogAnswer {
  if (found.length === 0) throw notFound(collection, param);
  const body = Object.fromEntries(found.map((item) => [String(item.id), project(item, properties)]));
  const only = found.length === 1 ? found[0] : undefined;
  return { status: 200, body, ...(only && typeof only.version === 'string' ? { etag: only.version } : {}) };
}
