import type { JsonObject } from './standard/json-value.js';
import { extensibleContextRef, refsOf, splitRef, type ComponentLookup } from './component-lookup.js';

/**
 * Every component a component builds on, nearest first: the components its `allOf` names (and theirs), then
 * its declared `meta:extends`. For the Profile class this is [auditable, record], as the registry reports.
 */
export function extendsChain(doc: JsonObject, lookup: ComponentLookup, seen: Set<string> = new Set()): string[] {
  const out: string[] = [];
  const add = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push(id);
  };
  for (const ref of refsOf(doc)) {
    if (ref === extensibleContextRef) continue;
    const { base, fragment } = splitRef(ref);
    if (base === '' || fragment !== undefined) continue;
    add(base);
    const target = lookup(base);
    if (target) for (const inherited of extendsChain(target, lookup, seen)) out.push(inherited);
  }
  const declared = Array.isArray(doc['meta:extends']) ? doc['meta:extends'] : [];
  for (const id of declared) if (typeof id === 'string') add(id);
  return out;
}

/** `meta:extends` of a schema: its field groups (and what they build on), the class's chain, then the class. */
export function schemaExtends(classId: string, fieldGroupIds: string[], lookup: ComponentLookup): string[] {
  const out: string[] = [];
  const add = (id: string) => {
    if (id !== classId && !out.includes(id)) out.push(id);
  };
  for (const id of fieldGroupIds) {
    add(id);
    const fieldGroup = lookup(id);
    if (fieldGroup) extendsChain(fieldGroup, lookup).forEach(add);
  }
  const cls = lookup(classId);
  if (cls) extendsChain(cls, lookup).forEach(add);
  return [...out, classId];
}
