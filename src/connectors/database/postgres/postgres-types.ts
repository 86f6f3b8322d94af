import type { XdmColumnType } from '../../explorable-source.js';
import type { SourceColumn } from '../sql-source-dialect.js';

/** A column as PostgreSQL's catalog describes it (see `describeTable`'s query). */
export interface CatalogColumn {
  name: string;
  /** `format_type`: the type as written in SQL (`numeric(12,2)`, `timestamp without time zone`, `pgsrc.mood`). */
  sourceType: string;
  /** The base type's name (a domain's underlying type), e.g. `int4`, `_text` for text[]. */
  typeName: string;
  /** `pg_type.typtype` of the base type: `b` base, `e` enum, `c` composite, `r` range … */
  typeKind: string;
  /** For an array, its element type's name (`int4`); otherwise null. */
  elementName: string | null;
  /** `atttypmod` (numeric precision and scale, varchar length); -1 when unset. */
  typmod: number;
}

/**
 * How a PostgreSQL column is staged and typed: the SQL expression that renders it into the staged CSV, the DuckDB
 * type it is read back as, the expression that turns the staged text into that type (arrays), and its XDM type.
 * The README's "Database sources" table lists the same choices.
 */
export interface PostgresColumn extends SourceColumn {
  /** What `COPY (SELECT …)` writes for the column, in SQL over the quoted column name. */
  staged: (column: string) => string;
  /** The type the staged text is read as by DuckDB's CSV reader. */
  csvType: string;
  /** The DuckDB expression over the read column giving `duckType` (a JSON cast for arrays); the column itself otherwise. */
  cast: (column: string) => string;
  /** The expression a preview selects (`json_build_array` turns it into JSON). */
  previewed: (column: string) => string;
  /** How the keyset writes the value as text: plainly, or hex of its UTF-8 text when it may hold , " | or a newline. */
  keyText: 'plain' | 'hex';
}

const integers: Record<string, string> = { int2: 'SMALLINT', int4: 'INTEGER', int8: 'BIGINT', oid: 'BIGINT' };
const floats: Record<string, string> = { float4: 'FLOAT', float8: 'DOUBLE' };
/** Text-like element types whose arrays become DuckDB lists of VARCHAR (XDM arrays of strings). */
const textual = new Set(['text', 'varchar', 'bpchar', 'name', 'citext', 'uuid']);
/** DuckDB's widest DECIMAL. */
const maxDecimalPrecision = 38;

const plain = (column: string) => column;

export function postgresColumn(column: CatalogColumn): PostgresColumn {
  const { name, sourceType } = column;
  const base = { name, sourceType, cast: plain, previewed: plain, staged: plain, keyText: 'plain' as const };
  const type = column.typeName;
  const integer = integers[type];
  if (integer) return { ...base, xdm: { type: 'integer' }, duckType: integer, csvType: integer };
  const float = floats[type];
  if (float) return { ...base, xdm: { type: 'number' }, duckType: float, csvType: float };
  if (type === 'numeric') {
    const decimal = decimalOf(column.typmod);
    return { ...base, xdm: { type: 'number' }, duckType: decimal, csvType: decimal };
  }
  if (type === 'bool') return { ...base, xdm: { type: 'boolean' }, duckType: 'BOOLEAN', csvType: 'BOOLEAN' };
  if (type === 'date') return { ...base, xdm: { type: 'string', format: 'date' }, duckType: 'DATE', csvType: 'DATE', time: 'date' };
  if (type === 'timestamptz') return { ...base, xdm: dateTime, duckType: 'TIMESTAMPTZ', csvType: 'TIMESTAMPTZ', time: 'instant' };
  if (type === 'timestamp') {
    // AEP keeps instants in UTC; a timestamp without a zone is taken to be one.
    const inUtc = (c: string) => `(${c} AT TIME ZONE 'UTC')`;
    return { ...base, xdm: dateTime, duckType: 'TIMESTAMPTZ', csvType: 'TIMESTAMPTZ', time: 'local', staged: inUtc, previewed: inUtc };
  }
  if (type === 'time') return { ...base, xdm: { type: 'string' }, duckType: 'TIME', csvType: 'TIME', previewed: asText };
  if (type === 'bytea') {
    // Base64 without the line breaks PostgreSQL puts every 76 characters.
    const base64 = (c: string) => `translate(encode(${c}, 'base64'), E'\\n', '')`;
    return { ...base, xdm: { type: 'string' }, duckType: 'VARCHAR', csvType: 'VARCHAR', staged: base64, previewed: base64, keyText: 'hex' };
  }
  if (type === 'json' || type === 'jsonb') return { ...base, ...text(), keyText: 'hex' };
  if (column.elementName !== null && type.startsWith('_')) return arrayColumn(column, base);
  if (type === 'uuid') return { ...base, ...text(), keyText: 'plain' };
  return { ...base, ...text(), keyText: 'hex' };
}

const dateTime: XdmColumnType = { type: 'string', format: 'date-time' };

function asText(column: string): string {
  return `${column}::text`;
}

function text(): Pick<PostgresColumn, 'xdm' | 'duckType' | 'csvType' | 'staged' | 'previewed'> {
  return { xdm: { type: 'string' }, duckType: 'VARCHAR', csvType: 'VARCHAR', staged: asText, previewed: asText };
}

/**
 * numeric(p,s) up to DuckDB's 38 digits keeps its precision and scale; an unconstrained numeric, or one wider than
 * 38 digits, is read as a double (XDM's number is one), which keeps about 15 significant digits.
 */
function decimalOf(typmod: number): string {
  if (typmod < 4) return 'DOUBLE';
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = (typmod - 4) & 0xffff;
  if (precision < 1 || precision > maxDecimalPrecision || scale > precision) return 'DOUBLE';
  return `DECIMAL(${precision},${scale})`;
}

/**
 * One-dimensional arrays of integers, floats, booleans and text become XDM arrays (DuckDB lists), staged as JSON;
 * arrays of anything else stay their JSON text (an XDM string). A multi-dimensional value fails the read.
 */
function arrayColumn(column: CatalogColumn, base: Pick<PostgresColumn, 'name' | 'sourceType' | 'keyText'>): PostgresColumn {
  const element = column.elementName ?? '';
  const elementType = integers[element] ?? floats[element] ?? (element === 'bool' ? 'BOOLEAN' : element === 'numeric' ? 'DOUBLE' : textual.has(element) ? 'VARCHAR' : undefined);
  const json = (c: string) => `to_json(${c})::text`;
  if (!elementType) return { ...base, xdm: { type: 'string' }, duckType: 'VARCHAR', csvType: 'VARCHAR', staged: json, previewed: json, cast: plain, keyText: 'hex' };
  return {
    ...base,
    xdm: { type: 'array' },
    duckType: `${elementType}[]`,
    csvType: 'VARCHAR',
    staged: json,
    previewed: plain,
    cast: (c) => `CAST(CAST(${c} AS JSON) AS ${elementType}[])`,
    keyText: 'hex',
  };
}
