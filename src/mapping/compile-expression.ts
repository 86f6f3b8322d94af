import { sqlIdentifier, sqlString } from './sql-text.js';
import type { Expression } from './expression.js';
import { isTimeZone, javaPatternToStrftime, normaliseDatePattern, readsIsoOffset, splitOnZones } from './java-date-pattern.js';

/** Resolves a source field path (`a.b`) to SQL, or says why it cannot. */
export type ColumnResolver = (path: string) => string;

/** Whether a source field holds an object or array (a STRUCT, MAP or LIST column) rather than a scalar. */
export type StructuredField = (path: string) => boolean;

export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

/**
 * Turns a Data Prep expression into a DuckDB SQL expression. Functions that can fail on bad input use
 * DuckDB's TRY forms, so one bad value nulls one field instead of failing the whole run.
 */
export function compileExpression(expression: Expression, column: ColumnResolver, structured: StructuredField = () => false): string {
  const c = (e: Expression) => compileExpression(e, column, structured);
  switch (expression.kind) {
    case 'literal':
      if (expression.value === null) return 'NULL';
      if (typeof expression.value === 'string') return sqlString(expression.value);
      return String(expression.value);
    case 'field':
      return column(expression.path);
    case 'unary':
      return expression.op === '!' ? `(NOT ${c(expression.operand)})` : `(-${c(expression.operand)})`;
    case 'binary': {
      const op = expression.op === '&&' ? 'AND' : expression.op === '||' ? 'OR' : expression.op === '==' ? '=' : expression.op;
      // `+` adds numbers and otherwise concatenates, as in Java. Both branches are text so that the CASE binds
      // whatever the operand types; the destination field's cast turns a sum back into a number.
      if (expression.op === '+') {
        const [left, right] = [c(expression.left), c(expression.right)];
        const sum = `(TRY_CAST(${left} AS DOUBLE) + TRY_CAST(${right} AS DOUBLE))`;
        // A whole sum prints as Java prints an int (7, not 7.0).
        const printed = `(CASE WHEN ${sum} = trunc(${sum}) AND abs(${sum}) < 9e15 THEN CAST(CAST(${sum} AS BIGINT) AS VARCHAR) ELSE CAST(${sum} AS VARCHAR) END)`;
        return `(CASE WHEN TRY_CAST(${left} AS DOUBLE) IS NOT NULL AND TRY_CAST(${right} AS DOUBLE) IS NOT NULL THEN ${printed} ELSE concat(CAST(${left} AS VARCHAR), CAST(${right} AS VARCHAR)) END)`;
      }
      if (['-', '*', '/', '%'].includes(op)) return `(TRY_CAST(${c(expression.left)} AS DOUBLE) ${op} TRY_CAST(${c(expression.right)} AS DOUBLE))`;
      return `(${c(expression.left)} ${op} ${c(expression.right)})`;
    }
    case 'index':
      return `(${c(expression.target)})[TRY_CAST(${c(expression.index)} AS BIGINT) + 1]`;
    case 'method':
      return method(expression.name, c(expression.target), expression.args.map(c));
    case 'call':
      return call(expression.name, expression.args, c, (e) => isScalar(e, structured));
  }
}

function method(name: string, target: string, args: string[]): string {
  switch (name) {
    case 'equals':
      return `(${target} = ${args[0]})`;
    case 'equalsIgnoreCase':
      return `(lower(CAST(${target} AS VARCHAR)) = lower(CAST(${args[0]} AS VARCHAR)))`;
    case 'get':
      return `(${target})[${args[0]}]`;
    case 'length':
      return `length(CAST(${target} AS VARCHAR))`;
    default:
      throw new CompileError(`method ${name} cannot run yet`);
  }
}

function text(sql: string): string {
  return `CAST(${sql} AS VARCHAR)`;
}

