import type { JsonObject } from './standard/json-value.js';
import { isObject } from './component-lookup.js';

export type FieldLookup = { field: JsonObject } | { error: string };

/**
 * Finds the field at a destination path such as `person.name.firstName`, `productListItems[0].SKU`,
 * `productListItems[*].SKU` or `identityMap.Email[0].id` in a full (resolved) schema.
 * A literal dot inside a name is written `\.`, as Data Prep does.
 */
export function findField(full: JsonObject, path: string): FieldLookup {
  const segments = splitPath(path);
  if (segments.length === 0) return { error: 'is empty' };
  let current: JsonObject = full;
  let walked = '';
  for (const segment of segments) {
    const { name, indexed } = segment;
    let next: JsonObject | undefined;
    if (isObject(current.properties) && isObject(current.properties[name])) next = current.properties[name] as JsonObject;
    else if (isObject(current.additionalProperties)) next = current.additionalProperties;
    walked = walked ? `${walked}.${name}` : name;
    if (!next) return { error: `"${walked}" is not a field of the schema` };
    if (indexed) {
      if (next.type !== 'array' || !isObject(next.items)) return { error: `"${walked}" is not an array, so it cannot be indexed` };
      next = next.items;
    }
    current = next;
  }
  return { field: current };
}

function splitPath(path: string): { name: string; indexed: boolean }[] {
  const out: { name: string; indexed: boolean }[] = [];
  let current = '';
  for (let i = 0; i < path.length; i += 1) {
    const char = path[i];
    if (char === '\\' && path[i + 1] === '.') {
      current += '.';
      i += 1;
    } else if (char === '.') {
      out.push(segment(current));
      current = '';
    } else current += char;
  }
  out.push(segment(current));
  return out.filter((s) => s.name !== '');
}

function segment(text: string): { name: string; indexed: boolean } {
  const match = /^(.*?)((?:\[(?:\d+|\*)?\])+)$/.exec(text);
  return match ? { name: match[1] ?? '', indexed: true } : { name: text, indexed: false };
}

/** Every field of a full schema by path (objects walked, array items marked `[]`), with its XDM type. */
export function fieldTypes(full: JsonObject, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  const properties = isObject(full.properties) ? full.properties : {};
  for (const [name, field] of Object.entries(properties)) {
    if (!isObject(field)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    out.set(path, String(field['meta:xdmType'] ?? field.type));
    if (isObject(field.properties)) fieldTypes(field, path, out);
    if (isObject(field.items)) {
      out.set(`${path}[]`, String(field.items['meta:xdmType'] ?? field.items.type));
      if (isObject(field.items.properties)) fieldTypes(field.items, `${path}[]`, out);
    }
  }
  return out;
}
