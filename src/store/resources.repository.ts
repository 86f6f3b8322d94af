import type { Kysely, Transaction } from 'kysely';
import { batchIndex, batchKind } from './batch-index.js';
import { connectionIndex, connectionKinds } from './connection-index.js';
import { dataSetIndex, dataSetKind } from './data-set-index.js';
import { mappingSetIndex, mappingSetKind } from './mapping-set-index.js';
import type { Database } from './database.js';
import { flowIndex, flowKind } from './flow-index.js';
import { runIndex, runKind } from './run-index.js';
import { allOf, type KindIndex } from './kind-index.js';
import { registryComponentKinds, registryDescriptorKind, registryIndex } from './registry-index.js';
import { tagIndex } from './tag-index.js';
import { indexText } from './index-text.js';
import { isUniqueViolation, UniqueViolation } from './unique-violation.js';

/** The kinds whose lists filter and sort in SQL, and the index rows each keeps beside its body. */
const kindIndexes: Readonly<Record<string, KindIndex>> = {
  [flowKind]: flowIndex,
  [runKind]: runIndex,
  [batchKind]: allOf(batchIndex, tagIndex('batches')),
  [dataSetKind]: allOf(dataSetIndex, tagIndex('dataSets')),
  [mappingSetKind]: mappingSetIndex,
  ...Object.fromEntries(Object.values(connectionKinds).map((kind) => [kind, connectionIndex(kind)])),
  ...Object.fromEntries([...registryComponentKinds, registryDescriptorKind].map((kind) => [kind, registryIndex(kind)])),
};

/**
 * Whether an id can name a stored object: PostgreSQL's text cannot hold a NUL character, so none does, and an id
 * with one (a path spelling `%00`) is simply not found instead of failing the query.
 */
function storableId(id: string): boolean {
  return indexText(id) !== null;
}

function indexOf(kind: string): KindIndex | undefined {
  return Object.hasOwn(kindIndexes, kind) ? kindIndexes[kind] : undefined;
}

/** How many ids one `getMany` query binds: well under both backends' limits on bound parameters. */
const idsPerQuery = 500;

/** The org and sandbox every API object belongs to. */
export interface Scope {
  orgId: string;
  sandboxId: string;
}

export interface StoredResource {
  kind: string;
  id: string;
  body: unknown;
  secret: string | null;
  etag: string;
  createdAt: number;
  updatedAt: number;
  /** Unique per kind within a sandbox; a clash raises `UniqueViolation`. */
  uniqueKey?: string | null;
}

/**
 * JSON documents keyed by kind and id, always read and written inside one org and sandbox. A kind with index rows
 * (flows, connections, mapping sets, Catalog datasets and batches) has them written in the transaction of each insert, update and delete here, so every
 * writer keeps them, whichever part of the server it is.
 */
