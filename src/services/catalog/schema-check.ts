import type { ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';
import { ajvWithFormats } from '../../server/ajv-with-formats.js';
import type { FieldProblem } from '../../server/errors/api-error.js';
import { validationProblems } from '../../server/errors/validation-problems.js';

// The same two modes as the HTTP layer: bodies strictly, query strings coerced from text.
const strict = ajvWithFormats({ coerceTypes: false, useDefaults: true });
const coercing = ajvWithFormats({ coerceTypes: 'array', useDefaults: true });
const compiled = new WeakMap<TSchema, { body?: ValidateFunction; query?: ValidateFunction }>();

/**
 * Checks a value against one of the operation schemas, as Fastify does for a route, for the places Fastify does
 * not reach: the sub-requests of a batched request and a document after a patch. Query values are coerced in place.
 */
export function schemaProblems(schema: TSchema, value: unknown, part: 'body' | 'query', prefix = ''): FieldProblem[] {
  const entry = compiled.get(schema) ?? {};
  const validate = entry[part] ?? (part === 'body' ? strict : coercing).compile(schema);
  entry[part] = validate;
  compiled.set(schema, entry);
  if (validate(value)) return [];
  return validationProblems(validate.errors ?? [], part, { prefix });
}
