/**
 * The standard XDM components are written by hand in src/xdm/standard. This test converts each
 * reference file of the XDM specification (../shared/reference/xdm, source form) to XED form with an
 * independent converter and compares the library against it field by field. Descriptions are ours
 * and are not compared, except to check that none was copied.
 */
import path from 'node:path';
import { sharedDir } from './support/shared-reference.js';
import { describe, expect, it } from 'vitest';
import { field } from '../src/xdm/standard/field.js';
import { renderProperties } from '../src/xdm/standard/render-field.js';
import { findStandard, standardLibrary } from '../src/xdm/standard/standard-library.js';
import { altIdOf, xedPathOf } from '../src/xdm/standard/xed-names.js';
import {
  expectedXed,
  isMap,
  loadReferenceFiles,
  sourceDescriptions,
  type Json,
  type JsonMap,
} from './support/xdm-source-form.js';

const REFERENCE_DIR = path.join(sharedDir, 'reference', 'xdm', 'components');
const references = loadReferenceFiles(REFERENCE_DIR);

/** Facts compared on every field (and definition, array item, map value). */
const FIELD_FACTS = [
  'type', 'format', 'meta:xdmType', 'meta:xdmField', 'enum', 'minimum', 'maximum', 'minLength',
  'maxLength', 'pattern', 'default', 'required', '$ref', 'title', 'meta:status',
] as const;

/** Facts compared on the component itself. */
const DOCUMENT_FACTS = [
  '$id', 'meta:altId', 'meta:resourceType', 'version', 'title', 'type', 'meta:extensible', 'meta:abstract',
  'meta:extends', 'meta:intendedToExtend', 'meta:tags', 'meta:status', 'meta:xdmType', 'meta:containerId',
  'required',
] as const;

type Facts = Map<string, string | undefined>;

function show(value: Json | undefined): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

/** Every node of a property tree by path, e.g. `definitions/person/properties/name`. */
function collectFields(node: Json | undefined, at: string, into: Map<string, Facts>): void {
  if (!isMap(node)) return;
  const facts: Facts = new Map(FIELD_FACTS.map((key) => [key, show(node[key])]));
  const labels = node['meta:enum'];
  facts.set('meta:enum values', isMap(labels) ? show(Object.keys(labels).sort()) : undefined);
  facts.set('items type', isMap(node.items) ? show([node.items.type ?? null, node.items.$ref ?? null]) : undefined);
  into.set(at, facts);
  if (isMap(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) collectFields(child, `${at}/properties/${name}`, into);
  }
  collectFields(node.items, `${at}/items`, into);
  collectFields(node.additionalProperties, `${at}/additionalProperties`, into);
}

function fieldsOf(doc: JsonMap): Map<string, Facts> {
  const fields = new Map<string, Facts>();
  if (isMap(doc.definitions)) {
    for (const [name, def] of Object.entries(doc.definitions)) collectFields(def, `definitions/${name}`, fields);
  }
  if (isMap(doc.properties)) {
    for (const [name, f] of Object.entries(doc.properties)) collectFields(f, `properties/${name}`, fields);
  }
  return fields;
}

function allOfRefs(doc: JsonMap): string[] {
  return (Array.isArray(doc.allOf) ? doc.allOf : []).map((entry) => (isMap(entry) ? String(entry.$ref) : '?'));
}

/** Every difference between the expected and the actual XED document, each naming its exact path. */
function differences(expected: JsonMap, actual: JsonMap): string[] {
  const out: string[] = [];
  for (const key of DOCUMENT_FACTS) {
    const [want, got] = [show(expected[key]), show(actual[key])];
    if (want !== got) out.push(`${key}: expected ${want}, got ${got}`);
  }
  const [wantAllOf, gotAllOf] = [show(allOfRefs(expected)), show(allOfRefs(actual))];
  if (wantAllOf !== gotAllOf) out.push(`allOf: expected ${wantAllOf}, got ${gotAllOf}`);

  const want = fieldsOf(expected);
  const got = fieldsOf(actual);
  for (const path of want.keys()) if (!got.has(path)) out.push(`${path}: missing`);
  for (const path of got.keys()) if (!want.has(path)) out.push(`${path}: not in the reference`);
  for (const [path, wantFacts] of want) {
    const gotFacts = got.get(path);
    if (gotFacts === undefined) continue;
    for (const [key, value] of wantFacts) {
      if (gotFacts.get(key) !== value) out.push(`${path}: ${key} expected ${value}, got ${gotFacts.get(key)}`);
    }
  }
  return out;
}

