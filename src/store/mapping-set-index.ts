import type { Transaction } from 'kysely';
import type { Database, MappingSetSchemasTable, MappingSetsTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

export const mappingSetKind = 'conversion.mappingSet';

type Version = { name?: unknown; createdDate?: unknown; modifiedDate?: unknown; xdmSchema?: unknown };

/**
 * What a mapping set's body says about the columns `GET /mappingSets` filters and sorts on (its current version's
 * name and dates) and the schemas any of its versions writes. Read leniently, as the migration that backfills them
 * does, so a body of any shape gets a row: Data Prep checks a mapping set's shape.
 */
export function mappingSetRows(scope: { orgId: string; sandboxId: string }, mappingSet: IndexedResource): { set: MappingSetsTable; schemas: MappingSetSchemasTable[] } {
  const body = mappingSet.body !== null && typeof mappingSet.body === 'object' ? (mappingSet.body as { versions?: unknown }) : {};
  const versions = (Array.isArray(body.versions) ? body.versions : []).filter((v): v is Version => v !== null && typeof v === 'object');
  const current = versions[versions.length - 1] ?? {};
  const key = { org_id: scope.orgId, sandbox_id: scope.sandboxId, mapping_set_id: mappingSet.id };
  const schemaIds = new Set(versions.map((v) => v.xdmSchema).filter((id): id is string => indexText(id) !== null));
  return {
    set: {
      ...key,
      name: indexText(current.name),
      created_date: typeof current.createdDate === 'number' ? current.createdDate : null,
      modified_date: typeof current.modifiedDate === 'number' ? current.modifiedDate : null,
      stored_at: mappingSet.createdAt,
    },
    schemas: [...schemaIds].map((schema_id) => ({ ...key, schema_id })),
  };
}

async function removeRows(trx: Transaction<Database>, scope: { orgId: string; sandboxId: string }, id: string): Promise<void> {
  await trx.deleteFrom('mapping_set_schemas').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('mapping_set_id', '=', id).execute();
  await trx.deleteFrom('mapping_sets').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('mapping_set_id', '=', id).execute();
}

/** A mapping set's row and its schema rows, rewritten whole on every write (a new version may change them). */
export const mappingSetIndex: KindIndex = {
  async write(trx, scope, mappingSet) {
    const rows = mappingSetRows(scope, mappingSet);
    // The row's creation time stays the first write's, as `resources.created_at` does.
    const first = await trx.selectFrom('mapping_sets').select('stored_at').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('mapping_set_id', '=', mappingSet.id).executeTakeFirst();
    await removeRows(trx, scope, mappingSet.id);
    await trx.insertInto('mapping_sets').values({ ...rows.set, stored_at: first === undefined ? rows.set.stored_at : Number(first.stored_at) }).execute();
    if (rows.schemas.length > 0) await trx.insertInto('mapping_set_schemas').values(rows.schemas).execute();
  },
  remove: removeRows,
};