/** Functions whose value is an object or an array. */
const structuredFunctions = new Set(['to_object', 'to_array', 'split', 'explode', 'str_to_object', 'json_to_object', 'arrays_to_object', 'add_to_array', 'join_arrays', 'get_keys', 'get_values', 'extract_regex']);

function isScalar(expression: Expression, structured: StructuredField): boolean {
  if (expression.kind === 'field') return !structured(expression.path);
  if (expression.kind === 'call') return !structuredFunctions.has(expression.name);
  return true;
}

function call(name: string, args: Expression[], c: (e: Expression) => string, scalar: (e: Expression) => boolean): string {
  const a = args.map(c);
  const at = (index: number) => a[index] ?? 'NULL';
  // Branches of one choice may have different types (a number or a text); DuckDB would refuse to bind them or
  // cast the text to the number at run time and fail. Scalars meet as text; the destination field's cast
  // turns the chosen value into its type.
  const alike = (indices: number[]): string[] => {
    const all = indices.every((i) => args[i] === undefined || scalar(args[i] as Expression));
    return indices.map((i) => (all ? text(at(i)) : at(i)));
  };
  switch (name) {
    case 'concat':
      return `concat(${a.map(text).join(', ')})`;
    case 'lower':
    case 'lcase':
      return `lower(${text(at(0))})`;
    case 'upper':
    case 'ucase':
      return `upper(${text(at(0))})`;
    case 'trim':
      return `trim(${text(at(0))})`;
    case 'ltrim':
      return `ltrim(${text(at(0))})`;
    case 'rtrim':
      return `rtrim(${text(at(0))})`;
    case 'length':
      return `length(${text(at(0))})`;
    case 'substr':
      // Data Prep counts from 0, SQL from 1.
      return a.length > 2 ? `substr(${text(at(0))}, TRY_CAST(${at(1)} AS BIGINT) + 1, TRY_CAST(${at(2)} AS BIGINT))` : `substr(${text(at(0))}, TRY_CAST(${at(1)} AS BIGINT) + 1)`;
    case 'left':
      return `left(${text(at(0))}, TRY_CAST(${at(1)} AS BIGINT))`;
    case 'right':
      return `right(${text(at(0))}, TRY_CAST(${at(1)} AS BIGINT))`;
    case 'lpad':
      return `lpad(${text(at(0))}, TRY_CAST(${at(1)} AS INTEGER), ${text(at(2))})`;
    case 'rpad':
      return `rpad(${text(at(0))}, TRY_CAST(${at(1)} AS INTEGER), ${text(at(2))})`;
    case 'split':
      return `string_split(${text(at(0))}, ${text(at(1))})`;
    case 'explode':
      return `regexp_split_to_array(${text(at(0))}, ${a.length > 1 ? text(at(1)) : "','"})`;
    case 'join':
      return `array_to_string(${a.length === 2 ? at(1) : `[${a.slice(1).map(text).join(', ')}]`}, ${text(at(0))})`;
    case 'replacestr':
      return `replace(${text(at(0))}, ${text(at(1))}, ${text(at(2))})`;
    case 'instr':
      return `(instr(${text(at(0))}, ${text(at(1))}) - 1)`;
    case 'matches_regex':
      return `regexp_full_match(${text(at(0))}, ${text(at(1))})`;
    case 'extract_regex':
      return `regexp_extract_all(${text(at(0))}, ${text(at(1))})`;
    case 'sha1':
      return `sha1(${text(at(0))})`;
    case 'sha256':
      return `sha256(${text(at(0))})`;
    case 'md5':
      return `md5(${text(at(0))})`;
    case 'iif': {
      const [then, otherwise] = alike([1, 2]);
      return `(CASE WHEN ${at(0)} THEN ${then} ELSE ${otherwise} END)`;
    }
    case 'coalesce':
    case 'nvl':
      return `coalesce(${alike(a.map((_, i) => i)).join(', ')})`;
    case 'nullify':
      return 'NULL';
    case 'is_empty':
      return `(${at(0)} IS NULL OR ${text(at(0))} = '')`;
    case 'decode': {
      const resultIndices = a.map((_, i) => i).filter((i) => i >= 2 && (i % 2 === 0 || i === a.length - 1));
      const results = new Map(resultIndices.map((i, k) => [i, alike(resultIndices)[k] as string]));
      const pairs: string[] = [];
      // Keys compare as text: a number key against a text value must not fail the run.
      for (let i = 1; i + 1 < a.length; i += 2) pairs.push(`WHEN ${text(at(0))} = ${text(at(i))} THEN ${results.get(i + 1) ?? at(i + 1)}`);
      const fallback = a.length % 2 === 0 ? (results.get(a.length - 1) ?? at(a.length - 1)) : 'NULL';
      return `(CASE ${pairs.join(' ')} ELSE ${fallback} END)`;
    }
    case 'to_object': {
      const fields: string[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) {
        const key = args[i];
        if (key?.kind !== 'literal' || typeof key.value !== 'string') throw new CompileError('to_object needs literal string keys');
        fields.push(`${sqlIdentifier(key.value)} := ${at(i + 1)}`);
      }
      return `struct_pack(${fields.join(', ')})`;
    }
    case 'to_array':
      // The first argument says whether nulls are kept.
      return `(CASE WHEN ${at(0)} THEN [${a.slice(1).join(', ')}] ELSE list_filter([${a.slice(1).join(', ')}], x -> x IS NOT NULL) END)`;
    case 'size_of':
      return `len(${at(0)})`;
    case 'first':
      return `(${at(0)})[1]`;
    case 'last':
      return `(${at(0)})[-1]`;
    case 'min':
      return `least(${a.join(', ')})`;
    case 'max':
      return `greatest(${a.join(', ')})`;
    case 'to_integer':
    case 'to_bigint':
      return `TRY_CAST(${at(0)} AS BIGINT)`;
    case 'to_float':
    case 'to_decimal':
      return `TRY_CAST(${at(0)} AS DOUBLE)`;
    case 'now':
      return 'now()';
    case 'timestamp':
      return 'epoch_ms(now())';
    case 'uuid':
    case 'guid':
      return 'CAST(uuid() AS VARCHAR)';
    case 'date':
      return dateCall(args, a);
    case 'format':
      return formatCall(`TRY_CAST(${at(0)} AS TIMESTAMPTZ)`, args[1], args.length > 2 ? zoneOf(args[2]) : 'UTC');
    case 'dformat':
      return formatCall(`to_timestamp(TRY_CAST(${at(0)} AS BIGINT) / 1000.0)`, args[1], 'UTC');
    case 'zone_date_to_utc':
      return inZone(text(at(0)), zoneOf(args[1]));
    case 'zone_date_to_zone':
      // (date, to) reads an offset-less date as UTC; (date, from, to) reads it in `from`.
      return isoInZone(inZone(text(at(0)), args.length > 2 ? zoneOf(args[1]) : 'UTC'), zoneOf(args[args.length - 1]));
    case 'date_part':
      return `date_part(${text(at(0))}, TRY_CAST(${at(1)} AS TIMESTAMPTZ))`;
    case 'json_to_object':
      return `TRY_CAST(${text(at(0))} AS JSON)`;
    default:
      throw new CompileError(`function ${name} cannot run yet`);
  }
}

