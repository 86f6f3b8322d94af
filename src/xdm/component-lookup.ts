import type { JsonObject } from './standard/json-value.js';

/** Finds a component (class, behavior, field group, data type, schema) by `$id`: standard or the tenant's own. */
export type ComponentLookup = (id: string) => JsonObject | undefined;

/** The `$ref` JSON-LD plumbing every standard component starts with; it carries no fields. */
export const extensibleContextRef = 'https://ns.adobe.com/xdm/common/extensible#/definitions/@context';

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function splitRef(ref: string): { base: string; fragment: string | undefined } {
  const hash = ref.indexOf('#');
  return hash < 0 ? { base: ref, fragment: undefined } : { base: ref.slice(0, hash), fragment: ref.slice(hash + 1) };
}

export function refsOf(doc: JsonObject): string[] {
  const allOf = Array.isArray(doc.allOf) ? doc.allOf : [];
  return allOf.flatMap((entry) => (isObject(entry) && typeof entry.$ref === 'string' ? [entry.$ref] : []));
}
