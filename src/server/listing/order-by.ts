import { ApiError } from '../errors/api-error.js';
import { valuesAt } from './json-path.js';
import { valueText } from './value-text.js';

export interface SortKey {
  path: string;
  descending: boolean;
}

/** `orderby=-name`, `orderby=+createdAt,name` (Flow Service, Schema Registry), `orderBy=desc:created` (Catalog). */
export function parseOrderBy(text: string | undefined): SortKey[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const raw = part.trim();
    const colon = /^(asc|desc):(.+)$/i.exec(raw);
    if (colon?.[1] && colon[2]) return { path: colon[2].trim(), descending: colon[1].toLowerCase() === 'desc' };
    const sign = raw.startsWith('-') ? '-' : raw.startsWith('+') || raw.startsWith(' ') ? '+' : '';
    const path = sign ? raw.slice(1).trim() : raw;
    if (!/^[\w:@$.-]+$/.test(path)) throw new ApiError('badOrderBy', `orderby "${text}" is not valid: use field, +field or -field`);
    return { path, descending: sign === '-' };
  });
}

export function sortItems<T>(items: T[], keys: SortKey[]): T[] {
  if (keys.length === 0) return items;
  return [...items].sort(comparator(keys));
}

function comparator(keys: SortKey[]): (a: unknown, b: unknown) => number {
  return (a, b) => compareToValues(a, keys, keys.map((key) => valuesAt(b, key.path)[0]));
}

/** Where `item` sorts relative to a position given by its sort values (a keyset cursor). */
export function compareToValues(item: unknown, keys: readonly SortKey[], values: readonly unknown[]): number {
  for (const [index, key] of keys.entries()) {
    const order = compareValues(valuesAt(item, key.path)[0], values[index]);
    if (order !== 0) return key.descending ? -order : order;
  }
  return 0;
}

/**
 * A total order, so a list sorts the same whatever order its items come in (lists read a stretch at a time rely on
 * it): numbers by value, before any other value; other values by their text, collated; missing values last.
 */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return valueText(a).localeCompare(valueText(b));
}
