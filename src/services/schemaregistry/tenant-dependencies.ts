import { isObject } from '../../xdm/component-lookup.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';
import type { RegistryView } from './registry.js';

/**
 * The tenant components `doc` builds on (data types its fields use, field groups and the class of a schema, a
 * class a field group is meant for), directly or through one another, each before the components that use it.
 * Standard components are not listed: every sandbox has them.
 */
export function tenantDependencies(doc: JsonObject, registry: RegistryView): JsonObject[] {
  const ordered: JsonObject[] = [];
  const seen = new Set<string>([String(doc.$id)]);
  const visit = (node: JsonObject) => {
    for (const id of mentionedIds(node)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const entry = registry.find(id);
      if (entry?.container !== 'tenant') continue;
      visit(entry.doc);
      ordered.push(entry.doc);
    }
  };
  visit(doc);
  return ordered;
}

/** Every component id a document mentions, in `$ref`s, `meta:class`, `meta:intendedToExtend` or anywhere else. */
export function mentionedIds(value: JsonValue, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string' && value.startsWith('https://ns.adobe.com/')) out.add(value.split('#')[0] as string);
  else if (Array.isArray(value)) value.forEach((v) => mentionedIds(v, out));
  else if (isObject(value)) Object.values(value).forEach((v) => mentionedIds(v, out));
  return out;
}
