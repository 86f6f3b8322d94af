import type { Transaction } from 'kysely';
import type { Database } from './database.js';

/** What an index reads of a stored object: its id, its body as stored, and the row's own times. */
export interface IndexedResource {
  id: string;
  body: unknown;
  createdAt: number;
  updatedAt: number;
}

/**
 * The index rows one kind of resource keeps beside its body (the columns its lists filter and sort on). Every
 * insert, update and delete of the kind goes through `ResourcesRepository`, which calls these in the transaction
 * of the write itself: whoever writes the object (a service, the engine's commit, Batch Ingestion), the index
 * never says what the body does not.
 *
 * @example
 * const index: KindIndex = {
 *   write: async (trx, scope, resource) => { await trx.deleteFrom('flows').where('flow_id', '=', resource.id).execute(); },
 *   remove: async (trx, scope, id) => { await trx.deleteFrom('flows').where('flow_id', '=', id).execute(); },
 * };
 */
export interface KindIndex {
  /** Writes (or rewrites) the index rows of a resource just inserted or updated. */
  write(trx: Transaction<Database>, scope: { orgId: string; sandboxId: string }, resource: IndexedResource): Promise<void>;
  /** Drops the index rows of a resource just deleted. */
  remove(trx: Transaction<Database>, scope: { orgId: string; sandboxId: string }, id: string): Promise<void>;
}

/** Several indexes of one kind, written and removed together, in order. */
export function allOf(...indexes: readonly KindIndex[]): KindIndex {
  return {
    async write(trx, scope, resource) {
      for (const index of indexes) await index.write(trx, scope, resource);
    },
    async remove(trx, scope, id) {
      for (const index of indexes) await index.remove(trx, scope, id);
    },
  };
}
