import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Database } from '../store/database.js';

/** The `flow_runs` columns a run list can filter and sort on. */
export type RunColumn = 'run_id' | 'flow_id' | 'status' | 'created_at' | 'updated_at';

/**
 * One condition on a run's indexed columns. `notIn` also holds where the column is null, as `!=` holds on a body
 * that lacks the field; `present`/`absent` test for null.
 */
export type RunCondition =
  | { column: RunColumn; operator: 'in' | 'notIn'; values: readonly (string | number)[] }
  | { column: RunColumn; operator: '<' | '>' | '<=' | '>='; value: number }
  | { column: RunColumn; operator: 'present' | 'absent' };

export interface RunOrder {
  column: RunColumn;
  descending: boolean;
}

/**
 * A page of runs by their indexed columns: the conditions (all must hold), the order (its last key should be
 * `run_id`, so the order is total), the previous page's last sort values (a keyset cursor), and the page size.
 *
 * @example
 * const query: RunListQuery = {
 *   where: [{ column: 'flow_id', operator: 'in', values: [flowId] }],
 *   order: [{ column: 'created_at', descending: true }, { column: 'run_id', descending: false }],
 *   limit: 10,
 * };
 */
export interface RunListQuery {
  where: readonly RunCondition[];
  order: readonly RunOrder[];
  after?: readonly (string | number)[] | undefined;
  limit: number;
}

type RunsExpressions = ExpressionBuilder<Database, 'flow_runs'>;

export function conditionSql(eb: RunsExpressions, condition: RunCondition): ExpressionWrapper<Database, 'flow_runs', SqlBool> {
  const column = eb.ref(condition.column);
  switch (condition.operator) {
    case 'in':
      return eb(column, 'in', [...condition.values]);
    case 'notIn':
      return eb.or([eb(column, 'is', null), eb(column, 'not in', [...condition.values])]);
    case 'present':
      return eb(column, 'is not', null);
    case 'absent':
      return eb(column, 'is', null);
    default:
      return eb(column, condition.operator, condition.value);
  }
}

/**
 * Rows after the cursor in this order: (a > x) or (a = x and b > y) ..., with `<` for descending keys. The
 * redundant `a >= x` in front is a range both planners can seek the index to; neither does so from the OR alone.
 */
export function afterSql(eb: RunsExpressions, order: readonly RunOrder[], after: readonly (string | number)[]): ExpressionWrapper<Database, 'flow_runs', SqlBool> {
  const first = order[0];
  const tuple = eb.or(
    order.map((key, index) =>
      eb.and([
        ...order.slice(0, index).map((earlier, e) => eb(eb.ref(earlier.column), '=', after[e] as string | number)),
        eb(eb.ref(key.column), key.descending ? '<' : '>', after[index] as string | number),
      ]),
    ),
  );
  if (first === undefined) return tuple;
  return eb.and([eb(eb.ref(first.column), first.descending ? '<=' : '>=', after[0] as string | number), tuple]);
}
