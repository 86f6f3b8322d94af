import type { Kysely, Transaction } from 'kysely';
import type { CatalogDataSetsTable, Database } from '../../store/database.js';
import { dataSetKind } from '../../store/data-set-index.js';
import { afterSql, collectIds, conditionSql, type IndexCondition } from '../../store/index-query.js';
import { checkedResource } from '../../store/checked-resource.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../../store/resources.repository.js';
import { StoredDataSetBody } from './stored-data-set.schema.js';

/** A stored dataset whose body has been checked against `StoredDataSetBody`. */
export type StoredDataSet = StoredResource & { body: StoredDataSetBody };

/** The `catalog_data_sets` columns a dataset list can filter and sort on. */
export type DataSetColumn = 'data_set_id' | 'name' | 'schema_id' | 'state' | 'created' | 'updated';
export type DataSetCondition = IndexCondition<DataSetColumn>;

/** A sort key of a dataset list; `created` and `updated` may be null, which sorts as Catalog's lists put it. */
export interface DataSetOrder {
  column: 'created' | 'updated';
  descending: boolean;
}


/**
 * Catalog datasets: their bodies (in `resources`, checked here once against `StoredDataSetBody`) and the `catalog_data_sets` index the store writes with every
 * write of a dataset. Lists page through the index and read only their page's bodies; "which datasets use this
 * schema" reads the index alone.
 *
 * @example
 * const dataSets = new DataSetsRepository(db);
 * const rows = await dataSets.page(scope, { where: [{ column: 'name', operator: 'in', values: ['payments'] }], order: [], offset: 0, limit: 20 });
 */
export class DataSetsRepository {
  private readonly resources: ResourcesRepository;

  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {
    this.resources = new ResourcesRepository(db);
  }

  async get(scope: Scope, id: string): Promise<StoredDataSet | undefined> {
    const stored = await this.resources.get(dataSetKind, scope, id);
    return stored ? storedDataSet(stored) : undefined;
  }

  /** The datasets with these ids that exist, by id: one read per 500 ids. */
  async getMany(scope: Scope, ids: readonly string[]): Promise<Map<string, StoredDataSet>> {
    const found = await this.resources.getMany(dataSetKind, scope, ids);
    return new Map([...found].map(([id, stored]) => [id, storedDataSet(stored)]));
  }

  /**
   * A page of datasets by their index rows, in `order` and then in the order they were stored (a list without
   * `orderBy` keeps that one). Missing times sort last going up and first going down, as Catalog's lists sort them.
   */
  async page(scope: Scope, query: { where: readonly DataSetCondition[]; order: readonly DataSetOrder[]; offset: number; limit: number }): Promise<CatalogDataSetsTable[]> {
    let select = this.scoped(scope).selectAll();
    for (const condition of query.where) select = select.where(conditionSql('catalog_data_sets', condition));
    for (const key of query.order) select = select.orderBy(key.column, (ob) => (key.descending ? ob.desc().nullsFirst() : ob.asc().nullsLast()));
    return select.orderBy('stored_at').orderBy('data_set_id').limit(query.limit).offset(query.offset).execute();
  }

  /** The ids of every dataset that meets every condition, in the order they were stored, a bounded read at a time. */
  async ids(scope: Scope, where: readonly DataSetCondition[]): Promise<string[]> {
    const order = [{ column: 'stored_at', descending: false }, { column: 'data_set_id', descending: false }] as const;
    const read = (after: [number, string] | undefined, limit: number) => {
      let select = this.scoped(scope).select(['stored_at', 'data_set_id']);
      for (const condition of where) select = select.where(conditionSql('catalog_data_sets', condition));
      if (after !== undefined) select = select.where(afterSql('catalog_data_sets', order, after));
      return select.orderBy('stored_at').orderBy('data_set_id').limit(limit).execute();
    };
    return collectIds(read, (r) => [Number(r.stored_at), r.data_set_id] as [number, string], (r) => r.data_set_id);
  }

  /** The ids of the datasets whose schema is `schemaId`. */
  async usingSchema(scope: Scope, schemaId: string): Promise<string[]> {
    const rows = await this.scoped(scope).select('data_set_id').where('schema_id', '=', schemaId).orderBy('stored_at').orderBy('data_set_id').execute();
    return rows.map((r) => r.data_set_id);
  }

  /** Every dataset's id and SQL table name (those with one), in the order they were stored: the index alone. */
  async tableNames(scope: Scope): Promise<{ dataSetId: string; tableName: string }[]> {
    const rows = await this.scoped(scope).select(['data_set_id', 'table_name']).where('table_name', 'is not', null).orderBy('stored_at').orderBy('data_set_id').execute();
    return rows.map((r) => ({ dataSetId: r.data_set_id, tableName: String(r.table_name) }));
  }

  private scoped(scope: Scope) {
    return this.db.selectFrom('catalog_data_sets').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
  }
}

/** A stored dataset, checked: a body of another shape is a store edited by hand, and fails loudly here. */
export function storedDataSet(stored: StoredResource): StoredDataSet {
  return checkedResource(StoredDataSetBody, stored, 'dataset');
}
