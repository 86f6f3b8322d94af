import type { IndexedField } from '../../server/listing/indexed-condition.js';
import type { PropertyFilter } from '../../server/listing/property-filter.js';
import type { FlowsTable } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import type { IndexedList } from './flow-collection.js';
import type { FlowListing } from './flow-listing.js';
import type { FlowColumn, FlowCondition, FlowsRepository, StoredFlow } from './flows.repository.js';
import { listThroughIndex } from './index-listing.js';

/** The flow fields with an indexed column, and whether the API compares them as numbers. */
const indexed: Record<string, IndexedField<FlowColumn>> = {
  id: { column: 'flow_id', numeric: false },
  name: { column: 'name', numeric: false },
  'flowSpec.id': { column: 'flow_spec_id', numeric: false },
  state: { column: 'state', numeric: false },
  createdAt: { column: 'created_at', numeric: true },
  updatedAt: { column: 'updated_at', numeric: true },
};

/** The connection lists, under each spelling a filter may give them (`sourceConnectionIds[]` walks the array too). */
const connectionFields: Record<string, 'source' | 'target'> = {
  sourceConnectionIds: 'source',
  'sourceConnectionIds[]': 'source',
  targetConnectionIds: 'target',
  'targetConnectionIds[]': 'target',
};

/**
 * `GET /flows` in SQL on `flows` and `flow_connections` (see `listThroughIndex`); a filter on a flow's connection
 * ids is a semi-join on `flow_connections`. Filters and orders on the fields a flow derives from other objects
 * (`lastRunDetails`, `inheritedAttributes`) take the JS path.
 */
export async function listFlows(flows: FlowsRepository, scope: Scope, listing: FlowListing, collectionPath: string): Promise<IndexedList<StoredFlow>> {
  return listThroughIndex<FlowColumn, FlowCondition, FlowsTable, StoredFlow>(
    {
      fields: indexed,
      idColumn: 'flow_id',
      page: (query) => flows.page(scope, query),
      count: (where) => flows.count(scope, where),
      ids: (where) => flows.ids(scope, where),
      bodies: (ids) => flows.getMany(scope, ids),
      // Orders use the id and the time columns alone, which are never null.
      valueOf: (row, column) => row[column] ?? '',
      extraCondition: connectionCondition,
    },
    listing,
    collectionPath,
  );
}

function connectionCondition(filter: PropertyFilter): FlowCondition | undefined {
  const connection = Object.hasOwn(connectionFields, filter.path) ? connectionFields[filter.path] : undefined;
  if (connection === undefined) return undefined;
  if (filter.operator === 'exists') return { connection, operator: 'present' };
  if (filter.operator === 'missing') return { connection, operator: 'absent' };
  if (filter.values.some((v) => v.includes('\u0000'))) return undefined;
  if (filter.operator === '==') return { connection, operator: 'in', values: filter.values };
  if (filter.operator === '!=') return { connection, operator: 'notIn', values: filter.values };
  return undefined;
}
