import type { FastifySchemaCompiler } from 'fastify';
import { ajvWithFormats } from './ajv-with-formats.js';

/**
 * Bodies are validated strictly (a string is not an integer: the client must hear about it), while
 * query strings, params and headers are text on the wire and are coerced to the schema's types.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = ajvWithFormats({ coerceTypes: false, useDefaults: true });
  const coercing = ajvWithFormats({ coerceTypes: 'array', useDefaults: true });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
