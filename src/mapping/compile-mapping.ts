import { findField } from '../xdm/field-lookup.js';
import { isObject } from '../xdm/component-lookup.js';
import type { JsonObject } from '../xdm/standard/json-value.js';
import { CompileError, compileExpression, type ColumnResolver, type StructuredField } from './compile-expression.js';
import type { MappingRule } from './mapping-rule.js';
import { parseExpression } from './parse-expression.js';
import { sqlIdentifier, sqlString } from './sql-text.js';

/** A source column as DuckDB describes the staged rows. */
export interface SourceColumn {
  name: string;
  type: string;
}

/** The SQL that turns staged source rows into XDM rows, each with the list of reasons it cannot land. */
export interface CompiledMapping {
  /** Top-level XDM fields written, in order. */
  columns: string[];
  /**
   * `SELECT <XDM fields>, <errors> AS _errors FROM ...` over `input` (a table expression whose rows are aliased `s`).
   * Each source value is computed once, in an inner projection, however often the fields and checks use it.
   * `carry` names input columns to pass through unchanged (e.g. the raw row for diagnostics).
   * With `verdict: 'valid'` the reasons are not built: a boolean `_valid` says whether the row may land, which is
   * far cheaper per row than assembling a list of reasons that is almost always empty.
   */
  select(input: string, options?: { carry?: string[]; verdict?: 'errors' | 'valid' }): string;
}

/**
 * What the mapping writes, as a tree of destinations. `each` is an array written element by element (`x[*].y`):
 * its element is built from lists, the i-th element from the i-th value of each (`element` leaves hold `[i]`).
 */
type Tree =
  | { kind: 'leaf'; sql: string }
  | { kind: 'object'; children: Map<string, Tree> }
  | { kind: 'list'; items: Map<number, Tree> }
  | { kind: 'each'; lists: string[]; element: Tree };

const castTypes: Record<string, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  long: 'BIGINT',
  short: 'SMALLINT',
  byte: 'TINYINT',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  'date-time': 'TIMESTAMPTZ',
};

export interface CompileOptions {
  /**
   * Source fields (dotted paths into structs) the target schema does not have. A row with a value in one is
   * rejected, naming the field, instead of the field being dropped without a word (data that is already XDM).
   */
  extraneous?: string[];
  /**
   * What a mapping that reads a column the source does not have means. `error` (files, APIs: the source has a
   * fixed shape, so it is a mistake in the mapping) or `null` (records that each carry only some fields, as
   * streamed messages and preview samples do: the field is simply absent from all of them).
   */
  absentColumns?: 'error' | 'null';
}

/**
 * Compiles a mapping set against the target schema and the source's columns. A mapping that reads a column
 * the source does not have is an error here, before any row is read (tutorial note 6).
 */