/** Calls `visit` on every object in a JSON tree with its path. */
function walk(node: Json, at: string, visit: (node: JsonMap, at: string) => void): void {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`, visit));
  else if (isMap(node)) {
    visit(node, at);
    for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`, visit);
  }
}

describe('standard XDM library against the XDM reference files', () => {
  it('has exactly one component per reference file', () => {
    expect(references).toHaveLength(45);
    const referenceIds = references.map((r) => String(r.source.$id)).sort();
    expect(standardLibrary.map((doc) => String(doc.$id)).sort()).toEqual(referenceIds);
  });

  it.each(references.map((ref) => [ref.file, ref] as const))('%s matches field by field', (_file, ref) => {
    const actual = findStandard(String(ref.source.$id));
    expect(actual, `${String(ref.source.$id)} is not in the library`).toBeDefined();
    expect(differences(expectedXed(ref), actual ?? {})).toEqual([]);
  });

  it('reports the exact path of a difference', () => {
    const ref = references.find((r) => r.source.$id === 'https://ns.adobe.com/xdm/context/person');
    expect(ref).toBeDefined();
    if (ref === undefined) return;
    const broken = structuredClone(expectedXed(ref)) as JsonMap;
    walk(broken, '', (node, at) => {
      if (at === '/definitions/person/properties/birthYear') node.maximum = 99999;
    });
    expect(differences(expectedXed(ref), broken)).toEqual([
      'definitions/person/properties/birthYear: maximum expected 32767, got 99999',
    ]);
  });

  it('writes its own descriptions: present, one line, none copied from the reference', () => {
    const copied = new Set<string>();
    for (const ref of references) sourceDescriptions(ref.source, copied);
    const problems: string[] = [];
    for (const doc of standardLibrary) {
      if (typeof doc.description !== 'string' || doc.description.trim() === '') {
        problems.push(`${String(doc.$id)}: no description`);
      }
      walk(doc, String(doc.$id), (node, at) => {
        // In a `properties` or `definitions` map, `description` is a name (schema.org has one), not prose.
        if (/\/(properties|definitions)$/.test(at)) return;
        const d = node.description;
        if (d === undefined) return;
        if (typeof d !== 'string' || d.includes('\n')) problems.push(`${at}: description is not one line`);
        else if (copied.has(d.trim())) problems.push(`${at}: description copied from XDM: ${d}`);
      });
    }
    expect(problems).toEqual([]);
  });
});

