import { SourceConfigError } from '../../source-connector.js';
import type { PageQuery } from '../sql-source-dialect.js';
import { quoteMysqlIdentifier, type MysqlSourceColumn } from './mysql-column-types.js';
import type { StagedQuery } from './mysql-row-stager.js';

/**
 * The SELECT of one keyset page, with the delta window pushed into the WHERE clause:
 *
 * ```sql
 * SELECT `id`, `updated_at`, … FROM `shop`.`orders`
 * WHERE `updated_at` > ? AND `updated_at` <= ?
 *   AND (`updated_at` > ? OR (`updated_at` = ? AND `id` > ?))
 * ORDER BY `updated_at`, `id` LIMIT 100000
 * ```
 *
 * The keyset is spelled out as ORs rather than a row comparison `(a, b) > (?, ?)`, which not every MySQL and
 * MariaDB version turns into an index range. Window bounds are ISO-8601 instants and are compared as UTC
 * `YYYY-MM-DD HH:MM:SS.ffffff` text, the session's zone (see mysql-session.ts); key values come back as `last`
 * gave them (see `keyText` in mysql-dialect.ts).
 */
export function mysqlPageQuery(page: PageQuery): StagedQuery {
  const columns = page.table.columns as MysqlSourceColumn[];
  const order = page.order as MysqlSourceColumn[];
  const from = `${quoteMysqlIdentifier(page.table.schema)}.${quoteMysqlIdentifier(page.table.name)}`;
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (page.delta) {
    const delta = quoteMysqlIdentifier(page.delta.column.name);
    if (page.delta.after !== undefined) {
      conditions.push(`${delta} > ?`);
      values.push(mysqlInstant(page.delta.after));
    }
    conditions.push(`${delta} <= ?`);
    values.push(mysqlInstant(page.delta.upTo));
  }
  if (page.after) {
    const after = page.after;
    // (k1 > v1 OR (k1 = v1 AND (k2 > v2 OR (k2 = v2 AND k3 > v3)))): the values go in as the text reads.
    const keyset = (i: number): string => {
      const column = quoteMysqlIdentifier(order[i]!.name);
      const value = keyValue(order[i]!);
      if (i === order.length - 1) {
        values.push(after[i]);
        return `${column} > ${value}`;
      }
      values.push(after[i], after[i]);
      return `(${column} > ${value} OR (${column} = ${value} AND ${keyset(i + 1)}))`;
    };
    if (after.length !== order.length) throw new SourceConfigError(`the read's saved position has ${after.length} key values for ${order.length} key columns`);
    conditions.push(keyset(0));
  }
  const orderBy = order.length > 0 ? ` ORDER BY ${order.map((c) => quoteMysqlIdentifier(c.name)).join(', ')}` : '';
  const limit = page.limit !== undefined && order.length > 0 ? ` LIMIT ${page.limit}` : '';
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return { sql: `SELECT ${columns.map((c) => c.select).join(', ')} FROM ${from}${where}${orderBy}${limit}`, values };
}

/** A key value's placeholder: binary keys travel as base64 (their raw bytes are no text), BIT keys as their number. */
function keyValue(column: MysqlSourceColumn): string {
  if (column.encoding === 'base64') return 'FROM_BASE64(?)';
  if (column.encoding === 'bits' || column.encoding === 'bitFlag') return 'CAST(? AS UNSIGNED)';
  return '?';
}

/** `2024-03-01T12:00:00.000Z` as MySQL's UTC datetime text, `2024-03-01 12:00:00.000000`. */
export function mysqlInstant(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new SourceConfigError(`the delta window bound "${iso}" is not an ISO-8601 instant`);
  // Microseconds survive when the text has them (Date keeps milliseconds only).
  const micros = /\.(\d{1,6})/.exec(iso)?.[1]?.padEnd(6, '0') ?? '000000';
  return new Date(time).toISOString().slice(0, 19).replace('T', ' ') + '.' + micros;
}
