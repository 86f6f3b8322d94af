import type { FastifySchemaCompiler } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { createValidatorCompiler } from '../../server/validator-compiler.js';

const compile = createValidatorCompiler();

/** What Flow Service's create bodies must be before their handler sees them: a JSON object. */
export const anyObject = Type.Object({}, { additionalProperties: true });

/** A body the handler alone reads (a JSON Patch: `parsePatch` refuses what is not one, with its own codes). */
export const anyBody = Type.Unknown();

/**
 * A route option (`validatorCompiler`) for routes whose handler checks the body field by field, against the
 * connection and flow specs too, and answers every field at fault at once with the field's own error code.
 * The route's `body` schema documents the shape for the API reference; the body is validated against `checked`
 * only, so documenting it refuses nothing that was accepted and changes no error a client gets. Params and
 * query strings are validated as on every other route.
 */
export function bodyCheckedByHandler(checked: TSchema): FastifySchemaCompiler<unknown> {
  return (route) => compile(route.httpPart === 'body' ? { ...route, schema: checked } : route);
}
