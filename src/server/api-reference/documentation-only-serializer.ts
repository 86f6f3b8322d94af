import type { FastifySerializerCompiler } from 'fastify';

/**
 * Response schemas are the API reference's, not a filter: every answer is written as the handler built it, so
 * documenting a route can never drop or retype a field a client reads.
 */
export const documentationOnlySerializer: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);
