import type { JsonObject, JsonValue } from './standard/json-value.js';
import { extensibleContextRef, isObject, splitRef, type ComponentLookup } from './component-lookup.js';

export class UnresolvedReferenceError extends Error {
  constructor(readonly ref: string, readonly from: string) {
    super(`${from} refers to ${ref}, which does not exist`);
    this.name = 'UnresolvedReferenceError';
  }
}

/**
 * The registry's "full" form: `allOf` and every data type `$ref` inlined into one `properties` tree,
 * each inlined data type marked with `meta:referencedFrom`.
 */
export function resolveFull(doc: JsonObject, lookup: ComponentLookup): JsonObject {
  const { allOf: _allOf, definitions: _definitions, ...rest } = doc;
  const id = typeof doc.$id === 'string' ? doc.$id : 'document';
  return { ...rest, type: 'object', 'meta:xdmType': 'object', properties: collectProperties(doc, lookup, [id]) };
}

/** All fields a component contributes, with its `allOf` followed. */
export function collectProperties(doc: JsonObject, lookup: ComponentLookup, stack: string[]): JsonObject {
  let properties: JsonObject = {};
  if (isObject(doc.properties)) properties = mergeProperties(properties, resolveProperties(doc.properties, doc, lookup, stack));
  const allOf = Array.isArray(doc.allOf) ? doc.allOf : [];
  for (const entry of allOf) {
    if (!isObject(entry) || typeof entry.$ref !== 'string' || entry.$ref === extensibleContextRef) continue;
    properties = mergeProperties(properties, propertiesOfRef(entry.$ref, doc, lookup, stack));
  }
  return properties;
}

function propertiesOfRef(ref: string, context: JsonObject, lookup: ComponentLookup, stack: string[]): JsonObject {
  const { base, fragment } = splitRef(ref);
  const from = stack[stack.length - 1] ?? 'document';
  const target = base === '' ? context : lookup(base);
  if (!target) throw new UnresolvedReferenceError(ref, from);
  if (base !== '' && fragment === undefined) {
    if (stack.includes(base)) throw new Error(`circular reference: ${[...stack, base].join(' -> ')}`);
    return collectProperties(target, lookup, [...stack, base]);
  }
  const node = pointer(target, fragment ?? '');
  if (!isObject(node)) throw new UnresolvedReferenceError(ref, from);
  // A definition's own `#/definitions/...` refs point into the component that holds it.
  const holder = base === '' ? context : target;
  if (stack.length > 64) throw new Error(`references nest too deeply at ${ref}`);
  return collectProperties({ ...node, definitions: holder.definitions ?? {} }, lookup, base === '' ? [...stack, ref] : [...stack, base]);
}

function resolveProperties(properties: JsonObject, context: JsonObject, lookup: ComponentLookup, stack: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [name, field] of Object.entries(properties)) out[name] = isObject(field) ? resolveField(field, context, lookup, stack) : field;
  return out;
}

function resolveField(field: JsonObject, context: JsonObject, lookup: ComponentLookup, stack: string[]): JsonObject {
  if (typeof field.$ref === 'string') {
    const { $ref, ...own } = field;
    const { base } = splitRef($ref);
    const referenced = propertiesOfRef($ref, context, lookup, stack);
    const target = base === '' ? undefined : lookup(base);
    const out: JsonObject = { ...own, type: 'object', 'meta:xdmType': 'object', properties: referenced };
    if (base !== '') out['meta:referencedFrom'] = base;
    if (target && typeof own.title !== 'string' && typeof target.title === 'string') out.title = target.title;
    return out;
  }
  const out: JsonObject = { ...field };
  if (isObject(field.properties)) out.properties = resolveProperties(field.properties, context, lookup, stack);
  if (isObject(field.items)) out.items = resolveField(field.items, context, lookup, stack);
  if (isObject(field.additionalProperties)) out.additionalProperties = resolveField(field.additionalProperties, context, lookup, stack);
  return out;
}

/**
 * Merges field trees: objects that meet (e.g. `_repo` from two data types, `_experience` from two field groups)
 * combine their properties and what each of them requires.
 */
export function mergeProperties(into: JsonObject, from: JsonObject): JsonObject {
  const out: JsonObject = { ...into };
  for (const [name, field] of Object.entries(from)) {
    const existing = out[name];
    if (isObject(existing) && isObject(field) && isObject(existing.properties) && isObject(field.properties)) {
      const merged: JsonObject = { ...existing, properties: mergeProperties(existing.properties, field.properties) };
      const required = [...new Set([existing.required, field.required].flatMap((list) => (Array.isArray(list) ? list : [])))];
      if (required.length > 0) merged.required = required;
      out[name] = merged;
    } else if (existing === undefined) out[name] = field;
  }
  return out;
}

function pointer(doc: JsonObject, fragment: string): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const token of fragment.split('/').filter((t) => t !== '')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    current = isObject(current) ? current[key] : undefined;
  }
  return current;
}
