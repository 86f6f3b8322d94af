import type { ValidateFunction } from 'ajv';
import { ajvWithFormats } from '../../server/ajv-with-formats.js';
import type { FieldProblem } from '../../server/errors/api-error.js';
import type { JsonSchema } from './specs/connection-spec.js';

const ajv = ajvWithFormats({ useDefaults: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** Validates a value against a JSON Schema that a spec carries as data; problems are named by body path. */
export function validateAgainstSpec(schema: JsonSchema, value: unknown, bodyPath: string): FieldProblem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const missing = e.params && typeof e.params === 'object' && 'missingProperty' in e.params ? `/${String(e.params.missingProperty)}` : '';
      const extra = e.params && typeof e.params === 'object' && 'additionalProperty' in e.params ? `/${String(e.params.additionalProperty)}` : '';
      const message = e.keyword === 'not' ? 'must not be present for this frequency' : e.keyword === 'additionalProperties' ? 'is not a known property' : (e.message ?? 'is invalid');
      const allowed = e.keyword === 'enum' && e.params && 'allowedValues' in e.params ? `: ${JSON.stringify(e.params.allowedValues)}` : '';
      return { in: 'body', path: `${bodyPath}${e.instancePath}${missing}${extra}`, message: `${message}${allowed}` };
    });
}

/**
 * Turns strings of digits into integers and "true"/"false" into booleans where the schema asks for them.
 * The payments tutorial sends `"interval": "30"`; anything that is not an exact integer string stays a string
 * and fails validation with the field named.
 */
export function coerceToSchema(schema: JsonSchema, value: unknown): unknown {
  const type = schema.type;
  if (typeof value === 'string') {
    if ((type === 'integer' || type === 'number') && /^-?\d+$/.test(value.trim())) return Number(value.trim());
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && isSchemaMap(schema.properties)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties[key];
      out[key] = childSchema ? coerceToSchema(childSchema, child) : child;
    }
    return out;
  }
  return value;
}

function isSchemaMap(value: unknown): value is Record<string, JsonSchema> {
  return value !== null && typeof value === 'object';
}
