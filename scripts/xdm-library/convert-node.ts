/**
 * One schema node (field, array item, map value, definition) from XDM source form to the registry's XED form:
 * compact names become prefix-free paths (`xdm:person` → `person`, `repo:createDate` → `_repo.createDate`,
 * `https://ns.adobe.com/experience/analytics/session` → `_experience.analytics.session`), every field gets its
 * `meta:xdmType` and `meta:xdmField`, and only facts are kept: types, formats, enums, bounds, titles and labels,
 * never descriptions or examples (adobe/xdm's prose is not ours to copy).
 */
import type { JsonObject, JsonValue } from '../../src/xdm/standard/json-value.js';
import { xedPathOf } from '../../src/xdm/standard/xed-names.js';
import { isJsonObject } from './source-component.js';

/** JSON Schema keywords carried over unchanged. */
const KEYWORDS = [
  'title', 'type', 'format', 'enum', 'const', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', '$ref',
] as const;

/** XDM's own field facts carried over; `meta:titleId`/`meta:descriptionId` point into Adobe's translation files. */
const FIELD_META = ['meta:enum', 'meta:status', 'meta:immutable', 'meta:usereditable', 'meta:sensitive-data', 'meta:refProperty'] as const;

/** Where a conversion problem is, for the generator's error messages. */
export type Location = string;

export class ConversionError extends Error {
  constructor(readonly at: Location, message: string) {
    super(`${at}: ${message}`);
    this.name = 'ConversionError';
  }
}

const INTEGER_RANGES: ReadonlyArray<readonly [string, number, number]> = [
  ['byte', -(2 ** 7), 2 ** 7 - 1],
  ['short', -(2 ** 15), 2 ** 15 - 1],
  ['int', -(2 ** 31), 2 ** 31 - 1],
];

/** The XDM storage type the registry reports for a node that does not state one. */
function xdmTypeOf(node: JsonObject): string {
  if (typeof node['meta:xdmType'] === 'string') return node['meta:xdmType'];
  if (node.$ref !== undefined) return 'object';
  switch (node.type) {
    case 'string':
      return node.format === 'date' || node.format === 'date-time' ? node.format : 'string';
    case 'integer': {
      const { minimum, maximum } = node;
      if (typeof minimum !== 'number' || typeof maximum !== 'number') return 'long';
      return INTEGER_RANGES.find(([, low, high]) => minimum >= low && maximum <= high)?.[0] ?? 'long';
    }
    case 'number':
    case 'boolean':
    case 'array':
      return node.type;
    default:
      return isJsonObject(node.additionalProperties) && !isJsonObject(node.properties) ? 'map' : 'object';
  }
}

/**
 * XED has no unions. An object alternative is taken as the field's shape (`repo:principal` is a string or an
 * object; the object carries the information); alternatives that only vary a format (ipv4 or ipv6) or pick one of
 * several definitions leave the field as its base type.
 */
function withoutUnion(node: JsonObject): JsonObject {
  const { oneOf, anyOf, ...rest } = node;
  const alternatives = [oneOf, anyOf].find(Array.isArray);
  if (alternatives === undefined) return node;
  const objectForm = alternatives.find((alt) => isJsonObject(alt) && alt.type === 'object' && isJsonObject(alt.properties));
  return isJsonObject(objectForm) ? { ...rest, ...objectForm } : rest;
}

/**
 * Inline `allOf` entries inside a node (`{"required": [...]}` or `{"properties": {...}}`) are merged into the node
 * itself, which is what the intersection means; entries that are `$ref`s stay in `allOf`.
 */
function mergeInlineAllOf(node: JsonObject): JsonObject {
  if (!Array.isArray(node.allOf)) return node;
  const inline = node.allOf.filter((entry): entry is JsonObject => isJsonObject(entry) && typeof entry.$ref !== 'string').map(withoutUnion);
  if (inline.length === 0) return node;
  const refs = node.allOf.filter((entry) => isJsonObject(entry) && typeof entry.$ref === 'string');
  const { allOf: _allOf, ...rest } = node;
  const properties: JsonObject = Object.assign({}, ...[rest, ...inline].map((n) => (isJsonObject(n.properties) ? n.properties : {})));
  const required = [rest, ...inline].flatMap((n) => (Array.isArray(n.required) ? n.required : []));
  const merged: JsonObject = Object.assign({}, ...inline, rest);
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = required;
  if (refs.length > 0) merged.allOf = refs;
  return merged;
}

