import type { FastifySchemaCompiler } from 'fastify';
import { ajvWithFormats } from './ajv-with-formats.js';
import { acceptingQueryBooleans } from './query-boolean.js';

/**
 * Bodies are validated strictly (a string is not an integer: the client must hear about it), while
 * query strings, params and headers are text on the wire and are coerced to the schema's types; boolean
 * query parameters also take the spellings clients send (see `QueryBoolean`).
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = ajvWithFormats({ coerceTypes: false, useDefaults: true });
  const coercing = ajvWithFormats({ coerceTypes: 'array', useDefaults: true });
  return ({ schema, httpPart }) => {
    // A binary body (a file upload) is bytes, not JSON: its schema only documents it.
    if (httpPart === 'body' && isBinary(schema)) return () => true;
    if (httpPart === 'body') return strict.compile(schema as object);
    const validate = coercing.compile(schema as object);
    return httpPart === 'querystring' ? acceptingQueryBooleans(schema, validate) : validate;
  };
}

/** `{type: 'string', format: 'binary'}`: how OpenAPI describes a body of raw bytes. */
export function isBinary(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'string' && (schema as { format?: unknown }).format === 'binary';
}