/** `date(text[, pattern[, default]])`: parse with a Java pattern; ISO-8601 when no pattern. */
function dateCall(args: Expression[], a: string[]): string {
  let value = `CAST(${a[0] ?? 'NULL'} AS VARCHAR)`;
  // Java's X reads `Z` for UTC; strptime's %z wants digits.
  if (args.length > 1 && readsIsoOffset(normalisedPattern(args[1], 'parse'))) value = `regexp_replace(${value}, '[Zz]$', '+00:00')`;
  const parsed = args.length > 1 ? `try_strptime(${value}, ${sqlString(javaPatternToStrftime(normalisedPattern(args[1], 'parse')))})` : `TRY_CAST(${value} AS TIMESTAMPTZ)`;
  return args.length > 2 ? `coalesce(CAST(${parsed} AS TIMESTAMPTZ), TRY_CAST(${a[2]} AS TIMESTAMPTZ))` : `CAST(${parsed} AS TIMESTAMPTZ)`;
}

function normalisedPattern(arg: Expression | undefined, use: 'parse' | 'print'): string {
  if (arg?.kind !== 'literal' || typeof arg.value !== 'string') throw new CompileError('date patterns must be string literals');
  const normalised = normaliseDatePattern(arg.value, use);
  if ('error' in normalised) throw new CompileError(normalised.error);
  return normalised.pattern;
}

