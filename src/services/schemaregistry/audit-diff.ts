import { isObject } from '../../xdm/component-lookup.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';

/** One changed field between two versions of a document, as a JSON Pointer and the value involved. */
export interface FieldChange {
  action: 'add' | 'remove' | 'replace';
  path: string;
  value: JsonValue;
}

/** Nesting deeper than this is reported as one replaced value rather than walked further. */
const maxDepth = 64;

/**
 * The fields that differ between `before` and `after`: objects are compared key by key, anything else (arrays
 * included) is replaced as a whole, since an index shift would otherwise show as a change of every element.
 */
export function changedPaths(before: JsonObject, after: JsonObject, path = '', depth = 0): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [key, old] of Object.entries(before)) {
    const pointer = `${path}/${escapePointer(key)}`;
    if (!(key in after)) out.push({ action: 'remove', path: pointer, value: old });
    else out.push(...changedValue(old, after[key] as JsonValue, pointer, depth));
  }
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) out.push({ action: 'add', path: `${path}/${escapePointer(key)}`, value });
  }
  return out;
}

function changedValue(before: JsonValue, after: JsonValue, pointer: string, depth: number): FieldChange[] {
  if (isObject(before) && isObject(after) && depth < maxDepth) return changedPaths(before, after, pointer, depth + 1);
  return sameJson(before, after) ? [] : [{ action: 'replace', path: pointer, value: after }];
}

export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
