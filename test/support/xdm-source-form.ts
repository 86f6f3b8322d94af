/**
 * Test-only reading of the XDM reference files (source form) and an independent source → XED converter, so the
 * generated library (xdm-library/, written by scripts/generate-xdm.ts) can be checked against the standard.
 * Written apart from scripts/xdm-library on purpose: sharing code would make the check circular.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

export type ReferenceFile = { readonly file: string; readonly source: JsonMap };

export function isMap(value: Json | undefined): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `*.schema.json` under `dir`, with its path relative to `dir`. */
export function loadReferenceFiles(dir: string): ReferenceFile[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
  return files.map((file) => {
    const source: unknown = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    if (!isMap(source as Json)) throw new Error(`${file} is not a JSON object`);
    return { file: file.split(path.sep).join('/'), source: source as JsonMap };
  });
}

const BEHAVIORS = ['https://ns.adobe.com/xdm/data/record', 'https://ns.adobe.com/xdm/data/time-series', 'https://ns.adobe.com/xdm/data/adhoc'];

/**
 * The registry resource type: the kind folder of adobe/xdm where there is one; otherwise a class extends a
 * behavior, a field group says which classes it is for, and the rest are data types.
 */
export function resourceTypeOf(ref: ReferenceFile): string {
  const folder = ref.file.split('/').reverse().find((segment) => ['classes', 'fieldgroups', 'datatypes', 'behaviors'].includes(segment));
  if (folder !== undefined) return folder === 'fieldgroups' ? 'mixins' : folder;
  const extended = ref.source['meta:extends'];
  if (Array.isArray(extended) && extended.some((id) => BEHAVIORS.includes(String(id)))) return 'classes';
  return ref.source['meta:intendedToExtend'] === undefined ? 'datatypes' : 'mixins';
}

/** `_namespace` plus the path segments of a URI, re-derived with plain string handling. */
function uriSegments(uri: string): string[] {
  const match = /^https?:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match?.[1]) throw new Error(`not a URI: ${uri}`);
  const host = match[1];
  const rest = (match[2] ?? '').split('/').filter((s) => s !== '');
  if (host === 'ns.adobe.com') return [`_${rest[0] ?? ''}`, ...rest.slice(1)];
  const label = host.replace(/^www\./, '').replace(/^ns\./, '').split('.')[0] ?? '';
  return [`_${label}`, ...rest];
}

export function altIdOf(id: string): string {
  return uriSegments(id).join('.');
}

/** XED path of a source name: `xdm:a` → [a], `repo:a` → [_repo, a], `@id` → [_id], URIs by namespace. */
export function xedPath(name: string): string[] {
  if (name.startsWith('@')) return [`_${name.slice(1)}`];
  if (/^https?:\/\//.test(name)) {
    const segments = uriSegments(name);
    return segments[0] === '_xdm' ? segments.slice(1) : segments;
  }
  const match = /^([A-Za-z0-9-]+):(.+)$/.exec(name);
  if (!match?.[1] || !match[2]) return [name];
  return match[1] === 'xdm' ? [match[2]] : [`_${match[1]}`, match[2]];
}

/** Keys carried from source to XED unchanged, on fields and definitions. */
const KEPT = [
  'title', 'type', 'format', 'enum', 'const', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', '$ref',
  'meta:enum', 'meta:status', 'meta:immutable', 'meta:usereditable', 'meta:sensitive-data', 'meta:refProperty',
] as const;

function integerType(min: Json | undefined, max: Json | undefined): string {
  if (typeof min !== 'number' || typeof max !== 'number') return 'long';
  if (min >= -128 && max <= 127) return 'byte';
  if (min >= -32768 && max <= 32767) return 'short';
  if (min >= -2147483648 && max <= 2147483647) return 'int';
  return 'long';
}

function xdmTypeOf(node: JsonMap, converted: JsonMap): string {
  if (typeof node['meta:xdmType'] === 'string') return node['meta:xdmType'];
  if (converted.$ref !== undefined) return 'object';
  switch (converted.type) {
    case 'string':
      return converted.format === 'date' || converted.format === 'date-time' ? converted.format : 'string';
    case 'integer':
      return integerType(converted.minimum, converted.maximum);
    case 'number':
    case 'boolean':
    case 'array':
      return converted.type;
    default:
      return isMap(converted.additionalProperties) && converted.properties === undefined ? 'map' : 'object';
  }
}