function zoneOf(arg: Expression | undefined): string {
  if (arg?.kind !== 'literal' || typeof arg.value !== 'string') throw new CompileError('time zones must be string literals, e.g. "Europe/Paris"');
  if (!isTimeZone(arg.value)) throw new CompileError(`"${arg.value}" is not a time zone id (e.g. UTC, Europe/Paris, America/New_York)`);
  return arg.value;
}

/**
 * Prints an instant with a Java pattern as seen in `zone`. DuckDB prints the wall-clock time of a zone but
 * not its offset, so the pattern is cut at its zone letters and the offset is printed by hand.
 */
function formatCall(instant: string, patternArg: Expression | undefined, zone: string): string {
  const local = `timezone(${sqlString(zone)}, ${instant})`;
  const offset = `CAST(epoch(${local}) - epoch(${instant}) AS INTEGER)`;
  const pieces = splitOnZones(normalisedPattern(patternArg, 'print')).map((part) =>
    part.kind === 'text' ? `strftime(${local}, ${sqlString(javaPatternToStrftime(part.pattern))})` : zoneText(part.token, offset, zone),
  );
  return pieces.length === 1 ? (pieces[0] as string) : `concat(${pieces.join(', ')})`;
}

/** Java's zone letters: X/XX/XXX (Z for zero), x/xx/xxx (never Z), Z (+0200), z (the zone's id). */
function zoneText(token: string, offset: string, zone: string): string {
  if (token.startsWith('z')) return sqlString(zone);
  const hours = `lpad(CAST(abs(${offset}) // 3600 AS VARCHAR), 2, '0')`;
  const minutes = `lpad(CAST((abs(${offset}) % 3600) // 60 AS VARCHAR), 2, '0')`;
  const sign = `(CASE WHEN ${offset} < 0 THEN '-' ELSE '+' END)`;
  const letter = token[0] as string;
  const width = token.length;
  const body =
    letter === 'Z' || width === 2
      ? `${sign} || ${hours} || ${minutes}`
      : width === 1
        ? `${sign} || ${hours} || (CASE WHEN abs(${offset}) % 3600 = 0 THEN '' ELSE ${minutes} END)`
        : `${sign} || ${hours} || ':' || ${minutes}`;
  return letter === 'X' ? `(CASE WHEN ${offset} = 0 THEN 'Z' ELSE ${body} END)` : `(${body})`;
}

/** A date text read in `zone` unless it carries its own offset; an instant stays as it is. */
function inZone(value: string, zone: string): string {
  return `(CASE WHEN regexp_matches(${value}, '([+-]\\d\\d(:?\\d\\d)?|[Zz]|UTC)$') THEN TRY_CAST(${value} AS TIMESTAMPTZ) ELSE timezone(${sqlString(zone)}, TRY_CAST(${value} AS TIMESTAMP)) END)`;
}

/** ISO-8601 with the zone's offset, as Java's ZonedDateTime prints. */
function isoInZone(instant: string, zone: string): string {
  return formatCall(instant, { kind: 'literal', value: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" }, zone);
}