export function compileMapping(rules: MappingRule[], schema: JsonObject, columns: SourceColumn[], sourceAlias = 's', options: CompileOptions = {}): CompiledMapping {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const lowerByName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const column = (path: string): string => {
    if (path.includes('[*]')) throw new CompileError(`${path}: [*] reads a list; map it to a [*] destination`);
    const segments = path.replace(/^\$\{(.*)\}$/, '$1').split('.');
    const head = segments[0] ?? '';
    const found = byName.get(path) ?? byName.get(head) ?? lowerByName.get(head.toLowerCase());
    if (!found && options.absentColumns === 'null') return 'NULL';
    if (!found) throw new CompileError(`the source has no column "${head}" (it has ${columns.map((c) => c.name).join(', ')})`);
    if (byName.get(path)) return `${sourceAlias}.${sqlIdentifier(path)}`;
    return [`${sourceAlias}.${sqlIdentifier(found.name)}`, ...segments.slice(1).map(sqlIdentifier)].join('.');
  };

  /**
   * `a.b[*].c`: the list of each element's `c`. A struct list (Parquet, JSON files) is transformed; a JSON column
   * (API sources keep nested values as JSON) is read with a JSON path.
   */
  const listColumn = (path: string): string => {
    const [before, after = '', ...more] = path.split('[*]');
    if (more.length > 0 || !before) throw new CompileError(`${path}: one [*] at most, after a field`);
    const [head = '', ...inner] = before.split('.');
    const found = byName.get(head) ?? lowerByName.get(head.toLowerCase());
    if (!found) throw new CompileError(`the source has no column "${head}" (it has ${columns.map((c) => c.name).join(', ')})`);
    const rest = after.replace(/^\./, '').split('.').filter((segment) => segment !== '');
    const base = `${sourceAlias}.${sqlIdentifier(found.name)}`;
    if (found.type.toUpperCase() === 'JSON') {
      const jsonPath = `$${inner.map((k) => `.${JSON.stringify(k)}`).join('')}[*]${rest.map((k) => `.${JSON.stringify(k)}`).join('')}`;
      return `json_extract_string(${base}, ${sqlString(jsonPath)})`;
    }
    const list = [base, ...inner.map(sqlIdentifier)].join('.');
    return rest.length === 0 ? list : `list_transform(${list}, x -> x.${rest.map(sqlIdentifier).join('.')})`;
  };

  // Only a whole column's type is known here; a path into a struct is taken as a scalar.
  const structured = (path: string): boolean => /^(STRUCT|MAP)|\[\d*\]$/.test(byName.get(path)?.type ?? '');

  const root: Tree = { kind: 'object', children: new Map() };
  const errors: string[] = [];
  const identities: { namespace: string; value: string; primary: boolean }[] = [];
  const raws: string[] = [];
  const casts: string[] = [];
  // The valid rows' pass converts each value once and tests its constraints in the row's verdict: a row that
  // lands broke none, so nulling a value that breaks one (as the rejected rows' pass does) changes nothing.
  const plainCasts: string[] = [];
  const validChecks: string[] = [];
  let extraneousCount = 0;
  rules.forEach((rule, index) => {
    if (rule.destination.includes('[*]')) {
      eachRule(rule, index);
      return;
    }
    const found = findField(schema, rule.destination);
    if ('error' in found) throw new CompileError(`mapping ${index} (${rule.destination}): destination ${found.error}`);
    const raw = `__r${index}`;
    const value = `__v${index}`;
    // try(): a function that fails on one value nulls that field, as Data Prep does, instead of failing the run.
    // Column references and literals cannot fail, so they skip its cost.
    const source = sourceSql(rule, column, structured, index);
    raws.push(`${rule.sourceType === 'EXPRESSION' ? `try(${source})` : source} AS ${raw}`);
    const xdmType = String(found.field['meta:xdmType'] ?? found.field.type);
    const castType = castTypes[xdmType];
    const cast = castType ? `TRY_CAST(${raw} AS ${castType})` : raw;
    // A value that converts but breaks a constraint of the field (enum, length, pattern, format, bounds) is no
    // value for it: the field is nulled and the row says which rule it broke.
    const constraints = fieldRules(found.field, cast, `${rule.destination}`);
    casts.push(`${constraints.length > 0 ? `(CASE WHEN ${constraints.map((r) => `coalesce(${r.holds}, false)`).join(' AND ')} THEN ${cast} END)` : cast} AS ${value}`);
    plainCasts.push(`${cast} AS ${value}`);
    const onValue = fieldRules(found.field, value, rule.destination).map((r) => ` AND coalesce(${r.holds}, false)`).join('');
    validChecks.push(`(${raw} IS NULL OR (${value} IS NOT NULL${onValue}))`);
    insert(root, parseDestination(rule.destination), value);
    const message = `${rule.destination}: cannot convert ` + (castType ? `to ${xdmType}` : 'the value');
    const reason = constraints.length > 0 ? `(CASE ${constraints.map((r) => `WHEN ${cast} IS NOT NULL AND NOT coalesce(${r.holds}, false) THEN ${sqlString(r.reason)}`).join(' ')} ELSE ${sqlString(message)} END)` : sqlString(message);
    errors.push(`CASE WHEN ${raw} IS NOT NULL AND ${value} IS NULL THEN struct_pack(code := 'MAPPER-3700-400', message := ${reason} || ' (' || left(CAST(${raw} AS VARCHAR), 200) || ')') END`);
    if (rule.identity && rule.namespaceCode) identities.push({ namespace: rule.namespaceCode, value, primary: rule.primaryIdentity });
  });

  /**
   * A `x[*].y` destination from a `a[*].b` source: each element's value is converted on its own, and a value
   * that does not convert rejects the row, naming the element.
   */
  function eachRule(rule: MappingRule, index: number): void {
    if (rule.sourceType !== 'ATTRIBUTE' || !rule.source.includes('[*]')) {
      throw new CompileError(`mapping ${index} (${rule.destination}): a [*] destination needs a [*] source path, e.g. items[*].name`);
    }
    if (rule.identity) throw new CompileError(`mapping ${index} (${rule.destination}): an identity cannot be a list`);
    const [arrayPath = '', elementPath = ''] = rule.destination.split('[*]');
    const array = findField(schema, arrayPath);
    if ('error' in array || array.field.type !== 'array') throw new CompileError(`mapping ${index} (${rule.destination}): destination "${arrayPath}" is not an array of the schema`);
    const inElement = elementPath.replace(/^\./, '');
    const found = inElement === '' ? { field: (array.field.items ?? {}) as JsonObject } : findField((array.field.items ?? {}) as JsonObject, inElement);
    if ('error' in found) throw new CompileError(`mapping ${index} (${rule.destination}): destination ${found.error}`);
    const raw = `__r${index}`;
    const value = `__v${index}`;
    let source: string;
    try {
      source = listColumn(rule.source);
    } catch (error) {
      if (error instanceof Error) throw new CompileError(`mapping ${index} (${rule.destination}): ${error.message}`);
      throw error;
    }
    raws.push(`${source} AS ${raw}`);
    const xdmType = String(found.field['meta:xdmType'] ?? found.field.type);
    const castType = castTypes[xdmType];
    const cast = castType ? `list_transform(${raw}, v -> TRY_CAST(v AS ${castType}))` : raw;
    casts.push(`${cast} AS ${value}`);
    plainCasts.push(`${cast} AS ${value}`);
    // The elements that hold a value but do not convert, or break the field's constraints: none may.
    const constraints = fieldRules(found.field, `${value}[i]`, rule.destination);
    const holds = constraints.map((r) => ` AND coalesce(${r.holds}, false)`).join('');
    const broken = `list_filter(range(1, len(${raw}) + 1), i -> ${raw}[i] IS NOT NULL AND NOT (${value}[i] IS NOT NULL${holds}))`;
    validChecks.push(`(${raw} IS NULL OR len(${broken}) = 0)`);
    const first = `${value}[${broken}[1]]`;
    const why = constraints.length > 0 ? `(CASE ${constraints.map((r) => `WHEN ${first} IS NOT NULL AND NOT coalesce(${r.holds.replaceAll(`${value}[i]`, first)}, false) THEN ${sqlString(` (${r.reason.replace(`${rule.destination}: `, '')})`)}`).join(' ')} ELSE '' END)` : "''";
    errors.push(`CASE WHEN ${raw} IS NOT NULL AND len(${broken}) > 0 THEN struct_pack(code := 'MAPPER-3700-400', message := ${sqlString(`${rule.destination}: cannot convert element `)} || CAST(${broken}[1] AS VARCHAR) || ${sqlString(castType ? ` to ${xdmType}` : '')} || ${why} || ' (' || left(CAST(${raw}[${broken}[1]] AS VARCHAR), 200) || ')') END`);
    insertEach(root, arrayPath, inElement, value);
  }

  if (identities.length > 0 && !('error' in findField(schema, 'identityMap'))) {
    insert(root, [{ name: 'identityMap' }], identityMapSql(identities));
  }
  for (const [path, holds] of requiredFields(schema, root)) {
    validChecks.push(holds);
    errors.push(`CASE WHEN NOT ${holds} THEN struct_pack(code := 'INGEST-1555-400', message := ${sqlString(`required field ${path} is missing or null`)}) END`);
  }
  for (const path of options.extraneous ?? []) {
    const value = [sourceAlias, ...path.split('.')].map((segment, i) => (i === 0 ? segment : sqlIdentifier(segment))).join('.');
    raws.push(`${value} IS NULL AS __x${extraneousCount}`);
    validChecks.push(`__x${extraneousCount}`);
    errors.push(`CASE WHEN NOT __x${extraneousCount} THEN struct_pack(code := 'INGEST-1556-400', message := ${sqlString(`extraneous key [${path}] is not permitted: the schema has no such field`)}) END`);
    extraneousCount += 1;
  }

  if (root.kind !== 'object') throw new CompileError('mapping root must be an object');
  const selected = [...root.children].map(([name, tree]) => `${toSql(tree)} AS ${sqlIdentifier(name)}`);
  const errorList = errors.length > 0 ? `list_filter([${errors.join(', ')}], e -> e IS NOT NULL)` : '[]::STRUCT(code VARCHAR, message VARCHAR)[]';
  return {
    columns: [...root.children.keys()],
    select: (input, { carry = [], verdict = 'errors' } = {}) => {
      const carried = carry.map(sqlIdentifier);
      const inner = [...raws, ...carried.map((c) => `${sourceAlias}.${c}`)].join(', ') || '1 AS __none';
      const flags = Array.from({ length: extraneousCount }, (_, i) => `__x${i}`);
      const middle = [...rules.map((_, i) => `__r${i}`), ...flags, ...(verdict === 'valid' ? plainCasts : casts), ...carried].join(', ') || '1 AS __none';
      const judged = verdict === 'valid' ? `${validChecks.join(' AND ') || 'true'} AS _valid` : `${errorList} AS _errors`;
      const outer = [...selected, judged, ...carried].join(',\n  ');
      return `SELECT ${outer} FROM (SELECT ${middle} FROM (SELECT ${inner} FROM ${input} ${sourceAlias}))`;
    },
  };
}

