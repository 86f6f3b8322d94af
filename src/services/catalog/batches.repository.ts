import { sql, type Kysely, type Transaction } from 'kysely';
import { batchKind } from '../../store/batch-index.js';
import type { CatalogBatchesTable, Database } from '../../store/database.js';
import { afterSql, collectIds, conditionSql, type IndexCondition } from '../../store/index-query.js';
import { ResourcesRepository, type Scope } from '../../store/resources.repository.js';
import type { LastBatches } from './last-batches.js';
import { storedBatch, type StoredBatch } from '../../engine/batch-document.js';

/** The `catalog_batches` columns a batch list can filter and sort on. */
export type BatchColumn = 'batch_id' | 'data_set_id' | 'status' | 'created' | 'updated';
export type BatchCondition = IndexCondition<BatchColumn>;

/** A sort key of a batch list; `created` and `updated` may be null, which sorts as Catalog's lists put it. */
export interface BatchOrder {
  column: 'created' | 'updated';
  descending: boolean;
}

/** Batches are checked by the engine's `storedBatch`, which every writer of batches shares. */
export { storedBatch, type StoredBatch };

/** How many dataset ids one `lastBatches` query binds: well under both backends' limits on bound parameters. */
const dataSetsPerQuery = 500;

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

  /** Each dataset's last batches (see `lastBatchesOf`). */
  async lastBatches(scope: Scope, dataSetIds?: readonly string[]): Promise<Map<string, LastBatches>> {
    return lastBatchesOf(this.db, scope, dataSetIds);
  }

  /** Whether a batch that holds (or is about to hold) data belongs to the dataset: any but a deleted one. */
  async holdsData(scope: Scope, dataSetId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('catalog_batches')
      .select('batch_id')
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('data_set_id', '=', dataSetId)
      .where((eb) => eb.or([eb('status', 'is', null), eb('status', '!=', 'deleted')]))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The ids of every batch that meets every condition, in the order they were stored, a bounded read at a time. */
  async ids(scope: Scope, where: readonly BatchCondition[]): Promise<string[]> {
    const order = [{ column: 'stored_at', descending: false }, { column: 'batch_id', descending: false }] as const;
    const read = (after: [number, string] | undefined, limit: number) => {
      let select = this.db.selectFrom('catalog_batches').select(['stored_at', 'batch_id']).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
      for (const condition of where) select = select.where(conditionSql('catalog_batches', condition));
      if (after !== undefined) select = select.where(afterSql('catalog_batches', order, after));
      return select.orderBy('stored_at').orderBy('batch_id').limit(limit).execute();
    };
    return collectIds(read, (r) => [Number(r.stored_at), r.batch_id] as [number, string], (r) => r.batch_id);
  }
}

/**
 * The last batches of each of these datasets (of every dataset that has batches, without ids), from the index
 * alone: each dataset's newest batch, newest successful one and newest failed one, ranked in SQL, so at most three
 * rows a dataset come back whatever its number of batches. The order and the readings are those the answers had
 * when they were computed from every batch body: newest by `created` (the row's creation time where the body has
 * none), then the greatest id; Catalog calls a promoted batch `success` or `active` and a failed one `failed` or
 * `failure`; a batch without a status is `processing`.
 */
async function lastBatchesOf(db: Kysely<Database> | Transaction<Database>, scope: Scope, dataSetIds?: readonly string[]): Promise<Map<string, LastBatches>> {
  const found = new Map<string, LastBatches>();
  const groups = dataSetIds === undefined ? [undefined] : chunks([...new Set(dataSetIds)], dataSetsPerQuery);
  for (const ids of groups) {
    if (ids !== undefined && ids.length === 0) continue;
    const which = ids === undefined ? sql`data_set_id is not null` : sql`data_set_id in (${sql.join(ids)})`;
    const outcome = sql`case when status in ('success', 'active') then 'success' when status in ('failed', 'failure') then 'failed' else 'other' end`;
    const newest = sql`coalesce(created, stored_at) desc, batch_id desc`;
    const result = await sql<{ data_set_id: string; batch_id: string; status: string | null; created: number; updated: number; outcome: string; rank_all: number; rank_outcome: number }>`
      select data_set_id, batch_id, status, created, updated, outcome, rank_all, rank_outcome from (
        select data_set_id, batch_id, status, coalesce(created, stored_at) as created, coalesce(updated, stored_at) as updated, ${outcome} as outcome,
          row_number() over (partition by data_set_id order by ${newest}) as rank_all,
          row_number() over (partition by data_set_id, ${outcome} order by ${newest}) as rank_outcome
        from ${sql.table('catalog_batches')}
        where org_id = ${scope.orgId} and sandbox_id = ${scope.sandboxId} and ${which}
      ) ranked
      where rank_all = 1 or (rank_outcome = 1 and outcome <> 'other')`.execute(db);
    for (const row of result.rows) {
      const entry = found.get(row.data_set_id) ?? { lastBatchId: '', lastBatchStatus: '', created: 0, updated: 0 };
      if (Number(row.rank_all) === 1) Object.assign(entry, { lastBatchId: row.batch_id, lastBatchStatus: row.status ?? 'processing', created: Number(row.created), updated: Number(row.updated) });
      if (Number(row.rank_outcome) === 1 && row.outcome === 'success') entry.lastSuccessfulBatchId = row.batch_id;
      if (Number(row.rank_outcome) === 1 && row.outcome === 'failed') entry.lastFailedBatchId = row.batch_id;
      found.set(row.data_set_id, entry);
    }
  }
  return found;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function numbers(row: CatalogBatchesTable): CatalogBatchesTable {
  const time = (value: number | null) => (value === null ? null : Number(value));
  return { ...row, created: time(row.created), updated: time(row.updated), stored_at: Number(row.stored_at) };
}
