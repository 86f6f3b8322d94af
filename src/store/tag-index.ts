import crypto from 'node:crypto';
import type { CatalogTagsTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

/** The collections whose objects carry Catalog tags, as `GET /tags/{namespace}` names them. */
export const taggedCollections = ['dataSets', 'batches'] as const;
export type TaggedCollection = (typeof taggedCollections)[number];

/** How a namespace is found: any JSON key may be one, too long for an index entry, so its SHA-256 stands in. */
export function namespaceKey(namespace: string): string {
  return crypto.createHash('sha256').update(namespace).digest('hex');
}

/**
 * The tag rows of one dataset or batch, read leniently from its body as the migration that backfills them does:
 * a `tags` that is not an object of arrays gives none, and a value that is not a string is left out.
 */
export function tagRows(scope: { orgId: string; sandboxId: string }, collection: TaggedCollection, resource: IndexedResource): CatalogTagsTable[] {
  const body = resource.body !== null && typeof resource.body === 'object' ? (resource.body as { tags?: unknown }) : {};
  const tags = body.tags !== null && typeof body.tags === 'object' && !Array.isArray(body.tags) ? (body.tags as Record<string, unknown>) : {};
  const rows: CatalogTagsTable[] = [];
  for (const [namespace, values] of Object.entries(tags)) {
    // A tag or value PostgreSQL's text cannot hold (see `indexText`) is left out of the rows, not of the body.
    if (!Array.isArray(values) || indexText(namespace) === null) continue;
    const strings = values.filter((value): value is string => indexText(value) !== null);
    const row = { org_id: scope.orgId, sandbox_id: scope.sandboxId, object_kind: collection, object_id: resource.id, namespace_key: namespaceKey(namespace), namespace };
    if (strings.length === 0) rows.push({ ...row, position: 0, value: null });
    strings.forEach((value, position) => rows.push({ ...row, position, value }));
  }
  return rows;
}

/** Rows per insert: well under SQLite's bound on parameters (8 columns a row). */
const rowsPerInsert = 100;

/** The tag rows of one collection's objects, rewritten on every write. */
export function tagIndex(collection: TaggedCollection): KindIndex {
  const remove: KindIndex['remove'] = async (trx, scope, id) => {
    await trx.deleteFrom('catalog_tags').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('object_kind', '=', collection).where('object_id', '=', id).execute();
  };
  return {
    async write(trx, scope, resource) {
      await remove(trx, scope, resource.id);
      const rows = tagRows(scope, collection, resource);
      for (let i = 0; i < rows.length; i += rowsPerInsert) await trx.insertInto('catalog_tags').values(rows.slice(i, i + rowsPerInsert)).execute();
    },
    remove,
  };
}
