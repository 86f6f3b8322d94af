import { sqlIdentifier, sqlString } from './sql-text.js';
import type { Expression } from './expression.js';
import { javaPatternToStrftime, normaliseDatePattern } from './java-date-pattern.js';

/** Resolves a source field path (`a.b`) to SQL, or says why it cannot. */
export type ColumnResolver = (path: string) => string;

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
export function compileExpression(expression: Expression, column: ColumnResolver): string {
  const c = (e: Expression) => compileExpression(e, column);
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
        return `(CASE WHEN TRY_CAST(${left} AS DOUBLE) IS NOT NULL AND TRY_CAST(${right} AS DOUBLE) IS NOT NULL THEN CAST(TRY_CAST(${left} AS DOUBLE) + TRY_CAST(${right} AS DOUBLE) AS VARCHAR) ELSE concat(CAST(${left} AS VARCHAR), CAST(${right} AS VARCHAR)) END)`;
      }
      if (['-', '*', '/', '%'].includes(op)) return `(TRY_CAST(${c(expression.left)} AS DOUBLE) ${op} TRY_CAST(${c(expression.right)} AS DOUBLE))`;
      return `(${c(expression.left)} ${op} ${c(expression.right)})`;
    }
    case 'index':
      return `(${c(expression.target)})[TRY_CAST(${c(expression.index)} AS BIGINT) + 1]`;
    case 'method':
      return method(expression.name, c(expression.target), expression.args.map(c));
    case 'call':
      return call(expression.name, expression.args, c);
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

function call(name: string, args: Expression[], c: (e: Expression) => string): string {
  const a = args.map(c);
  const at = (index: number) => a[index] ?? 'NULL';
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
    case 'iif':
      return `(CASE WHEN ${at(0)} THEN ${at(1)} ELSE ${at(2)} END)`;
    case 'coalesce':
    case 'nvl':
      return `coalesce(${a.join(', ')})`;
    case 'nullify':
      return 'NULL';
    case 'is_empty':
      return `(${at(0)} IS NULL OR ${text(at(0))} = '')`;
    case 'decode': {
      const pairs: string[] = [];
      for (let i = 1; i + 1 < a.length; i += 2) pairs.push(`WHEN ${at(0)} = ${at(i)} THEN ${at(i + 1)}`);
      const fallback = a.length % 2 === 0 ? at(a.length - 1) : 'NULL';
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
      return `strftime(TRY_CAST(${at(0)} AS TIMESTAMPTZ), ${sqlString(patternOf(args[1]))})`;
    case 'dformat':
      return `strftime(make_timestamp(TRY_CAST(${at(0)} AS BIGINT) * 1000), ${sqlString(patternOf(args[1]))})`;
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
  const value = `CAST(${a[0] ?? 'NULL'} AS VARCHAR)`;
  const parsed = args.length > 1 ? `try_strptime(${value}, ${sqlString(patternOf(args[1]))})` : `TRY_CAST(${value} AS TIMESTAMPTZ)`;
  return args.length > 2 ? `coalesce(CAST(${parsed} AS TIMESTAMPTZ), TRY_CAST(${a[2]} AS TIMESTAMPTZ))` : `CAST(${parsed} AS TIMESTAMPTZ)`;
}

function patternOf(arg: Expression | undefined): string {
  if (arg?.kind !== 'literal' || typeof arg.value !== 'string') throw new CompileError('date patterns must be string literals');
  const normalised = normaliseDatePattern(arg.value);
  if ('error' in normalised) throw new CompileError(normalised.error);
  return javaPatternToStrftime(normalised.pattern);
}
