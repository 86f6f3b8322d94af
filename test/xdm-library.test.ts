/**
 * Invariants of the generated standard library (xdm-library/) that need no reference material: every reference
 * resolves, every component compiles as JSON Schema, and every component resolves into the registry's full form.
 */
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../src/xdm/standard/json-value.js';
import { resolveFull } from '../src/xdm/resolve-full.js';
import { findStandard, standardComponents, standardEntries, standardEntry } from '../src/xdm/standard/standard-library.js';

const entries = standardEntries();
const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(node: JsonValue, at: string, visit: (node: JsonObject, at: string) => void): void {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`, visit));
  else if (isObject(node)) {
    visit(node, at);
    for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`, visit);
  }
}

function pointer(doc: JsonObject, fragment: string): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const token of fragment.split('/').filter((t) => t !== '')) current = isObject(current) ? current[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return current;
}

describe('generated standard library', () => {
  it('indexes each component once, under a file that holds it', () => {
    expect(new Set(entries.map((e) => e.$id)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e['meta:altId'])).size).toBe(entries.length);
    for (const entry of entries) {
      const doc = findStandard(entry.$id);
      expect(doc?.['meta:altId'], entry.$id).toBe(entry['meta:altId']);
      expect(findStandard(entry['meta:altId'])).toBe(doc);
      expect(doc?.['meta:resourceType']).toBe(entry['meta:resourceType']);
      expect(doc?.title).toBe(entry.title);
    }
    expect(standardEntry('https://ns.adobe.com/xdm/context/nothing')).toBeUndefined();
    expect(findStandard('')).toBeUndefined();
  });

  it('resolves every $ref, meta:extends and meta:intendedToExtend to a component or one of its definitions', () => {
    const unresolved: string[] = [];
    for (const entry of entries) {
      const doc = findStandard(entry.$id) ?? {};
      walk(doc, entry.$id, (node, at) => {
        if (typeof node.$ref !== 'string') return;
        const [base = '', fragment] = node.$ref.split('#');
        const target = base === '' ? doc : findStandard(base);
        if (target === undefined) unresolved.push(`${at}: ${node.$ref} (no such component)`);
        else if (fragment !== undefined && !isObject(pointer(target, fragment))) unresolved.push(`${at}: ${node.$ref} (no such definition)`);
      });
      for (const key of ['meta:extends', 'meta:intendedToExtend'] as const) {
        const ids = doc[key];
        for (const id of Array.isArray(ids) ? ids : []) {
          if (typeof id !== 'string' || standardEntry(id.split('#')[0] ?? '') === undefined) unresolved.push(`${entry.$id} ${key}: ${String(id)}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('compiles every component as JSON Schema, references and all', () => {
    const ajv = new Ajv2019({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allErrors: true, validateFormats: true });
    addFormats.default(ajv);
    const metaKeywords = new Set<string>();
    for (const entry of entries) walk(findStandard(entry.$id) ?? {}, '', (node) => Object.keys(node).filter((k) => k.startsWith('meta:')).forEach((k) => metaKeywords.add(k)));
    // XDM's own keywords (meta:xdmType, meta:enum, ...) are annotations; anything else unknown is an error.
    ajv.addVocabulary(['version', ...metaKeywords]);
    for (const doc of standardComponents('behaviors').concat(...['classes', 'mixins', 'datatypes'].map(standardComponents))) ajv.addSchema(doc as object);
    const failures: string[] = [];
    for (const entry of entries) {
      try {
        ajv.getSchema(entry.$id);
      } catch (error) {
        failures.push(`${entry.$id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('resolves every component into the full form with meta:xdmType on every field', () => {
    const problems: string[] = [];
    for (const entry of entries) {
      try {
        const full = resolveFull(findStandard(entry.$id) ?? {}, findStandard);
        // Down the schema structure only: a field may itself be named `properties`.
        const visit = (node: JsonObject, at: string): void => {
          if (isObject(node.properties)) {
            for (const [name, f] of Object.entries(node.properties)) {
              if (name.includes(':') || name.startsWith('@')) problems.push(`${at}/properties/${name}: prefixed name`);
              if (!isObject(f) || typeof f['meta:xdmType'] !== 'string') problems.push(`${at}/properties/${name}: no meta:xdmType`);
              if (isObject(f)) visit(f, `${at}/properties/${name}`);
            }
          }
          if (isObject(node.items)) visit(node.items, `${at}/items`);
          if (isObject(node.additionalProperties)) visit(node.additionalProperties, `${at}/additionalProperties`);
        };
        visit(full, entry.$id);
      } catch (error) {
        problems.push(`${entry.$id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('cannot be modified in place by a caller', () => {
    const doc = findStandard('_xdm.context.profile');
    expect(() => {
      if (doc !== undefined) doc.title = 'changed';
    }).toThrow(TypeError);
  });
});
