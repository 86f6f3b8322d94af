import type { IndexedField } from '../../server/listing/indexed-condition.js';
import type { ConnectionKind } from '../../store/connection-index.js';
import type { FlowServiceConnectionsTable } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import type { ConnectionColumn, ConnectionCondition, ConnectionsRepository, StoredConnection } from './connections.repository.js';
import type { IndexedList } from './flow-collection.js';
import type { FlowListing } from './flow-listing.js';
import { listThroughIndex } from './index-listing.js';

/** The connection fields with an indexed column, and whether the API compares them as numbers. */
const indexed: Record<string, IndexedField<ConnectionColumn>> = {
  id: { column: 'connection_id', numeric: false },
  name: { column: 'name', numeric: false },
  'connectionSpec.id': { column: 'connection_spec_id', numeric: false },
  baseConnectionId: { column: 'base_connection_id', numeric: false },
  state: { column: 'state', numeric: false },
  'params.dataSetId': { column: 'data_set_id', numeric: false },
  createdAt: { column: 'created_at', numeric: true },
  updatedAt: { column: 'updated_at', numeric: true },
};

/** `GET /connections`, `/sourceConnections` and `/targetConnections` in SQL on `flow_service_connections` (see `listThroughIndex`). */
export function listConnections<K extends ConnectionKind>(connections: ConnectionsRepository, kind: K, scope: Scope, listing: FlowListing, collectionPath: string): Promise<IndexedList<StoredConnection<K>>> {
  return listThroughIndex<ConnectionColumn, ConnectionCondition, FlowServiceConnectionsTable, StoredConnection<K>>(
    {
      fields: indexed,
      idColumn: 'connection_id',
      page: (query) => connections.page(kind, scope, query),
      count: (where) => connections.count(kind, scope, where),
      ids: (where) => connections.ids(kind, scope, where),
      bodies: (ids) => connections.getMany(kind, scope, ids),
      // Orders use the id and the time columns alone, which are never null.
      valueOf: (row, column) => row[column] ?? '',
    },
    listing,
    collectionPath,
  );
}
