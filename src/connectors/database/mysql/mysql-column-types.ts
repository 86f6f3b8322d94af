import type { XdmColumnType } from '../../explorable-source.js';
import type { SourceColumn } from '../sql-source-dialect.js';

/**
 * How the reader writes one value into the staged CSV, from the raw bytes of MySQL's text protocol (the server
 * formats every value as text, so no value passes through a JavaScript number or Date on the way):
 * - `number`: the text as the server printed it (integers, DECIMAL, FLOAT, DOUBLE, YEAR), unquoted;
 * - `text`: quoted, for every character string;
 * - `flag`: TINYINT(1) / BOOLEAN: 0 is false, anything else true;
 * - `bitFlag`: BIT(1): its one bit;
 * - `bits`: BIT(2..64), big-endian bytes as an unsigned integer;
 * - `base64`: binary strings and BLOBs;
 * - `date`: DATE; `instant`: DATETIME and TIMESTAMP, in UTC. MySQL's zero dates (`0000-00-00`, `2024-00-10`)
 *   are no day and become NULL (counted, and reported as a notice).
 */
export type ValueEncoding = 'number' | 'text' | 'flag' | 'bitFlag' | 'bits' | 'base64' | 'date' | 'instant';

/** A MySQL/MariaDB column as the core sees it, with how this dialect selects, stages and hands it on. */
export interface MysqlSourceColumn extends SourceColumn {
  /** What the SELECT reads: the quoted column, or an expression over it (geometry as WKT text). */
  select: string;
  encoding: ValueEncoding;
  /** The type DuckDB's CSV reader reads the staged text as. */
  csvType: string;
  /** The DuckDB expression over the read column giving `duckType` (a SET's list); the column itself otherwise. */
  cast: (column: string) => string;
}

/** MySQL's way of quoting an identifier: backticks, a backtick inside doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

const integers = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const characterStrings = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'uuid', 'inet4', 'inet6']);
const binaryStrings = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const geometries = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);

/** DuckDB's widest exact decimal; MySQL's reaches 65 digits. */
const duckMaxDecimalPrecision = 38;

const plain = (column: string): string => column;
const dateTime: XdmColumnType = { type: 'string', format: 'date-time' };

/**
 * The reading of one column from its `COLUMN_TYPE` (`int(10) unsigned`, `decimal(12,2)`, `set('a','b')`; `json`
 * for a MariaDB LONGTEXT with a `json_valid` check): what is selected, how the value is staged, and what it
 * becomes. The README's "MySQL and MariaDB types" table says the same; keep them together.
 *
 * @example
 * mysqlColumn('amount', 'decimal(12,2)');
 * // { name: 'amount', sourceType: 'decimal(12,2)', xdm: { type: 'number' }, duckType: 'DECIMAL(12,2)', encoding: 'number', … }
 */
export function mysqlColumn(name: string, columnType: string): MysqlSourceColumn {
  const sourceType = columnType.toLowerCase();
  const type = /^[a-z0-9_]+/.exec(sourceType)?.[0] ?? sourceType;
  const sizes = /^[a-z0-9_]+\((\d+)(?:,(\d+))?\)/.exec(sourceType);
  const select = quoteMysqlIdentifier(name);
  const column = (encoding: ValueEncoding, duckType: string, xdm: XdmColumnType, more: Partial<MysqlSourceColumn> = {}): MysqlSourceColumn => ({
    name,
    sourceType: columnType,
    xdm,
    duckType,
    select,
    encoding,
    csvType: duckType,
    cast: plain,
    ...more,
  });

  if (type === 'json') return column('text', 'VARCHAR', { type: 'string' });
  if (type === 'tinyint' && sizes?.[1] === '1') return column('flag', 'BOOLEAN', { type: 'boolean' });
  if (integers.has(type)) {
    // Only BIGINT UNSIGNED outgrows a signed 64-bit integer.
    return column('number', type === 'bigint' && /\bunsigned\b/.test(sourceType) ? 'UBIGINT' : 'BIGINT', { type: 'integer' });
  }
  if (type === 'decimal' || type === 'numeric') {
    const precision = Number(sizes?.[1] ?? 10);
    const scale = Number(sizes?.[2] ?? 0);
    // Wider than DuckDB's decimals: a double (XDM's number is one), about 15 significant digits.
    return column('number', precision > duckMaxDecimalPrecision ? 'DOUBLE' : `DECIMAL(${precision},${scale})`, { type: 'number' });
  }
  if (type === 'float' || type === 'double' || type === 'real') return column('number', 'DOUBLE', { type: 'number' });
  if (type === 'bit') return Number(sizes?.[1] ?? 1) === 1 ? column('bitFlag', 'BOOLEAN', { type: 'boolean' }) : column('bits', 'UBIGINT', { type: 'integer' });
  if (type === 'year') return column('number', 'INTEGER', { type: 'integer' });
  if (type === 'date') return column('date', 'DATE', { type: 'string', format: 'date' }, { time: 'date' });
  // TIMESTAMP is an instant, printed in the session's zone (UTC, see mysql-session.ts); DATETIME has no zone
  // and is taken to be UTC, as AEP wants table sources to be.
  if (type === 'timestamp') return column('instant', 'TIMESTAMPTZ', dateTime, { time: 'instant' });
  if (type === 'datetime') return column('instant', 'TIMESTAMPTZ', dateTime, { time: 'local' });
  // TIME is a duration of up to ±838 hours, not a time of day: it stays the text MySQL prints.
  if (type === 'time') return column('text', 'VARCHAR', { type: 'string' });
  if (type === 'set') {
    // A SET member cannot hold a comma, so splitting MySQL's comma-joined text is exact.
    return column('text', 'VARCHAR[]', { type: 'array' }, { csvType: 'VARCHAR', cast: (c) => `CASE WHEN ${c} = '' THEN []::VARCHAR[] ELSE string_split(${c}, ',') END` });
  }
  if (characterStrings.has(type)) return column('text', 'VARCHAR', { type: 'string' });
  if (binaryStrings.has(type)) return column('base64', 'VARCHAR', { type: 'string' });
  if (geometries.has(type)) return column('text', 'VARCHAR', { type: 'string' }, { select: `ST_AsText(${select})` });
  // A type this table does not know (a newer server's, a plugin's): its text form, which every type has.
  return column('text', 'VARCHAR', { type: 'string' });
}
