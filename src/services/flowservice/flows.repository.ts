import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database, FlowsTable } from '../../store/database.js';
import { flowKind, type FlowConnectionDirection } from '../../store/flow-index.js';
import { afterSql, collectIds, conditionSql, type IndexCondition, type IndexPageQuery } from '../../store/index-query.js';
import { checkedResource } from '../../store/checked-resource.js';
import { ResourcesRepository, type Scope, type StoredResource } from '../../store/resources.repository.js';
import { StoredFlowBody } from './stored-flow.schema.js';

/** The `flows` columns a flow list can filter and sort on. */
export type FlowColumn = 'flow_id' | 'name' | 'flow_spec_id' | 'state' | 'created_at' | 'updated_at';

/**
 * A condition on a flow's indexed columns, or on its connection ids: `in` holds where any of the flow's
 * connections in that direction is one of the values, `notIn` where none is; `present` where it has any.
 */
export type FlowCondition =
  | IndexCondition<FlowColumn>
  | { connection: FlowConnectionDirection; operator: 'in' | 'notIn'; values: readonly string[] }
  | { connection: FlowConnectionDirection; operator: 'present' | 'absent' };

export type FlowPageQuery = IndexPageQuery<FlowColumn, FlowCondition>;

/** A stored flow whose body has been checked against the stored-flow schema. */
export type StoredFlow = StoredResource & { body: StoredFlowBody };


/**
 * Flows: their bodies (in `resources`, checked here once against `StoredFlowBody`) and the `flows` and
 * `flow_connections` index tables the store writes with every write of a flow. Lists page through the index and
 * read only their page's bodies.
 *
 * @example
 * const flows = new FlowsRepository(db);
 * const rows = await flows.page(scope, { where: [{ column: 'state', operator: 'in', values: ['enabled'] }], order: [{ column: 'flow_id', descending: false }], limit: 51 });
 * const bodies = await flows.getMany(scope, rows.map((r) => r.flow_id));
 */
export class FlowsRepository {
  private readonly resources: ResourcesRepository;

  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {
    this.resources = new ResourcesRepository(db);
  }

  async get(scope: Scope, id: string): Promise<StoredFlow | undefined> {
    const stored = await this.resources.get(flowKind, scope, id);
    return stored ? storedFlow(stored) : undefined;
  }

  /** Every flow of a sandbox, checked: for the scheduler, which keeps a schedule per flow. */
  async all(scope: Scope): Promise<StoredFlow[]> {
    return (await this.resources.list(flowKind, scope)).map(storedFlow);
  }

  /** The flows with these ids that exist, by id: one read per 500 ids. */
  async getMany(scope: Scope, ids: readonly string[]): Promise<Map<string, StoredFlow>> {
    const found = await this.resources.getMany(flowKind, scope, ids);
    return new Map([...found].map(([id, stored]) => [id, storedFlow(stored)]));
  }

  /** A page of flows, by their `flows` rows: only the index is read; the caller reads the page's bodies. */
  async page(scope: Scope, query: FlowPageQuery): Promise<FlowsTable[]> {
    let select = this.db.selectFrom('flows').selectAll().where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
    for (const condition of query.where) select = select.where(flowConditionSql(scope, condition));
    if (query.after !== undefined) select = select.where(afterSql('flows', query.order, query.after));
    for (const key of query.order) select = select.orderBy(key.column, key.descending ? 'desc' : 'asc');
    const rows = await select.limit(query.limit).execute();
    return rows.map((row) => ({ ...row, created_at: Number(row.created_at), updated_at: Number(row.updated_at) }));
  }

  /** How many flows meet every condition. */
  async count(scope: Scope, where: readonly FlowCondition[]): Promise<number> {
    let select = this.db.selectFrom('flows').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId);
    for (const condition of where) select = select.where(flowConditionSql(scope, condition));
    const row = await select.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The ids of every flow that meets every condition, read from the index a bounded page at a time. */
  async ids(scope: Scope, where: readonly FlowCondition[]): Promise<string[]> {
    const order = [{ column: 'flow_id' as const, descending: false }];
    return collectIds((after: [string] | undefined, limit) => this.page(scope, { where, order, after, limit }), (r) => [r.flow_id] as [string], (r) => r.flow_id);
  }

  /** The flows whose source (or target) connections include `connectionId`. */
  async using(scope: Scope, direction: FlowConnectionDirection, connectionId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('flow_connections')
      .select('flow_id')
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('direction', '=', direction)
      .where('connection_id', '=', connectionId)
      .orderBy('flow_id')
      .execute();
    return rows.map((r) => r.flow_id);
  }
}

/** A stored flow, checked: a body of another shape is a store edited by hand, and fails loudly here. */
export function storedFlow(stored: StoredResource): StoredFlow {
  return checkedResource(StoredFlowBody, stored, 'flow');
}

/**
 * A connection condition is a semi-join on `flow_connections` (`flow_id in (select ...)`), bound to the sandbox:
 * both planners then read the few flows of a connection from its index, where a correlated EXISTS may probe it
 * once per flow of the sandbox.
 */
function flowConditionSql(scope: Scope, condition: FlowCondition): RawBuilder<SqlBool> {
  if (!('connection' in condition)) return conditionSql('flows', condition);
  const values = condition.operator === 'in' || condition.operator === 'notIn' ? condition.values : [];
  const matching = sql`select c.flow_id from ${sql.table('flow_connections')} as c where c.org_id = ${scope.orgId} and c.sandbox_id = ${scope.sandboxId} and c.direction = ${condition.connection}`;
  const any = values.length > 0 ? sql`${matching} and c.connection_id in (${sql.join([...values])})` : matching;
  const flowId = sql.ref('flows.flow_id');
  return condition.operator === 'in' || condition.operator === 'present' ? sql<SqlBool>`${flowId} in (${any})` : sql<SqlBool>`${flowId} not in (${any})`;
}
