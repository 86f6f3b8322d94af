/** Renders DSL fields into XED form: prefix-free names, `meta:xdmType` on every field. */
import type { Field, IntegerField, Properties, StringField } from './field.js';
import type { JsonObject, JsonValue } from './json-value.js';
import { xedPathOf } from './xed-names.js';

/** The narrowest XDM integer type whose range holds both bounds; unbounded integers are `long`. */
const INTEGER_TYPES: ReadonlyArray<readonly [string, number, number]> = [
  ['byte', -(2 ** 7), 2 ** 7 - 1],
  ['short', -(2 ** 15), 2 ** 15 - 1],
  ['int', -(2 ** 31), 2 ** 31 - 1],
];

function integerXdmType(f: IntegerField): string {
  if (f.minimum === undefined || f.maximum === undefined) return 'long';
  const { minimum, maximum } = f;
  const fit = INTEGER_TYPES.find(([, low, high]) => minimum >= low && maximum <= high);
  return fit ? fit[0] : 'long';
}

function stringXdmType(f: StringField): string {
  return f.format === 'date' || f.format === 'date-time' ? f.format : 'string';
}

/** Copies the keys whose value is defined, so absent facts stay absent in the output. */
function defined(entries: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

/** Maps source names in a `required` list to their XED names (only same-level names can be required). */
export function renderRequired(required: readonly string[] | undefined): JsonValue | undefined {
  if (required === undefined) return undefined;
  return required.map((name) => {
    const path = xedPathOf(name);
    if (path.length !== 1 || path[0] === undefined) {
      throw new Error(`required field ${name} would be nested in XED form; not supported`);
    }
    return path[0];
  });
}

function typeFacts(f: Field): JsonObject {
  switch (f.kind) {
    case 'string':
      return defined({
        type: 'string',
        format: f.format,
        enum: f.enum ? [...f.enum] : undefined,
        'meta:enum': f.labels ? { ...f.labels } : undefined,
        default: f.default,
        pattern: f.pattern,
        minLength: f.minLength,
        maxLength: f.maxLength,
        'meta:xdmType': stringXdmType(f),
      });
    case 'number':
    case 'integer':
      return defined({
        type: f.kind,
        minimum: f.minimum,
        maximum: f.maximum,
        default: f.default,
        'meta:xdmType': f.kind === 'number' ? 'number' : integerXdmType(f),
      });
    case 'boolean':
      return defined({ type: 'boolean', default: f.default, 'meta:xdmType': 'boolean' });
    case 'object':
      return defined({
        type: 'object',
        properties: renderProperties(f.properties),
        required: renderRequired(f.required),
        'meta:xdmType': 'object',
      });
    case 'array':
      return { type: 'array', items: renderField(f.items), 'meta:xdmType': 'array' };
    case 'map':
      return { type: 'object', additionalProperties: renderField(f.values), 'meta:xdmType': 'map' };
    case 'ref':
      // The registry resolves `$ref`s when asked for the full form; unresolved, the field is an object.
      return { $ref: f.ref, type: 'object', 'meta:xdmType': 'object' };
  }
}

/** One field in XED form; `sourceName` is absent for array items and map values, which have no name. */
export function renderField(f: Field, sourceName?: string): JsonObject {
  return {
    ...defined({ title: f.title, description: f.description }),
    ...typeFacts(f),
    ...defined({
      'meta:xdmField': sourceName,
      'meta:status': f.deprecated ? 'deprecated' : undefined,
      'meta:immutable': f.immutable,
      'meta:usereditable': f.userEditable,
    }),
  };
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `properties` of an XED object; namespaced names nest under `_{namespace}` objects. */
export function renderProperties(properties: Properties): JsonObject {
  const out: JsonObject = {};
  for (const [sourceName, f] of Object.entries(properties)) {
    const path = xedPathOf(sourceName);
    const leaf = path.pop();
    if (leaf === undefined) throw new Error(`empty field name`);
    let level = out;
    for (const segment of path) {
      const container = level[segment] ?? { type: 'object', 'meta:xdmType': 'object', properties: {} };
      if (!isJsonObject(container) || !isJsonObject(container.properties)) {
        throw new Error(`${sourceName}: ${segment} is already a field, not a namespace object`);
      }
      level[segment] = container;
      level = container.properties;
    }
    if (leaf in level) throw new Error(`${sourceName}: two fields map to ${[...path, leaf].join('.')}`);
    level[leaf] = renderField(f, sourceName);
  }
  return out;
}