/** One node in XED form. `sourceName` is the field's source name; array items, map values and definitions have none. */
export function convertNode(source: JsonObject, at: Location, sourceName?: string): JsonObject {
  const node = mergeInlineAllOf(withoutUnion(source));
  const out: JsonObject = {};
  for (const key of KEYWORDS) if (node[key] !== undefined) out[key] = node[key];
  if (typeof out.$ref === 'string') out.$ref = xedRef(out.$ref);
  if (out.$ref !== undefined || out.type === undefined) out.type = 'object';
  const declared = Array.isArray(node.required) ? node.required.filter((name): name is string => typeof name === 'string') : [];
  if (isJsonObject(node.properties)) {
    const { properties, required } = convertProperties(node.properties, declared, `${at}/properties`);
    out.properties = properties;
    if (required.length > 0) out.required = required;
  } else if (declared.length > 0) {
    // The named fields live elsewhere (in the components this one is made of): require their top containers here.
    out.required = [...new Set(declared.map((name) => firstSegment(name, at)))];
  }
  if (isJsonObject(node.items)) out.items = convertNode(node.items, `${at}/items`);
  if (isJsonObject(node.additionalProperties)) out.additionalProperties = convertNode(node.additionalProperties, `${at}/additionalProperties`);
  else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  const patterns = isJsonObject(node.patternProperties) ? Object.values(node.patternProperties).filter(isJsonObject) : [];
  // A field whose keys are data (any name matching a pattern) is what XED calls a map.
  if (patterns.length === 1 && out.properties === undefined && patterns[0] !== undefined) {
    out.additionalProperties = convertNode(patterns[0], `${at}/patternProperties`);
  }
  if (Array.isArray(node.allOf)) out.allOf = node.allOf.map((entry) => allOfEntry(entry, at));
  for (const key of FIELD_META) if (node[key] !== undefined) out[key] = node[key];
  out['meta:xdmType'] = xdmTypeOf({ ...node, ...out });
  if (sourceName !== undefined) out['meta:xdmField'] = sourceName;
  return out;
}

/**
 * A reference into a field (`#/definitions/d/properties/xdm:a/properties/repo:b`) names the field by its source
 * name; in XED form the path goes through the prefix-free names and namespace objects instead.
 */
export function xedRef(ref: string): string {
  const hash = ref.indexOf('#');
  if (hash < 0) return ref;
  const tokens = ref.slice(hash + 1).split('/');
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    const name = tokens[i + 1];
    if (token !== 'properties' || name === undefined) {
      out.push(token);
      continue;
    }
    for (const segment of xedPathOf(name.replace(/~1/g, '/').replace(/~0/g, '~'))) out.push('properties', segment.replace(/~/g, '~0').replace(/\//g, '~1'));
    i += 1;
  }
  return `${ref.slice(0, hash)}#${out.join('/')}`;
}

/** An `allOf` entry in XED form: the reference, typed as an object, as the registry writes it. */
export function allOfEntry(entry: JsonValue, at: Location): JsonObject {
  if (!isJsonObject(entry) || typeof entry.$ref !== 'string') throw new ConversionError(at, 'allOf entry without $ref');
  const out: JsonObject = { $ref: xedRef(entry.$ref), type: 'object', 'meta:xdmType': 'object' };
  if (entry['meta:refProperty'] !== undefined) out['meta:refProperty'] = entry['meta:refProperty'];
  return out;
}

function firstSegment(name: string, at: Location): string {
  const [first] = xedPathOf(name);
  if (first === undefined) throw new ConversionError(at, `empty field name in required`);
  return first;
}

type Container = JsonObject & { properties: JsonObject };

function namespaceContainer(): Container {
  return { type: 'object', 'meta:xdmType': 'object', properties: {} };
}

/**
 * The `properties` of a node in XED form. Namespaced names nest under `_{namespace}` objects that several source
 * names share; a required name inside such an object makes each object on its path required in its parent.
 */
export function convertProperties(properties: JsonObject, required: readonly string[], at: Location): { properties: JsonObject; required: string[] } {
  const out: JsonObject = {};
  const created = new Map<string, Container>();
  for (const [sourceName, value] of Object.entries(properties)) {
    if (!isJsonObject(value)) throw new ConversionError(`${at}/${sourceName}`, 'field is not a schema');
    const path = xedPathOf(sourceName);
    const leaf = path.pop();
    if (leaf === undefined) throw new ConversionError(at, 'empty field name');
    let level = out;
    const walked: string[] = [];
    for (const segment of path) {
      walked.push(segment);
      const key = walked.join('.');
      let container = created.get(key);
      if (container === undefined) {
        if (level[segment] !== undefined) throw new ConversionError(`${at}/${sourceName}`, `${key} is both a field and a namespace`);
        container = namespaceContainer();
        created.set(key, container);
        level[segment] = container;
      }
      level = container.properties;
    }
    if (level[leaf] !== undefined) throw new ConversionError(`${at}/${sourceName}`, `two fields land on ${[...walked, leaf].join('.')}`);
    level[leaf] = convertNode(value, `${at}/${sourceName}`, sourceName);
  }
  const top: string[] = [];
  for (const name of required) {
    const path = xedPathOf(name);
    const [first] = path;
    if (first === undefined) continue;
    if (!top.includes(first)) top.push(first);
    for (let i = 1; i < path.length; i += 1) {
      const container = created.get(path.slice(0, i).join('.'));
      const segment = path[i];
      if (container === undefined || segment === undefined) break;
      const list = Array.isArray(container.required) ? container.required : [];
      if (!list.includes(segment)) container.required = [...list, segment];
    }
  }
  return { properties: out, required: top };
}
