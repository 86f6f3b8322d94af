import type { QueryColumn, QueryRow } from '../api/query.js';

/** A column of a flattened result: a top-level column, or a field inside one (`_tenant.product.name`). */
export interface FlatColumn {
  path: string;
  /** DuckDB's type. */
  type: string;
}

export interface FlatRows {
  columns: FlatColumn[];
  /** One value per column, in column order (null where a row's struct is null). */
  rows: unknown[][];
}

/** A field inside a struct type: the keys leading to it from the column, and its type. */
interface StructField {
  keys: string[];
  type: string;
}

const isStruct = (type: string) => /^STRUCT\(/i.test(type.trim());

/**
 * XDM rows hold nested objects (a tenant's fields sit under `_tenant`): each field of a STRUCT column becomes a
 * column of its own, named by its path, so a grid or a spreadsheet shows `_tenant.product.name` instead of a blob
 * of JSON. The columns come from the query's types, not from the rows, so they are the same for every row and for
 * none. Lists, maps and JSON stay whole.
 */
export function flattenRows(columns: QueryColumn[], rows: QueryRow[]): FlatRows {
  const flat: (FlatColumn & { read: (row: QueryRow) => unknown })[] = [];
  for (const column of columns) {
    const leaves = structFields(column.type).filter((field) => !isStruct(field.type));
    if (leaves.length === 0) flat.push({ path: column.name, type: column.type, read: (row) => row[column.name] });
    for (const { keys, type } of leaves) {
      flat.push({ path: [column.name, ...keys].join('.'), type, read: (row) => keys.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : value), row[column.name]) });
    }
  }
  return { columns: flat.map(({ path, type }) => ({ path, type })), rows: rows.map((row) => flat.map((column) => column.read(row))) };
}

/** A value as text: strings as they are, other values as JSON; null and missing values as ''. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Splits `a, b(c, d), "e,f"` at its top-level commas. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '(') depth += 1;
    else if (!quoted && char === ')') depth -= 1;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/**
 * Every field, at any depth, of a DuckDB `STRUCT("name" VARCHAR, "inner" STRUCT(...))` type, parents before
 * their fields. Any other type, or one it cannot read, has none.
 */
export function structFields(type: string): StructField[] {
  const body = /^STRUCT\((.*)\)$/is.exec(type.trim())?.[1];
  if (body === undefined) return [];
  return topLevelParts(body).flatMap((part) => {
    const field = /^(?:"((?:[^"]|"")*)"|([^\s"]+))\s+(.+)$/s.exec(part);
    if (!field) return [];
    const key = field[1] !== undefined ? field[1].replaceAll('""', '"') : (field[2] as string);
    const inner = field[3] as string;
    return [{ keys: [key], type: inner }, ...structFields(inner).map((f) => ({ keys: [key, ...f.keys], type: f.type }))];
  });
}
