import type { FastifySchemaCompiler } from 'fastify';
import { createValidatorCompiler } from '../validator-compiler.js';

let partCompiler: FastifySchemaCompiler<unknown> | undefined;

/**
 * The `validatorCompiler` of a route whose handler checks its JSON body field by field (naming every bad field at
 * once, in its own words): the body schema then documents the fields for the API reference, and validates only
 * what the route validated before it was documented. `'object'` still refuses a body that is not a JSON object;
 * `'nothing'` lets any body through (the streaming inlets refuse a bad message in their own error shape). The
 * params, query string and headers are validated as on every other route.
 *
 * ```ts
 * app.post(url, { validatorCompiler: handlerValidatedBody('object'), schema: { body: CreateBatchBody } }, handler);
 * ```
 */
export function handlerValidatedBody(bodyCheck: 'object' | 'nothing'): FastifySchemaCompiler<unknown> {
  return (route) => {
    partCompiler ??= createValidatorCompiler();
    if (route.httpPart !== 'body') return partCompiler(route);
    return partCompiler({ ...route, schema: bodyCheck === 'object' ? { type: 'object' } : {} });
  };
}