/** XED has no unions: an object alternative with properties is the field's shape; any other union is dropped. */
function withoutUnion(node: JsonMap): JsonMap {
  const out: JsonMap = { ...node };
  delete out.oneOf;
  delete out.anyOf;
  const alternatives = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : [];
  const objectForm = alternatives.find((alt) => isMap(alt) && alt.type === 'object' && isMap(alt.properties));
  return isMap(objectForm) ? { ...out, ...objectForm } : out;
}

/** `allOf` entries that are not references are part of the node itself. */
function flattenAllOf(node: JsonMap): JsonMap {
  if (!Array.isArray(node.allOf)) return node;
  const inline = node.allOf.filter((e): e is JsonMap => isMap(e) && e.$ref === undefined).map(withoutUnion);
  if (inline.length === 0) return node;
  const out: JsonMap = {};
  for (const part of inline) Object.assign(out, part);
  Object.assign(out, node);
  const properties: JsonMap = {};
  const required: Json[] = [];
  for (const part of [node, ...inline]) {
    if (isMap(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) required.push(...part.required);
  }
  delete out.properties;
  delete out.required;
  delete out.allOf;
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  const refs = node.allOf.filter((e) => isMap(e) && e.$ref !== undefined);
  if (refs.length > 0) out.allOf = refs;
  return out;
}

/** A pointer through fields by source name, re-pointed through their XED names. */
function pointerInXed(ref: string): string {
  const [base, fragment] = ref.split('#');
  if (fragment === undefined) return ref;
  const parts = fragment.split('/');
  const out: string[] = [];
  while (parts.length > 0) {
    const part = parts.shift() ?? '';
    if (part === 'properties' && parts.length > 0) out.push(...xedPath(parts.shift() ?? '').flatMap((segment) => ['properties', segment]));
    else out.push(part);
  }
  return `${base}#${out.join('/')}`;
}

function refEntry(entry: Json): JsonMap {
  if (!isMap(entry)) throw new Error('allOf entry is not an object');
  const out: JsonMap = { $ref: pointerInXed(String(entry.$ref)), type: 'object', 'meta:xdmType': 'object' };
  if (entry['meta:refProperty'] !== undefined) out['meta:refProperty'] = entry['meta:refProperty'];
  return out;
}

/** One source node (field, array item, map value or definition) in XED form. */
export function convertNode(source: JsonMap, sourceName?: string): JsonMap {
  const node = flattenAllOf(withoutUnion(source));
  const out: JsonMap = {};
  for (const key of KEPT) {
    if (node[key] !== undefined && !key.startsWith('meta:')) out[key] = node[key] as Json;
  }
  if (typeof out.$ref === 'string') out.$ref = pointerInXed(out.$ref);
  if (out.$ref !== undefined || out.type === undefined) out.type = 'object';
  const required = Array.isArray(node.required) ? node.required.map(String) : [];
  if (isMap(node.properties)) {
    const converted = convertProperties(node.properties, required);
    out.properties = converted.properties;
    if (converted.required.length > 0) out.required = converted.required;
  } else if (required.length > 0) {
    out.required = [...new Set(required.map((name) => xedPath(name)[0] ?? ''))];
  }
  if (isMap(node.items)) out.items = convertNode(node.items);
  if (isMap(node.additionalProperties)) out.additionalProperties = convertNode(node.additionalProperties);
  else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  const patterns = isMap(node.patternProperties) ? Object.values(node.patternProperties).filter(isMap) : [];
  if (patterns.length === 1 && out.properties === undefined && patterns[0]) out.additionalProperties = convertNode(patterns[0]);
  if (Array.isArray(node.allOf)) out.allOf = node.allOf.map(refEntry);
  for (const key of KEPT) {
    if (node[key] !== undefined && key.startsWith('meta:')) out[key] = node[key] as Json;
  }
  out['meta:xdmType'] = xdmTypeOf(node, out);
  if (sourceName !== undefined) out['meta:xdmField'] = sourceName;
  return out;
}

/** Properties in XED form, namespaced names under shared `_namespace` objects, `required` pushed down the paths. */
export function convertProperties(properties: JsonMap, required: string[] = []): { properties: JsonMap; required: string[] } {
  const out: JsonMap = {};
  const holders = new Map<string, JsonMap>();
  const holderAt = (segments: string[]): JsonMap => {
    let level = out;
    let holder: JsonMap | undefined;
    segments.forEach((segment, i) => {
      const key = segments.slice(0, i + 1).join('/');
      holder = holders.get(key);
      if (!holder) {
        holder = { type: 'object', 'meta:xdmType': 'object', properties: {} };
        if (level[segment] !== undefined) throw new Error(`${key} clashes with a field`);
        level[segment] = holder;
        holders.set(key, holder);
      }
      level = holder.properties as JsonMap;
    });
    return level;
  };
  for (const [name, value] of Object.entries(properties)) {
    if (!isMap(value)) throw new Error(`property ${name} is not a schema`);
    const segments = xedPath(name);
    const leaf = segments[segments.length - 1] ?? '';
    const level = holderAt(segments.slice(0, -1));
    if (level[leaf] !== undefined) throw new Error(`${name} lands on an existing field`);
    level[leaf] = convertNode(value, name);
  }
  const top: string[] = [];
  for (const name of required) {
    const segments = xedPath(name);
    if (segments[0] !== undefined && !top.includes(segments[0])) top.push(segments[0]);
    for (let i = 1; i < segments.length; i += 1) {
      const holder = holders.get(segments.slice(0, i).join('/'));
      if (!holder) break;
      const list = Array.isArray(holder.required) ? holder.required : [];
      if (!list.includes(segments[i] ?? '')) holder.required = [...list, segments[i] ?? ''];
    }
  }
  return { properties: out, required: top };
}

const CONTEXT = '#/definitions/@context';

/** The XED document the registry should serve for a reference file. */
export function expectedXed(ref: ReferenceFile): JsonMap {
  const s = ref.source;
  const id = String(s.$id);
  const out: JsonMap = {
    $id: id,
    'meta:altId': altIdOf(id),
    'meta:resourceType': resourceTypeOf(ref),
    version: '1.0',
    title: s.title ?? null,
    type: 'object',
    'meta:extensible': s['meta:extensible'] ?? false,
    'meta:abstract': s['meta:abstract'] ?? false,
    'meta:status': s['meta:status'] ?? 'stable',
    'meta:xdmType': 'object',
    'meta:containerId': 'global',
  };
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith('meta:') && !['meta:license', 'meta:titleId', 'meta:descriptionId', 'meta:createdDate'].includes(key) && !(key in out)) out[key] = value;
  }
  if (isMap(s.definitions)) {
    const definitions: JsonMap = {};
    for (const [name, def] of Object.entries(s.definitions)) {
      if (name !== '@context' && isMap(def)) definitions[name] = convertNode(def);
    }
    out.definitions = definitions;
  }
  const entries = Array.isArray(s.allOf) ? s.allOf.filter(isMap) : [];
  const own = flattenAllOf({ properties: isMap(s.properties) ? s.properties : {}, required: Array.isArray(s.required) ? s.required : [], allOf: entries.filter((e) => e.$ref === undefined) });
  const converted = convertProperties(isMap(own.properties) ? own.properties : {}, Array.isArray(own.required) ? own.required.map(String) : []);
  if (Object.keys(converted.properties).length > 0) out.properties = converted.properties;
  if (converted.required.length > 0) out.required = converted.required;
  const refs = entries.filter((e) => typeof e.$ref === 'string' && !String(e.$ref).endsWith(CONTEXT));
  if (refs.length > 0) out.allOf = refs.map(refEntry);
  return out;
}

/** Every `description` string in a source file, to check that none was copied into the library. */
export function sourceDescriptions(node: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) sourceDescriptions(item, into);
  else if (isMap(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string' && value.trim() !== '') into.add(value.trim());
      else sourceDescriptions(value, into);
    }
  }
  return into;
}
