import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors/api-error.js';

/**
 * Refuses a URL that spells a NUL character (`%00`): no id, name or filter holds one, and the metadata store's
 * PostgreSQL text cannot carry it, so it would fail the lookup with a 500 instead of answering the client.
 * (JSON bodies may hold one: they are stored as JSON, which escapes it.)
 */
export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  const url = request.url;
  const at = url.search(/%00/i);
  if (at < 0) return;
  const queryAt = url.indexOf('?');
  if (queryAt >= 0 && at > queryAt) {
    const parameter = [...new URLSearchParams(url.slice(queryAt + 1))].find(([name, value]) => `${name}${value}`.includes('\u0000'))?.[0] ?? '';
    throw new ApiError('validation', `Query parameter "${parameter.replaceAll('\u0000', '%00')}" holds a NUL character (%00), which no id, name or filter can contain.`, {
      problems: [{ in: 'query', path: parameter.replaceAll('\u0000', '%00'), message: 'must not contain %00' }],
    });
  }
  throw new ApiError('validation', 'The request path holds a NUL character (%00), which no id or name can contain.', {
    problems: [{ in: 'path', path: url.slice(0, queryAt >= 0 ? queryAt : undefined), message: 'must not contain %00' }],
  });
}
