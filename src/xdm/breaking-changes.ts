import type { JsonObject } from './standard/json-value.js';
import { fieldTypes } from './field-lookup.js';

/**
 * What a new version of a schema would break for data already written with the old one: fields removed or
 * retyped. Adding fields is always allowed, as in AEP once a schema is used by a dataset.
 */
export function breakingChanges(before: JsonObject, after: JsonObject): string[] {
  const old = fieldTypes(before);
  const next = fieldTypes(after);
  const problems: string[] = [];
  for (const [path, type] of old) {
    const now = next.get(path);
    if (now === undefined) problems.push(`${path} would be removed`);
    else if (now !== type) problems.push(`${path} would change from ${type} to ${now}`);
  }
  return problems;
}
