import type { ValidateFunction } from 'ajv';
import { ajvWithFormats } from '../../server/ajv-with-formats.js';
import type { FieldProblem } from '../../server/errors/api-error.js';
import { validationProblems, type ValidationIssue } from '../../server/errors/validation-problems.js';
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
  return validationProblems(validate.errors ?? [], 'body', { prefix: bodyPath, wording: specWording });
}

/** A spec's `not` only ever forbids fields for a schedule's frequency; an extra property is simply unknown. */
function specWording(error: ValidationIssue): string | undefined {
  if (error.keyword === 'not') return 'must not be present for this frequency';
  if (error.keyword === 'additionalProperties') return 'is not a known property';
  return undefined;
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
