/**
 * Test-only reading of the XDM reference files (source form) and an independent source → XED
 * converter, so the library's hand-written definitions can be checked against the specification.
 * Written apart from src/xdm/standard on purpose: sharing code would make the check circular.
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

/** The registry resource type follows the folder of adobe/xdm the component lives in. */
export function resourceTypeOf(file: string): string {
  const folder = file.split('/')[0];
  const types: Record<string, string> = {
    classes: 'classes',
    behaviors: 'behaviors',
    fieldgroups: 'mixins',
    datatypes: 'datatypes',
  };
  const type = folder === undefined ? undefined : types[folder];
  if (type === undefined) throw new Error(`no resource type for ${file}`);
  return type;
}

/** The library's documented `meta:altId` rule, re-derived with plain string handling. */
export function altIdOf(id: string): string {
  const adobe = /^https?:\/\/ns\.adobe\.com\/(.+)$/.exec(id);
  if (adobe?.[1]) return `_${adobe[1].replaceAll('/', '.')}`;
  const other = /^https?:\/\/(?:www\.)?([^./]+)[^/]*\/(.+)$/.exec(id);
  if (other?.[1] && other[2]) return `_${other[1]}.${other[2].replaceAll('/', '.')}`;
  throw new Error(`no altId rule for ${id}`);
}

/** `$ref` to the JSON-LD context of `common/extensible`: plumbing with no XED counterpart. */
const CONTEXT_REF = 'https://ns.adobe.com/xdm/common/extensible#/definitions/@context';

/** Keys carried from source to XED unchanged, on fields and definitions. */
const KEPT = [
  'title', 'type', 'format', 'enum', 'meta:enum', 'default', 'minimum', 'maximum', 'minLength',
  'maxLength', 'pattern', '$ref', 'meta:status', 'meta:immutable', 'meta:usereditable',
] as const;

/** XED name of one source name: [container, name] for namespaced names, [name] otherwise. */
function splitName(name: string): [string] | [string, string] {
  if (name.startsWith('@')) return [`_${name.slice(1)}`];
  if (name.includes('://')) throw new Error(`URI property names do not occur in the reference: ${name}`);
  const match = /^([A-Za-z0-9]+):(.+)$/.exec(name);
  if (!match?.[1] || !match[2]) return [name];
  return match[1] === 'xdm' ? [match[2]] : [`_${match[1]}`, match[2]];
}

function xedRequired(names: Json): Json {
  if (!Array.isArray(names)) throw new Error('required must be a list');
  return names.map((n) => {
    const parts = splitName(String(n));
    if (parts.length !== 1) throw new Error(`nested required name ${String(n)}`);
    return parts[0];
  });
}

function integerType(min: Json | undefined, max: Json | undefined): string {
  if (typeof min !== 'number' || typeof max !== 'number') return 'long';
  if (min >= -128 && max <= 127) return 'byte';
  if (min >= -32768 && max <= 32767) return 'short';
  if (min >= -2147483648 && max <= 2147483647) return 'int';
  return 'long';
}

function xdmTypeOf(node: JsonMap): string {
  if (typeof node['meta:xdmType'] === 'string') return node['meta:xdmType'];
  if (node.$ref !== undefined) return 'object';
  switch (node.type) {
    case 'string':
      return node.format === 'date' || node.format === 'date-time' ? node.format : 'string';
    case 'integer':
      return integerType(node.minimum, node.maximum);
    case 'number':
    case 'boolean':
    case 'array':
      return node.type;
    default:
      return isMap(node.additionalProperties) && node.properties === undefined ? 'map' : 'object';
  }
}

/**
 * XED has no unions. Where the source offers `oneOf` (only `repo:principal`), the library keeps
 * the object alternative; the expected form applies the same documented choice.
 */
function withoutUnion(node: JsonMap): JsonMap {
  const { oneOf, ...rest } = node;
  if (!Array.isArray(oneOf)) return node;
  const objectForm = oneOf.find((alt) => isMap(alt) && alt.type === 'object');
  if (!isMap(objectForm)) throw new Error('oneOf without an object alternative');
  return { ...rest, ...objectForm };
}

/** One source node (field, array item, map value or definition) in XED form. */
export function convertNode(source: JsonMap, sourceName?: string): JsonMap {
  const node = withoutUnion(source);
  const out: JsonMap = {};
  for (const key of KEPT) {
    const value = node[key];
    if (value !== undefined) out[key] = value;
  }
  if (out.$ref !== undefined || out.type === undefined) out.type = 'object';
  if (isMap(node.properties)) out.properties = convertProperties(node.properties);
  if (isMap(node.items)) out.items = convertNode(node.items);
  if (isMap(node.additionalProperties)) out.additionalProperties = convertNode(node.additionalProperties);
  if (node.required !== undefined) out.required = xedRequired(node.required);
  out['meta:xdmType'] = xdmTypeOf(node);
  if (sourceName !== undefined) out['meta:xdmField'] = sourceName;
  return out;
}

export function convertProperties(properties: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const [name, value] of Object.entries(properties)) {
    if (!isMap(value)) throw new Error(`property ${name} is not a schema`);
    const parts = splitName(name);
    if (parts.length === 1) {
      out[parts[0]] = convertNode(value, name);
      continue;
    }
    const [container, local] = parts;
    const holder = out[container] ?? { type: 'object', 'meta:xdmType': 'object', properties: {} };
    if (!isMap(holder) || !isMap(holder.properties)) throw new Error(`${container} clashes with a field`);
    holder.properties[local] = convertNode(value, name);
    out[container] = holder;
  }
  return out;
}

/** The XED document the registry should serve for a reference file. */
export function expectedXed(ref: ReferenceFile): JsonMap {
  const s = ref.source;
  const id = String(s.$id);
  const out: JsonMap = {
    $id: id,
    'meta:altId': altIdOf(id),
    'meta:resourceType': resourceTypeOf(ref.file),
    version: '1.0',
    title: s.title ?? null,
    type: 'object',
    'meta:extensible': s['meta:extensible'] ?? false,
    'meta:abstract': s['meta:abstract'] ?? false,
    'meta:status': s['meta:status'] ?? null,
    'meta:xdmType': 'object',
    'meta:containerId': 'global',
  };
  for (const key of ['meta:extends', 'meta:intendedToExtend', 'meta:tags'] as const) {
    if (s[key] !== undefined) out[key] = s[key];
  }
  if (s.required !== undefined) out.required = xedRequired(s.required);
  if (isMap(s.definitions)) {
    const definitions: JsonMap = {};
    for (const [name, def] of Object.entries(s.definitions)) {
      // The extensible schema's own `@context` is the JSON-LD plumbing everything else drops.
      if (name === '@context' || !isMap(def)) continue;
      definitions[name] = convertNode(def);
    }
    out.definitions = definitions;
  }
  if (isMap(s.properties)) out.properties = convertProperties(s.properties);
  const ownContext = `${id}#/definitions/@context`;
  const allOf = (Array.isArray(s.allOf) ? s.allOf : [])
    .map((entry) => (isMap(entry) ? String(entry.$ref) : ''))
    .filter((r) => r !== CONTEXT_REF && r !== '#/definitions/@context' && r !== ownContext);
  if (allOf.length > 0) out.allOf = allOf.map((r) => ({ $ref: r, type: 'object', 'meta:xdmType': 'object' }));
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