describe('standard library', () => {
  it('has no duplicate $id or meta:altId', () => {
    const ids = standardLibrary.map((doc) => doc.$id);
    const altIds = standardLibrary.map((doc) => doc['meta:altId']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(altIds).size).toBe(altIds.length);
  });

  it('finds components by $id and by meta:altId', () => {
    for (const doc of standardLibrary) {
      expect(findStandard(String(doc.$id))).toBe(doc);
      expect(findStandard(String(doc['meta:altId']))).toBe(doc);
    }
    const altIds: Record<string, string> = {
      '_xdm.context.profile': 'https://ns.adobe.com/xdm/context/profile',
      '_xdm.datatypes.billing': 'https://ns.adobe.com/xdm/datatypes/billing',
      '_xdm.common.auditable': 'https://ns.adobe.com/xdm/common/auditable',
      '_xdm.mixins.profile-personal-finance-details': 'https://ns.adobe.com/xdm/mixins/profile-personal-finance-details',
      '_schema.GeoCoordinates': 'http://schema.org/GeoCoordinates',
      '_adobecloud.core.1.0': 'http://ns.adobe.com/adobecloud/core/1.0',
    };
    for (const [altId, id] of Object.entries(altIds)) expect(findStandard(altId)?.$id, altId).toBe(id);
    expect(findStandard('https://ns.adobe.com/xdm/context/nothing')).toBeUndefined();
    expect(findStandard('')).toBeUndefined();
  });

  it('resolves every $ref to a library component or one of its definitions', () => {
    const unresolved: string[] = [];
    for (const doc of standardLibrary) {
      walk(doc, String(doc.$id), (node, at) => {
        if (typeof node.$ref !== 'string') return;
        const [base = '', fragment] = node.$ref.split('#');
        const target = base === '' ? doc : findStandard(base);
        if (target === undefined) {
          unresolved.push(`${at}: ${node.$ref} (no such component)`);
          return;
        }
        if (fragment === undefined) return;
        const name = /^\/definitions\/(.+)$/.exec(fragment)?.[1];
        if (name === undefined || !isMap(target.definitions) || !(name in target.definitions)) {
          unresolved.push(`${at}: ${node.$ref} (no such definition)`);
        }
      });
    }
    expect(unresolved).toEqual([]);
  });

  it('is in prefix-free XED form, with meta:xdmType on every field', () => {
    const problems: string[] = [];
    for (const doc of standardLibrary) {
      walk(doc, String(doc.$id), (node, at) => {
        if (!isMap(node.properties)) return;
        for (const [name, f] of Object.entries(node.properties)) {
          if (name.includes(':') || name.startsWith('@')) problems.push(`${at}/properties/${name}: prefixed name`);
          if (!isMap(f) || typeof f['meta:xdmType'] !== 'string') problems.push(`${at}/properties/${name}: no meta:xdmType`);
        }
      });
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

/** Naming rules the reference files do not exercise (URI names), checked on their own. */
describe('XED naming rules', () => {
  it('maps source names to XED paths', () => {
    expect(xedPathOf('xdm:person')).toEqual(['person']);
    expect(xedPathOf('@id')).toEqual(['_id']);
    expect(xedPathOf('repo:createDate')).toEqual(['_repo', 'createDate']);
    expect(xedPathOf('component_id')).toEqual(['component_id']);
    expect(xedPathOf('https://ns.adobe.com/vendora/product/stockNumber')).toEqual(['_vendora', 'product', 'stockNumber']);
    expect(xedPathOf('https://ns.adobe.com/xdm/channel')).toEqual(['channel']);
  });

  it('nests URI-named fields of one namespace under shared objects', () => {
    const rendered = renderProperties({
      'https://ns.adobe.com/vendora/product/stockNumber': field.string('Stock number'),
      'https://ns.adobe.com/vendora/product/shelf': field.integer('Shelf'),
    });
    const objectNode = { type: 'object', 'meta:xdmType': 'object' };
    expect(rendered).toEqual({
      _vendora: {
        ...objectNode,
        properties: {
          product: {
            ...objectNode,
            properties: {
              stockNumber: {
                title: 'Stock number',
                type: 'string',
                'meta:xdmType': 'string',
                'meta:xdmField': 'https://ns.adobe.com/vendora/product/stockNumber',
              },
              shelf: {
                title: 'Shelf',
                type: 'integer',
                'meta:xdmType': 'long',
                'meta:xdmField': 'https://ns.adobe.com/vendora/product/shelf',
              },
            },
          },
        },
      },
    });
  });

  it('rejects two fields that land on the same XED name', () => {
    expect(() => renderProperties({ 'xdm:id': field.string(), id: field.string() })).toThrow(/two fields map to id/);
  });

  it('derives meta:altId from the $id', () => {
    expect(altIdOf('https://ns.adobe.com/xdm/context/profile')).toBe('_xdm.context.profile');
    expect(altIdOf('http://schema.org/GeoCoordinates')).toBe('_schema.GeoCoordinates');
    expect(altIdOf('http://ns.adobe.com/adobecloud/core/1.0')).toBe('_adobecloud.core.1.0');
  });
});
