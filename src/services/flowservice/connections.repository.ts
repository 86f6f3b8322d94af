import type { Kysely, Transaction } from 'kysely';
import { connectionKinds, type ConnectionKind } from '../../store/connection-index.js';
import type { Database, FlowServiceConnectionsTable } from '../../store/database.js';
import { afterSql, collectIds, conditionSql, type IndexCondition, type IndexPageQuery } from '../../store/index-query.js';
import { checkedResource } from '../../store/checked-resource.js';
import { ResourcesRepository, toStored, type Scope, type StoredResource } from '../../store/resources.repository.js';
import { storedConnectionBodies, type ConnectionBodyOf } from './stored-connection.schema.js';

/** The `flow_service_connections` columns a connection list can filter and sort on. */
export type ConnectionColumn = 'connection_id' | 'name' | 'connection_spec_id' | 'base_connection_id' | 'state' | 'data_set_id' | 'created_at' | 'updated_at';

export type ConnectionCondition = IndexCondition<ConnectionColumn>;

/** A stored connection of kind `K` whose body has been checked against that kind's stored shape. */
export type StoredConnection<K extends ConnectionKind = ConnectionKind> = StoredResource & { body: ConnectionBodyOf<K> };


/**
 * Base, source and target connections: their bodies (in `resources`) and the `flow_service_connections` index the
 * store writes with every write of one. Lists page through the index and read only their page's bodies; the
 * questions "what is built on this base connection" and "what writes into this dataset" read the index alone.
 *
 * @example
 * const connections = new ConnectionsRepository(db);
 * const rows = await connections.page(connectionKinds.source, scope, { where: [], order: [{ column: 'connection_id', descending: false }], limit: 51 });
 */
export class ConnectionsRepository {
  private readonly resources: ResourcesRepository;

  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {
    this.resources = new ResourcesRepository(db);
  }

  async get<K extends ConnectionKind>(kind: K, scope: Scope, id: string): Promise<StoredConnection<K> | undefined> {
    const stored = await this.resources.get(kind, scope, id);
    return stored ? storedConnection(kind, stored) : undefined;
  }

  /** The connections of `kind` with these ids that exist, by id: one read per 500 ids. */
  async getMany<K extends ConnectionKind>(kind: K, scope: Scope, ids: readonly string[]): Promise<Map<string, StoredConnection<K>>> {
    const found = await this.resources.getMany(kind, scope, ids);
    return new Map([...found].map(([id, stored]) => [id, storedConnection(kind, stored)]));
  }

  /** A page of one kind's index rows; the caller reads the page's bodies. */
  async page(kind: ConnectionKind, scope: Scope, query: IndexPageQuery<ConnectionColumn>): Promise<FlowServiceConnectionsTable[]> {
    let select = this.scoped(kind, scope).selectAll();
    for (const condition of query.where) select = select.where(conditionSql('flow_service_connections', condition));
    if (query.after !== undefined) select = select.where(afterSql('flow_service_connections', query.order, query.after));
    for (const key of query.order) select = select.orderBy(key.column, key.descending ? 'desc' : 'asc');
    const rows = await select.limit(query.limit).execute();
    return rows.map((row) => ({ ...row, created_at: Number(row.created_at), updated_at: Number(row.updated_at) }));
  }

  /** How many connections of `kind` meet every condition. */
  async count(kind: ConnectionKind, scope: Scope, where: readonly ConnectionCondition[]): Promise<number> {
    let select = this.scoped(kind, scope).select((eb) => eb.fn.countAll<number>().as('n'));
    for (const condition of where) select = select.where(conditionSql('flow_service_connections', condition));
    const row = await select.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The ids of every connection of `kind` that meets every condition, read a bounded page at a time. */
  async ids(kind: ConnectionKind, scope: Scope, where: readonly ConnectionCondition[]): Promise<string[]> {
    const order = [{ column: 'connection_id' as const, descending: false }];
    return collectIds((after: [string] | undefined, limit) => this.page(kind, scope, { where, order, after, limit }), (r) => [r.connection_id] as [string], (r) => r.connection_id);
  }

  /** The source and target connections built on a base connection. */
  async builtOn(scope: Scope, baseConnectionId: string): Promise<{ kind: ConnectionKind; id: string }[]> {
    const rows = await this.db
      .selectFrom('flow_service_connections')
      .select(['kind', 'connection_id'])
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('kind', 'in', [connectionKinds.source, connectionKinds.target])
      .where('base_connection_id', '=', baseConnectionId)
      .orderBy('kind')
      .orderBy('connection_id')
      .execute();
    return rows.map((r) => ({ kind: r.kind as ConnectionKind, id: r.connection_id }));
  }

  /** The ids of the target connections that write into `dataSetId`. */
  async targetsOf(scope: Scope, dataSetId: string): Promise<string[]> {
    const rows = await this.scoped(connectionKinds.target, scope).select('connection_id').where('data_set_id', '=', dataSetId).orderBy('connection_id').execute();
    return rows.map((r) => r.connection_id);
  }

  /**
   * The base connection with this id, or whose inlet has this id, in whatever org and sandbox: an inlet URL is all
   * a sender of records has. By the resources key first, else by the index's inlet column.
   */
  async locateBase(idOrInletId: string): Promise<{ scope: Scope; connection: StoredConnection<typeof connectionKinds.base> } | undefined> {
    const kind = connectionKinds.base;
    const row =
      (await this.db.selectFrom('resources').selectAll().where('kind', '=', kind).where('id', '=', idOrInletId).executeTakeFirst()) ??
      (await this.db
        .selectFrom('flow_service_connections as indexed')
        .innerJoin('resources as connection', (join) => join.onRef('connection.id', '=', 'indexed.connection_id').onRef('connection.org_id', '=', 'indexed.org_id').onRef('connection.sandbox_id', '=', 'indexed.sandbox_id').on('connection.kind', '=', kind))
        .selectAll('connection')
        .where('indexed.inlet_id', '=', idOrInletId)
        .where('indexed.kind', '=', kind)
        .executeTakeFirst());
    return row ? { scope: { orgId: row.org_id, sandboxId: row.sandbox_id }, connection: storedConnection(kind, toStored(row)) } : undefined;
  }

  private scoped(kind: ConnectionKind, scope: Scope) {
    return this.db.selectFrom('flow_service_connections').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', '=', kind);
  }
}

const kindNames: Record<ConnectionKind, string> = { [connectionKinds.base]: 'connection', [connectionKinds.source]: 'source connection', [connectionKinds.target]: 'target connection' };

/** A stored connection of `kind`, checked against its kind's stored shape. */
export function storedConnection<K extends ConnectionKind>(kind: K, stored: StoredResource): StoredConnection<K> {
  return checkedResource(storedConnectionBodies[kind], stored, kindNames[kind]) as StoredConnection<K>;
}
