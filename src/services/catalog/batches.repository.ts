import type { Kysely, Transaction } from 'kysely';
import { Check, Errors } from 'typebox/value';
import { batchKind } from '../../store/batch-index.js';
import type { CatalogBatchesTable, Database } from '../../store/database.js';
import { afterSql, conditionSql, type IndexCondition } from '../../store/index-query.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../../store/resources.repository.js';
import { StoredBatchBody } from './stored-batch.schema.js';

/** The `catalog_batches` columns a batch list can filter and sort on. */
export type BatchColumn = 'batch_id' | 'data_set_id' | 'status' | 'created' | 'updated';
export type BatchCondition = IndexCondition<BatchColumn>;

/** A sort key of a batch list; `created` and `updated` may be null, which sorts as Catalog's lists put it. */
export interface BatchOrder {
  column: 'created' | 'updated';
  descending: boolean;
}

/** A stored batch whose body has been checked against the stored-batch schema. */
export type StoredBatch = StoredResource & { body: StoredBatchBody };

/** How many ids one read of the index returns while a list falls back to filtering in JS. */
const idsPerRead = 5000;

/**
 * Catalog batches: their bodies (in `resources`, checked here once against `StoredBatchBody`) and the
 * `catalog_batches` index the store writes with every write of a batch. Lists page through the index and read
 * only their page's bodies.
 *
 * @example
 * const batches = new BatchesRepository(db);
 * const rows = await batches.page(scope, { where: [{ column: 'data_set_id', operator: 'in', values: [dataSetId] }], order: [{ column: 'created', descending: true }], offset: 0, limit: 20 });
 * const bodies = await batches.getMany(scope, rows.map((r) => r.batch_id));
 */
export class BatchesRepository {
  private readonly resources: ResourcesRepository;

  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {
    this.resources = new ResourcesRepository(db);
  }

  async get(scope: Scope, id: string): Promise<StoredBatch | undefined> {
    const stored = await this.resources.get(batchKind, scope, id);
    return stored ? storedBatch(stored) : undefined;
  }

  /** The batches with these ids that exist, by id: one read per 500 ids. */
  async getMany(scope: Scope, ids: readonly string[]): Promise<Map<string, StoredBatch>> {
    const found = await this.resources.getMany(batchKind, scope, ids);
    return new Map([...found].map(([id, stored]) => [id, storedBatch(stored)]));
  }

  /**
   * A page of batches by their index rows, in `order` and then in the order they were stored (a list without
   * `orderBy` keeps that one). Missing times sort last going up and first going down, as Catalog's lists sort them.
   */
  async page(scope: Scope, query: { where: readonly BatchCondition[]; order: readonly BatchOrder[]; offset: number; limit: number }): Promise<CatalogBatchesTable[]> {
    let select = this.db.selectFrom('catalog_batches').selectAll().where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
    for (const condition of query.where) select = select.where(conditionSql('catalog_batches', condition));
    for (const key of query.order) select = select.orderBy(key.column, (ob) => (key.descending ? ob.desc().nullsFirst() : ob.asc().nullsLast()));
    const rows = await select.orderBy('stored_at').orderBy('batch_id').limit(query.limit).offset(query.offset).execute();
    return rows.map(numbers);
  }

  /** The ids of every batch that meets every condition, in the order they were stored, a bounded read at a time. */
  async ids(scope: Scope, where: readonly BatchCondition[]): Promise<string[]> {
    const ids: string[] = [];
    const order = [{ column: 'stored_at', descending: false }, { column: 'batch_id', descending: false }] as const;
    let after: [number, string] | undefined;
    for (;;) {
      let select = this.db.selectFrom('catalog_batches').select(['stored_at', 'batch_id']).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
      for (const condition of where) select = select.where(conditionSql('catalog_batches', condition));
      if (after !== undefined) select = select.where(afterSql('catalog_batches', order, after));
      const rows = await select.orderBy('stored_at').orderBy('batch_id').limit(idsPerRead).execute();
      ids.push(...rows.map((r) => r.batch_id));
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < idsPerRead) return ids;
      after = [Number(last.stored_at), last.batch_id];
    }
  }
}

/** A stored batch, checked: a body of another shape is a store edited by hand, and fails loudly here. */
export function storedBatch(stored: StoredResource): StoredBatch {
  const body = stored.body;
  if (!Check(StoredBatchBody, body)) {
    const first = Errors(StoredBatchBody, body)[0];
    throw new Error(`batch ${stored.id} does not have the stored-batch shape${first ? ` (${first.instancePath || '/'} ${first.message})` : ''}`);
  }
  return { ...stored, body };
}

function numbers(row: CatalogBatchesTable): CatalogBatchesTable {
  const time = (value: number | null) => (value === null ? null : Number(value));
  return { ...row, created: time(row.created), updated: time(row.updated), stored_at: Number(row.stored_at) };
}
