import type { XdmColumnType } from '../../explorable-source.js';

/** A column as `information_schema.COLUMNS` describes it (MySQL 5.7+, MariaDB 10.2+). */
export interface MysqlColumn {
  name: string;
  /** `DATA_TYPE`, lower case: `int`, `decimal`, `varchar`, `set` … */
  dataType: string;
  /** `COLUMN_TYPE`: `int(10) unsigned`, `tinyint(1)`, `bit(5)` … */
  columnType: string;
  precision: number | null;
  scale: number | null;
  /**
   * A JSON column. MySQL says so in `DATA_TYPE`; MariaDB stores JSON as LONGTEXT with a `json_valid(col)`
   * check, which the catalog reads to set this.
   */
  isJson: boolean;
}

/**
 * How the reader writes one value into the staged CSV, from the raw bytes of MySQL's text protocol (the server
 * formats every value as text, so no value passes through a JavaScript number or Date on the way):
 * - `number`: the text as the server printed it (integers, DECIMAL, FLOAT, DOUBLE, YEAR), unquoted;
 * - `text`: quoted, for every character string;
 * - `flag`: TINYINT(1) / BOOLEAN: 0 is false, anything else true;
 * - `bitFlag`: BIT(1): its one bit;
 * - `bits`: BIT(2..64), big-endian bytes as an unsigned integer;
 * - `base64`: binary strings and BLOBs;
 * - `temporal`: DATE, DATETIME, TIMESTAMP; MySQL's zero dates (`0000-00-00`, `2024-00-10`) are no instant
 *   and become NULL (counted, and reported as a notice).
 */
export type ValueEncoding = 'number' | 'text' | 'flag' | 'bitFlag' | 'bits' | 'base64' | 'temporal';

/** Everything the reader and the explorer need to know about one column. */
export interface MysqlColumnReading {
  name: string;
  /** What the SELECT reads: the quoted column, or an expression over it (geometry as WKT text). */
  select: string;
  encoding: ValueEncoding;
  /** The type DuckDB reads the staged value with. */
  stagedType: string;
  /** The staged column as the relation hands it on (SET members become a list). */
  relationExpression: string;
  xdm: XdmColumnType;
}

/** MySQL's way of quoting an identifier: backticks, a backtick inside doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

/** DuckDB's way of quoting an identifier. */
export function quoteDuckIdentifier(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

const signedIntegers = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const characterStrings = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'uuid', 'inet4', 'inet6']);
const binaryStrings = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const geometries = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);

/** DuckDB's widest exact decimal; MySQL's reaches 65 digits. */
const duckMaxDecimalPrecision = 38;

/**
 * The reading of one column: what is selected, how the value is staged, and what it becomes. The table in the
 * README ("MySQL and MariaDB types") says the same; keep them together.
 *
 * @example
 * mysqlColumnReading({ name: 'amount', dataType: 'decimal', columnType: 'decimal(12,2)', precision: 12, scale: 2, isJson: false });
 * // { select: '`amount`', encoding: 'number', stagedType: 'DECIMAL(12,2)', xdm: { type: 'number' }, … }
 */
export function mysqlColumnReading(column: MysqlColumn): MysqlColumnReading {
  const select = quoteMysqlIdentifier(column.name);
  const staged = quoteDuckIdentifier(column.name);
  const reading = (encoding: ValueEncoding, stagedType: string, xdm: XdmColumnType, relationExpression = staged, selectExpression = select): MysqlColumnReading => ({
    name: column.name,
    select: selectExpression,
    encoding,
    stagedType,
    relationExpression: relationExpression === staged ? staged : `${relationExpression} AS ${staged}`,
    xdm,
  });
  const type = column.dataType.toLowerCase();
  const unsigned = /\bunsigned\b/i.test(column.columnType);

  if (column.isJson || type === 'json') return reading('text', 'VARCHAR', { type: 'string' });
  if (type === 'tinyint' && /^tinyint\(1\)/i.test(column.columnType)) return reading('flag', 'BOOLEAN', { type: 'boolean' });
  if (signedIntegers.has(type)) {
    // Only BIGINT UNSIGNED outgrows a signed 64-bit integer.
    return reading('number', type === 'bigint' && unsigned ? 'UBIGINT' : 'BIGINT', { type: 'integer' });
  }
  if (type === 'decimal' || type === 'numeric') {
    const precision = column.precision ?? 10;
    const scale = column.scale ?? 0;
    if (precision > duckMaxDecimalPrecision) return reading('text', 'VARCHAR', { type: 'string' });
    return reading('number', `DECIMAL(${precision},${scale})`, { type: 'number' });
  }
  if (type === 'float' || type === 'double' || type === 'real') return reading('number', 'DOUBLE', { type: 'number' });
  if (type === 'bit') {
    return (column.precision ?? 1) === 1 ? reading('bitFlag', 'BOOLEAN', { type: 'boolean' }) : reading('bits', 'UBIGINT', { type: 'integer' });
  }
  if (type === 'year') return reading('number', 'INTEGER', { type: 'integer' });
  if (type === 'date') return reading('temporal', 'DATE', { type: 'string', format: 'date' });
  if (type === 'datetime' || type === 'timestamp') return reading('temporal', 'TIMESTAMP', { type: 'string', format: 'date-time' });
  // TIME is a duration of up to ±838 hours, not a time of day: it stays the text MySQL prints.
  if (type === 'time') return reading('text', 'VARCHAR', { type: 'string' });
  if (type === 'set') {
    // A SET member cannot contain a comma, so splitting MySQL's comma-joined text is exact.
    return reading('text', 'VARCHAR', { type: 'array' }, `CASE WHEN ${staged} = '' THEN []::VARCHAR[] ELSE string_split(${staged}, ',') END`);
  }
  if (characterStrings.has(type)) return reading('text', 'VARCHAR', { type: 'string' });
  if (binaryStrings.has(type)) return reading('base64', 'VARCHAR', { type: 'string' });
  if (geometries.has(type)) return reading('text', 'VARCHAR', { type: 'string' }, staged, `ST_AsText(${select})`);
  // A type this table does not know (a newer server's, a plugin's): its text form, which every type has.
  return reading('text', 'VARCHAR', { type: 'string' });
}
