import type { ProblemList } from '../../server/errors/problem-list.js';
import { isObject } from '../../xdm/component-lookup.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import type { RegistryView } from './registry.js';

const types = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array']);
const formats = new Set(['date', 'date-time', 'email', 'uri', 'uri-reference', 'uuid', 'regex', 'time', 'hostname', 'ipv4', 'ipv6', 'iri', 'iri-reference', 'json-pointer', 'uri-template']);

/**
 * Checks a tenant's field definitions and fills in `meta:xdmType` where the client left it out, so every
 * stored field has the XDM type the lake and the mapper rely on.
 */
/** Far deeper than any real schema (counted in path segments); past it the recursion itself would fail. */
const maxPathSegments = 100;

export function checkFieldTree(properties: unknown, path: string, problems: ProblemList, registry: RegistryView): JsonObject {
  if (!isObject(properties)) {
    problems.add(path, 'must be an object of fields');
    return {};
  }
  const out: JsonObject = {};
  for (const [name, field] of Object.entries(properties)) {
    const fieldPath = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!/^[A-Za-z_][\w-]*$/.test(name)) problems.add(fieldPath, 'field names must start with a letter or "_" and contain letters, digits, "_" or "-"');
    out[name] = checkField(field, fieldPath, problems, registry);
  }
  return out;
}

function checkField(field: unknown, path: string, problems: ProblemList, registry: RegistryView): JsonObject {
  if (path.split('/').length > maxPathSegments) {
    problems.add(path, 'fields nest too deeply');
    return {};
  }
  if (!isObject(field)) {
    problems.add(path, 'must be a field definition object');
    return {};
  }
  const out: JsonObject = { ...field };
  if (typeof field.$ref === 'string') {
    const target = registry.find(field.$ref);
    if (!target) problems.add(`${path}/$ref`, `${field.$ref} is not a known data type`, 'unknownReference');
    else if (!['datatypes', 'classes', 'mixins'].includes(String(target.doc['meta:resourceType']))) {
      problems.add(`${path}/$ref`, `${field.$ref} is a ${String(target.doc['meta:resourceType'])}, not a data type`);
    }
    return out;
  }
  const type = field.type;
  if (typeof type !== 'string' || !types.has(type)) {
    problems.add(`${path}/type`, `must be one of ${[...types].join(', ')} (or give a $ref to a data type)`);
    return out;
  }
  if (field.format !== undefined && (typeof field.format !== 'string' || !formats.has(field.format))) {
    problems.add(`${path}/format`, `is not a supported format`);
  }
  if (field.enum !== undefined && (!Array.isArray(field.enum) || field.enum.length === 0 || field.enum.some((v) => !['string', 'number', 'boolean'].includes(typeof v)))) {
    problems.add(`${path}/enum`, 'must be a non-empty array of strings, numbers or booleans');
  }
  if (type === 'object') {
    if (field.properties !== undefined) out.properties = checkFieldTree(field.properties, `${path}/properties`, problems, registry);
    else if (isObject(field.additionalProperties)) out.additionalProperties = checkField(field.additionalProperties, `${path}/additionalProperties`, problems, registry);
    else problems.add(`${path}/properties`, 'an object field needs properties (or additionalProperties for a map)');
  }
  if (type === 'array') {
    if (!isObject(field.items)) problems.add(`${path}/items`, 'an array field needs items');
    else out.items = checkField(field.items, `${path}/items`, problems, registry);
  }
  if (typeof field['meta:xdmType'] !== 'string') out['meta:xdmType'] = xdmTypeOf(out);
  return out;
}

export function xdmTypeOf(field: JsonObject): string {
  switch (field.type) {
    case 'string':
      return field.format === 'date' || field.format === 'date-time' ? field.format : 'string';
    case 'integer': {
      const min = typeof field.minimum === 'number' ? field.minimum : undefined;
      const max = typeof field.maximum === 'number' ? field.maximum : undefined;
      if (min !== undefined && max !== undefined) {
        if (min >= -128 && max <= 127) return 'byte';
        if (min >= -32768 && max <= 32767) return 'short';
        if (min >= -2147483648 && max <= 2147483647) return 'int';
      }
      return 'long';
    }
    case 'object':
      return isObject(field.additionalProperties) && !isObject(field.properties) ? 'map' : 'object';
    default:
      return String(field.type);
  }
}
