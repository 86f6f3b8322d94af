import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import { indexText } from '../../store/index-text.js';
import type { Scope } from '../../store/resources.repository.js';
import { namespaceKey, taggedCollections, type TaggedCollection } from '../../store/tag-index.js';

/** What a sandbox's datasets and batches carry under one tag namespace. */
export interface TagLookup {
  /** Every value, once each, sorted. */
  values: string[];
  /** The ids of the objects that carry the tag, by collection, in id order. */
  objects: Partial<Record<TaggedCollection, string[]>>;
}

/**
 * Catalog's tags, read from the `catalog_tags` rows the store writes with every write of a dataset or batch:
 * a lookup reads the rows of its namespace, and no body.
 */
export class TagsRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async lookup(scope: Scope, namespace: string): Promise<TagLookup> {
    // No row holds what PostgreSQL's text cannot (see `indexText`).
    if (indexText(namespace) === null) return { values: [], objects: {} };
    const rows = await this.db
      .selectFrom('catalog_tags')
      .select(['object_kind', 'object_id', 'value'])
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('namespace_key', '=', namespaceKey(namespace))
      // The key is a digest: the namespace itself decides.
      .where('namespace', '=', namespace)
      .orderBy('object_kind')
      .orderBy('object_id')
      .orderBy('position')
      .execute();
    const values = new Set<string>();
    const objects: Partial<Record<TaggedCollection, string[]>> = {};
    for (const row of rows) {
      if (row.value !== null) values.add(row.value);
      const collection = taggedCollections.find((known) => known === row.object_kind);
      if (collection === undefined) continue;
      const ids = (objects[collection] ??= []);
      if (ids[ids.length - 1] !== row.object_id) ids.push(row.object_id);
    }
    return { values: [...values].sort(), objects };
  }
}