export class ResourcesRepository {
  /** `db`: the connection or transaction it reads and writes through (a repository of the same service may share it). */
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  /** `work` in this repository's transaction, or in a new one. */
  private async inTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this.db as Transaction<Database>);
    return this.db.transaction().execute(work);
  }

  async get(kind: string, scope: Scope, id: string): Promise<StoredResource | undefined> {
    if (!storableId(id)) return undefined;
    const row = await this.db
      .selectFrom('resources')
      .selectAll()
      .where('kind', '=', kind)
      .where('id', '=', id)
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .executeTakeFirst();
    return row ? toStored(row) : undefined;
  }

  /** The objects of `kind` with these ids that exist, by id: one read per 500 ids, not one per id. */
  async getMany(kind: string, scope: Scope, ids: readonly string[]): Promise<Map<string, StoredResource>> {
    const found = new Map<string, StoredResource>();
    const unique = [...new Set(ids)].filter(storableId);
    for (let i = 0; i < unique.length; i += idsPerQuery) {
      // By the key alone: with the scope in the WHERE clause too, SQLite without statistics walks the sandbox's
      // scope index (every object of the sandbox) instead of looking the ids up. An id is unique per kind across
      // the store, so the scope is checked on the rows found, and another sandbox's object is never answered.
      const rows = await this.db.selectFrom('resources').selectAll().where('kind', '=', kind).where('id', 'in', unique.slice(i, i + idsPerQuery)).execute();
      for (const row of rows) if (row.org_id === scope.orgId && row.sandbox_id === scope.sandboxId) found.set(row.id, toStored(row));
    }
    return found;
  }

  async list(kind: string, scope: Scope): Promise<StoredResource[]> {
    const rows = await this.ofKind(kind, scope).orderBy('created_at').orderBy('id').execute();
    return rows.map(toStored);
  }

  /**
   * The objects of `kind` in id order, `size` at a time (by keyset on the id), for a pass over a kind too large to
   * hold at once. It ends at the first short stretch; an object written behind the pass is not seen.
   */
  async *inStretches(kind: string, scope: Scope, size = idsPerQuery): AsyncGenerator<StoredResource[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await this.ofKind(kind, scope)
        .$if(after !== undefined, (q) => q.where('id', '>', after as string))
        .orderBy('id')
        .limit(size)
        .execute();
      if (rows.length > 0) yield rows.map(toStored);
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < size) return;
      after = last.id;
    }
  }

  /** The `count` objects of `kind` created (or updated) last, latest first; ties by id. */
  async latest(kind: string, scope: Scope, by: 'created_at' | 'updated_at', count: number): Promise<StoredResource[]> {
    const rows = await this.ofKind(kind, scope).orderBy(by, 'desc').orderBy('id').limit(count).execute();
    return rows.map(toStored);
  }

  /** The objects of `kind` in the sandbox, as a query to order and bound. */
  private ofKind(kind: string, scope: Scope) {
    return this.db.selectFrom('resources').selectAll().where('kind', '=', kind).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
  }

  async count(kind: string, scope: Scope): Promise<number> {
    const row = await this.db
      .selectFrom('resources')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', kind)
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Whether any org or sandbox has a `kind` with this id: the table's key makes ids unique across the store. */
  async idTaken(kind: string, id: string): Promise<boolean> {
    if (!storableId(id)) return false;
    const row = await this.db.selectFrom('resources').select('id').where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  async insert(scope: Scope, resource: StoredResource): Promise<void> {
    const values = {
      kind: resource.kind,
      id: resource.id,
      org_id: scope.orgId,
      sandbox_id: scope.sandboxId,
      body: JSON.stringify(resource.body),
      secret: resource.secret,
      etag: resource.etag,
      created_at: resource.createdAt,
      updated_at: resource.updatedAt,
      unique_key: resource.uniqueKey ?? null,
    };
    const index = indexOf(resource.kind);
    const insert = (db: Kysely<Database> | Transaction<Database>) =>
      db
        .insertInto('resources')
        .values(values)
        .execute()
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? new UniqueViolation(resource.kind, resource.uniqueKey) : error;
        });
    if (!index) {
      await insert(this.db);
      return;
    }
    await this.inTransaction(async (trx) => {
      await insert(trx);
      await index.write(trx, scope, resource);
    });
  }

  /** Optimistic update: false when the stored etag is no longer `expectedEtag` (someone else wrote first). */
  async update(scope: Scope, resource: StoredResource, expectedEtag: string): Promise<boolean> {
    const index = indexOf(resource.kind);
    if (!index) return this.updateBody(this.db, scope, resource, expectedEtag);
    return this.inTransaction(async (trx) => {
      if (!(await this.updateBody(trx, scope, resource, expectedEtag))) return false;
      await index.write(trx, scope, resource);
      return true;
    });
  }

  private async updateBody(db: Kysely<Database> | Transaction<Database>, scope: Scope, resource: StoredResource, expectedEtag: string): Promise<boolean> {
    const result = await db
      .updateTable('resources')
      .set({ body: JSON.stringify(resource.body), secret: resource.secret, etag: resource.etag, updated_at: resource.updatedAt, unique_key: resource.uniqueKey ?? null })
      .where('kind', '=', resource.kind)
      .where('id', '=', resource.id)
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('etag', '=', expectedEtag)
      .executeTakeFirst()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? new UniqueViolation(resource.kind, resource.uniqueKey) : error;
      });
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(kind: string, scope: Scope, id: string): Promise<boolean> {
    if (!storableId(id)) return false;
    const index = indexOf(kind);
    const remove = async (db: Kysely<Database> | Transaction<Database>) => {
      const result = await db
        .deleteFrom('resources')
        .where('kind', '=', kind)
        .where('id', '=', id)
        .where('org_id', '=', scope.orgId)
        .where('sandbox_id', '=', scope.sandboxId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    };
    if (!index) return remove(this.db);
    return this.inTransaction(async (trx) => {
      const removed = await remove(trx);
      if (removed) await index.remove(trx, scope, id);
      return removed;
    });
  }
}

/** A `resources` row as the resource it stores. */
export function toStored(row: Database['resources']): StoredResource {
  return {
    kind: row.kind,
    id: row.id,
    body: JSON.parse(row.body) as unknown,
    secret: row.secret,
    etag: row.etag,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    uniqueKey: row.unique_key,
  };
}