function sourceSql(rule: MappingRule, column: ColumnResolver, structured: StructuredField, index: number): string {
  try {
    if (rule.sourceType === 'STATIC') return sqlString(rule.source);
    if (rule.sourceType === 'ATTRIBUTE') return column(rule.source);
    return compileExpression(parseExpression(rule.source), column, structured);
  } catch (error) {
    if (error instanceof Error) throw new CompileError(`mapping ${index} (${rule.destination}): ${error.message}`);
    throw error;
  }
}

/**
 * The constraints of a schema field as SQL conditions on its converted value, each with the reason a row gets
 * when it fails. Values from client-written schemas reach SQL only as quoted strings or finite numbers.
 */
function fieldRules(field: JsonObject, value: string, path: string): { holds: string; reason: string }[] {
  const out: { holds: string; reason: string }[] = [];
  const number = (key: string): number | undefined => (typeof field[key] === 'number' && Number.isFinite(field[key]) ? (field[key] as number) : undefined);
  if (Array.isArray(field.enum)) {
    const allowed = field.enum.flatMap((v) => (typeof v === 'string' ? [sqlString(v)] : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? [String(v)] : []));
    if (allowed.length > 0) out.push({ holds: `${value} IN (${allowed.join(', ')})`, reason: `${path}: not one of the values the schema allows` });
  }
  const minLength = number('minLength');
  const maxLength = number('maxLength');
  if (minLength !== undefined) out.push({ holds: `length(${value}) >= ${minLength}`, reason: `${path}: shorter than ${minLength} characters` });
  if (maxLength !== undefined) out.push({ holds: `length(${value}) <= ${maxLength}`, reason: `${path}: longer than ${maxLength} characters` });
  if (typeof field.pattern === 'string') {
    if (/\(\?<?[=!]|\\[1-9]/.test(field.pattern)) throw new CompileError(`${path}: the schema's pattern ${field.pattern} uses lookaround or backreferences, which cannot be checked`);
    out.push({ holds: `regexp_matches(${value}, ${sqlString(field.pattern)})`, reason: `${path}: does not match the pattern ${field.pattern}` });
  }
  // Text, an @, text: one LIKE, which DuckDB matches far faster than a regular expression.
  if (field.format === 'email') out.push({ holds: `${value} LIKE '_%@_%'`, reason: `${path}: not an email address` });
  if (field.format === 'uri') out.push({ holds: `regexp_matches(${value}, '^[A-Za-z][A-Za-z0-9+.-]*:')`, reason: `${path}: not a URI (no scheme)` });
  for (const [key, op, words] of [['minimum', '>=', 'less than'], ['maximum', '<=', 'more than'], ['exclusiveMinimum', '>', 'at most'], ['exclusiveMaximum', '<', 'at least']] as const) {
    const bound = number(key);
    if (bound !== undefined) out.push({ holds: `${value} ${op} ${bound}`, reason: `${path}: ${words} ${bound}` });
  }
  return out;
}

function parseDestination(path: string): { name: string; index?: number }[] {
  return path.split('.').map((segment) => {
    const match = /^(.*?)\[(\d+|\*)\]$/.exec(segment);
    if (!match) return { name: segment };
    if (match[2] === '*') throw new CompileError(`${path}: [*] may appear once, on an array field`);
    return { name: match[1] ?? '', index: Number(match[2]) };
  });
}

function insert(tree: Tree, path: { name: string; index?: number }[], sql: string): void {
  const [head, ...rest] = path;
  if (!head || tree.kind !== 'object') throw new CompileError('overlapping destinations');
  let child = tree.children.get(head.name);
  if (head.index !== undefined) {
    child ??= { kind: 'list', items: new Map() };
    tree.children.set(head.name, child);
    if (child.kind !== 'list') throw new CompileError(`${head.name} is written both as a list and as a value`);
    let item = child.items.get(head.index);
    if (rest.length === 0) {
      child.items.set(head.index, { kind: 'leaf', sql });
      return;
    }
    item ??= { kind: 'object', children: new Map() };
    child.items.set(head.index, item);
    insert(item, rest, sql);
    return;
  }
  if (rest.length === 0) {
    tree.children.set(head.name, { kind: 'leaf', sql });
    return;
  }
  child ??= { kind: 'object', children: new Map() };
  tree.children.set(head.name, child);
  insert(child, rest, sql);
}

/** Puts a list into the `each` node of `arrayPath`, as the element's value (`inElement` empty) or one of its fields. */
function insertEach(root: Tree, arrayPath: string, inElement: string, list: string): void {
  const segments = parseDestination(arrayPath);
  const last = segments.pop();
  if (!last || last.index !== undefined) throw new CompileError(`${arrayPath}[*]: not a plain array field`);
  let parent = root;
  for (const segment of segments) {
    if (parent.kind !== 'object' || segment.index !== undefined) throw new CompileError(`${arrayPath}[*]: arrays inside arrays cannot be written`);
    let next = parent.children.get(segment.name);
    if (!next) {
      next = { kind: 'object', children: new Map() };
      parent.children.set(segment.name, next);
    }
    parent = next;
  }
  if (parent.kind !== 'object') throw new CompileError(`${arrayPath}[*]: overlapping destinations`);
  let node = parent.children.get(last.name);
  if (!node) {
    node = { kind: 'each', lists: [], element: inElement === '' ? { kind: 'leaf', sql: '' } : { kind: 'object', children: new Map() } };
    parent.children.set(last.name, node);
  }
  if (node.kind !== 'each') throw new CompileError(`${arrayPath} is written both element by element and as a whole`);
  node.lists.push(list);
  const element = `${list}[i]`;
  if (inElement === '') {
    if (node.element.kind !== 'leaf' || node.element.sql !== '') throw new CompileError(`${arrayPath}[*] is written twice`);
    node.element = { kind: 'leaf', sql: element };
  } else {
    insert(node.element, parseDestination(inElement), element);
  }
}

function toSql(tree: Tree): string {
  if (tree.kind === 'leaf') return tree.sql;
  if (tree.kind === 'each') {
    // As many elements as the longest list; a missing value is null in its element.
    const length = `greatest(${tree.lists.map((l) => `len(${l})`).join(', ')})`;
    return `(CASE WHEN ${length} IS NULL THEN NULL ELSE list_transform(range(1, ${length} + 1), i -> ${toSql(tree.element)}) END)`;
  }
  if (tree.kind === 'list') {
    const max = Math.max(...tree.items.keys());
    const items = Array.from({ length: max + 1 }, (_, i) => {
      const item = tree.items.get(i);
      return item ? toSql(item) : 'NULL';
    });
    return `list_filter([${items.join(', ')}], x -> x IS NOT NULL)`;
  }
  const fields = [...tree.children].map(([name, child]) => `${sqlIdentifier(name)} := ${toSql(child)}`);
  // An object none of whose fields has a value is absent, not an object of nulls.
  return `(CASE WHEN ${absent(tree)} THEN NULL ELSE struct_pack(${fields.join(', ')}) END)`;
}

/**
 * SQL that is true when a tree has no value. An object has none when none of its leaves has one: the test names
 * the leaves, not the children's whole SQL (which holds their own tests), so each leaf's SQL is repeated once per
 * object above it rather than doubled at every level, which exhausted DuckDB's memory on deep XDM field groups.
 * Plain comparisons keep the per-row cost of the test as low as it can be.
 */
function absent(tree: Tree): string {
  if (tree.kind !== 'object') return `(${toSql(tree)}) IS NULL`;
  return [...tree.children.values()].map(absent).join(' AND ');
}

function identityMapSql(identities: { namespace: string; value: string; primary: boolean }[]): string {
  const byNamespace = new Map<string, { value: string; primary: boolean }[]>();
  for (const identity of identities) byNamespace.set(identity.namespace, [...(byNamespace.get(identity.namespace) ?? []), identity]);
  const entries = [...byNamespace].map(([namespace, values]) => {
    const items = values.map((v) => `CASE WHEN ${v.value} IS NOT NULL THEN struct_pack(id := CAST(${v.value} AS VARCHAR), authenticatedState := 'ambiguous', "primary" := ${v.primary}) END`);
    return `struct_pack(k := ${sqlString(namespace)}, v := list_filter([${items.join(', ')}], x -> x IS NOT NULL))`;
  });
  const kept = `list_filter([${entries.join(', ')}], e -> len(e.v) > 0)`;
  return `(CASE WHEN len(${kept}) = 0 THEN NULL ELSE map_from_entries(list_transform(${kept}, e -> struct_pack(key := e.k, value := e.v))) END)`;
}

/**
 * Required fields inside the objects the mapping writes, as SQL conditions that hold when the row is fine. A
 * required field of an optional object binds only when that object is there at all.
 */
function requiredFields(schema: JsonObject, tree: Tree, prefix = '', parent?: string): [string, string][] {
  if (tree.kind !== 'object') return [];
  const out: [string, string][] = [];
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const name of required) {
    const child = tree.children.get(name);
    const path = prefix ? `${prefix}.${name}` : name;
    if (!child) {
      if (prefix !== '') throw new CompileError(`the mapping writes ${prefix} but not its required field ${path}`);
      continue;
    }
    out.push([path, parent ? `(${parent} IS NULL OR ${toSql(child)} IS NOT NULL)` : `(${toSql(child)} IS NOT NULL)`]);
  }
  for (const [name, child] of tree.children) {
    const field = properties[name];
    if (isObject(field) && child.kind === 'object') out.push(...requiredFields(field, child, prefix ? `${prefix}.${name}` : name, toSql(child)));
  }
  return out;
}
