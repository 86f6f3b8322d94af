import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { Type, type Static } from 'typebox';
import type { Database } from '../../store/database.js';
import { afterSql, collectIds } from '../../store/index-query.js';
import { indexText } from '../../store/index-text.js';
import { mappingSetKind } from '../../store/mapping-set-index.js';
import { checkedResource } from '../../store/checked-resource.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../../store/resources.repository.js';

/** One version of a mapping set as stored: the fields Data Prep reads back, and the rest of its wire form. */
const StoredMappingSetVersion = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer({ minimum: 0 }),
    xdmSchema: Type.String(),
    createdDate: Type.Number(),
    createdBy: Type.String(),
    mappings: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);

/** A mapping set as stored: every version, oldest first (a PUT adds one). */
export const StoredMappingSetBody = Type.Object({ versions: Type.Array(StoredMappingSetVersion, { minItems: 1 }) });
/** A version: the checked fields, and the rest of its wire form as stored. */
export type StoredMappingSetVersion = Static<typeof StoredMappingSetVersion> & Record<string, unknown>;
export interface StoredMappingSetBody {
  versions: StoredMappingSetVersion[];
}

/** A stored mapping set whose body has been checked against `StoredMappingSetBody`. */
export type StoredMappingSet = StoredResource & { body: StoredMappingSetBody };

/** The sort keys a mapping-set list can take in SQL: the current version's dates. */
export interface MappingSetOrder {
  column: 'created_date' | 'modified_date';
  descending: boolean;
}


/**
 * Mapping sets: their bodies (in `resources`, checked here once against `StoredMappingSetBody`) and the
 * `mapping_sets` and `mapping_set_schemas` index tables the store writes with every write of one.
 *
 * @example
 * const mappingSets = new MappingSetsRepository(db);
 * const ids = await mappingSets.page(scope, { order: [{ column: 'modified_date', descending: true }], offset: 0, limit: 100 });
 */
export class MappingSetsRepository {
  private readonly resources: ResourcesRepository;

  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {
    this.resources = new ResourcesRepository(db);
  }

  async get(scope: Scope, id: string): Promise<StoredMappingSet | undefined> {
    const stored = await this.resources.get(mappingSetKind, scope, id);
    return stored ? storedMappingSet(stored) : undefined;
  }

  /** The mapping sets with these ids that exist, by id: one read per 500 ids. */
  async getMany(scope: Scope, ids: readonly string[]): Promise<Map<string, StoredMappingSet>> {
    const found = await this.resources.getMany(mappingSetKind, scope, ids);
    return new Map([...found].map(([id, stored]) => [id, storedMappingSet(stored)]));
  }

  /**
   * The ids of a page, in `order` and then in the order the sets were stored. Missing dates sort last going up
   * and first going down, as the JS listing sorts them.
   */
  async page(scope: Scope, query: { order: readonly MappingSetOrder[]; offset: number; limit: number }): Promise<string[]> {
    let select = this.scoped(scope).select('mapping_set_id');
    for (const key of query.order) select = select.orderBy(key.column, (ob) => (key.descending ? ob.desc().nullsFirst() : ob.asc().nullsLast()));
    const rows = await select.orderBy('stored_at').orderBy('mapping_set_id').limit(query.limit).offset(query.offset).execute();
    return rows.map((r) => r.mapping_set_id);
  }

  /**
   * The ids of every mapping set whose name may contain `nameContains` (all without it), in the order they were
   * stored, a bounded read at a time. A superset: SQLite's LIKE ignores ASCII case, so the caller checks the names.
   */
  async ids(scope: Scope, nameContains?: string): Promise<string[]> {
    // The index holds no name PostgreSQL's text cannot (see `indexText`): such a filter narrows nothing here.
    const indexed = nameContains !== undefined && indexText(nameContains) !== null ? nameContains : undefined;
    const order = [{ column: 'stored_at', descending: false }, { column: 'mapping_set_id', descending: false }] as const;
    const read = (after: [number, string] | undefined, limit: number) => {
      let select = this.scoped(scope).select(['stored_at', 'mapping_set_id']);
      if (indexed !== undefined) select = select.where(sql<SqlBool>`name like ${`%${indexed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`);
      if (after !== undefined) select = select.where(afterSql('mapping_sets', order, after));
      return select.orderBy('stored_at').orderBy('mapping_set_id').limit(limit).execute();
    };
    return collectIds(read, (r) => [Number(r.stored_at), r.mapping_set_id] as [number, string], (r) => r.mapping_set_id);
  }

  /** Ids of the mapping sets any version of which writes `schemaId`. */
  async usingSchema(scope: Scope, schemaId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('mapping_set_schemas')
      .select('mapping_set_id')
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('schema_id', '=', schemaId)
      .orderBy('mapping_set_id')
      .execute();
    return rows.map((r) => r.mapping_set_id);
  }

  private scoped(scope: Scope) {
    return this.db.selectFrom('mapping_sets').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
  }
}

/** A stored mapping set, checked: a body of another shape is a store edited by hand, and fails loudly here. */
export function storedMappingSet(stored: StoredResource): StoredMappingSet {
  return checkedResource(StoredMappingSetBody, stored, 'mapping set');
}
