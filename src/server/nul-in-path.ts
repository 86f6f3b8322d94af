import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors/api-error.js';

/**
 * Answers 404 for a path that spells a NUL character (`%00`): no id or name in a path holds one, and the metadata
 * store's PostgreSQL text cannot carry it, so the lookup would fail with a 500 instead. (A NUL in a query filter is
 * the listing's to answer: it matches no indexed text, and the lists read such a filter without their index.)
 */
export async function refuseNulInPath(request: FastifyRequest): Promise<void> {
  const queryAt = request.url.indexOf('?');
  const path = queryAt >= 0 ? request.url.slice(0, queryAt) : request.url;
  if (!/%00/i.test(path)) return;
  throw new ApiError('notFound', 'Nothing here has an id or name holding a NUL character (%00).', { report: { path } });
}
