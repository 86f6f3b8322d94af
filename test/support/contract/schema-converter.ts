import { isRecord, escapePointerSegment, type JsonRecord } from './json-record.js';

/**
 * Converts an OpenAPI 3.0 / Swagger 2.0 Schema Object into a draft-07 JSON Schema that Ajv can compile.
 *
 * It walks only schema positions (so a property that happens to be called `example` or `$ref` is
 * kept as a property), and records the spec location of every converted node so that an Ajv error
 * (with `verbose`, which hands back `parentSchema`) can say which part of the spec it came from.
 */
export interface ConversionContext {
  /** Absolute id under which the service's named schemas are registered with Ajv. */
  readonly refBase: string;
  /** Converted schema node -> location in the spec file, e.g. `#/components/schemas/FlowItemDTO`. */
  readonly locations: WeakMap<object, string>;
  /** Every `format` seen, so unknown ones can be registered as no-ops before compiling. */
  readonly formats: Set<string>;
}

const NAMED_SCHEMA_PREFIXES = ['#/components/schemas/', '#/definitions/'] as const;

/** Annotations that carry no validation meaning here; `example` is dropped because the specs' examples are known to be wrong. */
const DROPPED_KEYWORDS = new Set([
  'example',
  'examples',
  'xml',
  'discriminator',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'deprecated',
  'description',
  'title',
  'default',
  'nullable',
  '$id',
  '$schema',
  'id',
]);

const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
const SCHEMA_VALUE_KEYWORDS = new Set([
  'additionalProperties',
  'additionalItems',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
]);
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);

/** The JSON Schema for a `$ref` to a named schema of this spec. */
export function namedSchemaRef(ref: string, ctx: ConversionContext): string {
  const prefix = NAMED_SCHEMA_PREFIXES.find((candidate) => ref.startsWith(candidate));
  if (prefix === undefined) {
    // The five specs only use local refs in schema positions; failing loudly beats silently accepting anything.
    throw new Error(`Unsupported $ref '${ref}': only #/components/schemas/* and #/definitions/* are resolved`);
  }
  return `${ctx.refBase}#/definitions/${ref.slice(prefix.length)}`;
}

export function convertSchema(node: unknown, location: string, ctx: ConversionContext): unknown {
  if (typeof node === 'boolean') return node;
  if (!isRecord(node)) return {};
  const ref = node.$ref;
  if (typeof ref === 'string') {
    // OpenAPI 3.0 and Swagger 2.0: siblings of $ref are ignored.
    return remember({ $ref: namedSchemaRef(ref, ctx) }, location, ctx);
  }
  const out: JsonRecord = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    const here = `${location}/${escapePointerSegment(key)}`;
    if (SCHEMA_MAP_KEYWORDS.has(key) && isRecord(value)) {
      out[key] = convertSchemaMap(value, here, ctx);
    } else if (SCHEMA_VALUE_KEYWORDS.has(key)) {
      out[key] = convertSchema(value, here, ctx);
    } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
      out[key] = value.map((item, index) => convertSchema(item, `${here}/${index}`, ctx));
    } else if (key === 'items') {
      out[key] = Array.isArray(value)
        ? value.map((item, index) => convertSchema(item, `${here}/${index}`, ctx))
        : convertSchema(value, here, ctx);
    } else {
      copyValidationKeyword(out, key, value, ctx);
    }
  }
  convertExclusiveBounds(out);
  return remember(node.nullable === true ? makeNullable(out) : out, location, ctx);
}

function convertSchemaMap(map: JsonRecord, location: string, ctx: ConversionContext): JsonRecord {
  const out: JsonRecord = {};
  for (const [name, schema] of Object.entries(map)) {
    // `dependencies` may list property names instead of a schema.
    out[name] = Array.isArray(schema) ? schema : convertSchema(schema, `${location}/${escapePointerSegment(name)}`, ctx);
  }
  return out;
}

function copyValidationKeyword(out: JsonRecord, key: string, value: unknown, ctx: ConversionContext): void {
  if (key === 'type' && value === 'file') return; // Swagger 2 binary download: nothing to validate as JSON.
  if (key === 'required' && !Array.isArray(value)) return; // Swagger-1 style `required: true` on a property.
  if (key === 'format' && typeof value === 'string') ctx.formats.add(value);
  out[key] = value;
}

/** OpenAPI 3.0 uses draft-04 boolean `exclusiveMinimum`; draft-07 wants the bound itself. */
function convertExclusiveBounds(out: JsonRecord): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const flag = out[exclusive];
    if (typeof flag !== 'boolean') continue;
    const limit = out[bound];
    delete out[exclusive];
    if (flag && typeof limit === 'number') {
      out[exclusive] = limit;
      delete out[bound];
    }
  }
}

/** OpenAPI 3.0 `nullable: true` means "this schema, or null". */
function makeNullable(schema: JsonRecord): JsonRecord {
  const type = schema.type;
  if (typeof type === 'string') {
    const enumValues = schema.enum;
    const withNullEnum = Array.isArray(enumValues) ? { enum: [...enumValues, null] } : {};
    return { ...schema, ...withNullEnum, type: [type, 'null'] };
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function remember<T extends object>(schema: T, location: string, ctx: ConversionContext): T {
  ctx.locations.set(schema, location);
  return schema;
}
