import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * One condition on an indexed column of a list's index table. `notIn` also holds where the column is null, as
 * `!=` holds on a body that lacks the field; `present`/`absent` test for null.
 */
export type IndexCondition<C extends string> =
  | { column: C; operator: 'in' | 'notIn'; values: readonly (string | number)[] }
  | { column: C; operator: '<' | '>' | '<=' | '>='; value: number }
  | { column: C; operator: 'present' | 'absent' };

export interface IndexOrder<C extends string> {
  column: C;
  descending: boolean;
}

/**
 * A page of an index table: the conditions (all must hold), the order (its last key the table's id, so the order
 * is total), the previous page's last sort values (a keyset cursor), and the page size.
 *
 * @example
 * const query: IndexPageQuery<'flow_id' | 'created_at'> = {
 *   where: [{ column: 'created_at', operator: '>=', value: 1700000000000 }],
 *   order: [{ column: 'created_at', descending: true }, { column: 'flow_id', descending: false }],
 *   after: [1700000005000, '0f0e...'],
 *   limit: 50,
 * };
 */
export interface IndexPageQuery<C extends string, W = IndexCondition<C>> {
  where: readonly W[];
  order: readonly IndexOrder<C>[];
  after?: readonly (string | number)[] | undefined;
  limit: number;
}

/** `table.column`, quoted for the backend. */
function column(table: string, name: string): RawBuilder<unknown> {
  return sql.ref(`${table}.${name}`);
}

/** The SQL of one condition on `table`'s column. */
export function conditionSql<C extends string>(table: string, condition: IndexCondition<C>): RawBuilder<SqlBool> {
  const ref = column(table, condition.column);
  switch (condition.operator) {
    case 'in':
      return sql<SqlBool>`${ref} in (${sql.join([...condition.values])})`;
    case 'notIn':
      return sql<SqlBool>`(${ref} is null or ${ref} not in (${sql.join([...condition.values])}))`;
    case 'present':
      return sql<SqlBool>`${ref} is not null`;
    case 'absent':
      return sql<SqlBool>`${ref} is null`;
    default:
      return sql<SqlBool>`${ref} ${sql.raw(condition.operator)} ${condition.value}`;
  }
}

/**
 * Rows after the cursor in this order: (a > x) or (a = x and b > y) ..., with `<` for descending keys. The
 * redundant `a >= x` in front is a range both planners can seek the index to; neither does so from the OR alone.
 * The order's columns must not be null.
 */
export function afterSql<C extends string>(table: string, order: readonly IndexOrder<C>[], after: readonly (string | number)[]): RawBuilder<SqlBool> {
  const value = (index: number) => after[index] as string | number;
  const tuple = order.map((key, index) => {
    const equal = order.slice(0, index).map((earlier, e) => sql`${column(table, earlier.column)} = ${value(e)}`);
    const beyond = sql`${column(table, key.column)} ${sql.raw(key.descending ? '<' : '>')} ${value(index)}`;
    return sql`(${sql.join([...equal, beyond], sql` and `)})`;
  });
  const first = order[0];
  if (first === undefined) return sql<SqlBool>`true`;
  return sql<SqlBool>`${column(table, first.column)} ${sql.raw(first.descending ? '<=' : '>=')} ${value(0)} and (${sql.join(tuple, sql` or `)})`;
}

/** How many ids one read of an index returns while a list collects every match (to finish in JS). */
export const idsPerRead = 5000;

/**
 * Every id an index holds for a query, read `idsPerRead` rows at a time in keyset order: `read(after)` answers the
 * rows after the cursor (all from the start when it is undefined), `cursorOf` a row's cursor, `idOf` its id. A
 * short page is the last one, so the loop ends once the index has no more rows.
 */
export async function collectIds<R, K extends readonly (string | number)[]>(read: (after: K | undefined, limit: number) => Promise<R[]>, cursorOf: (row: R) => K, idOf: (row: R) => string): Promise<string[]> {
  const ids: string[] = [];
  let after: K | undefined;
  for (;;) {
    const rows = await read(after, idsPerRead);
    ids.push(...rows.map(idOf));
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < idsPerRead) return ids;
    after = cursorOf(last);
  }
}
