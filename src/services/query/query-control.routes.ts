import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import { queryBase } from './queries.js';
import type { QueryRuns } from './query-runs.js';
import { QueryPatchAnswer, QueryPatchBody } from './query.schema.js';

const tags = ['query'];

/** Cancelling and removing queries: AEP's `PATCH {"op": "cancel" | "soft_delete"}`, and DELETE. */
export function registerQueryControlRoutes(app: FastifyInstance, deps: { queries: QueryRuns }): void {
  app.patch<{ Params: Static<typeof IdParams>; Body: QueryPatchBody }>(
    `${queryBase}/queries/:id`,
    {
      schema: {
        tags,
        summary: 'Cancel a query, or remove it',
        description: '`{"op":"cancel"}` stops a running query (it ends CANCELLED and its worker is killed); `{"op":"soft_delete"}` removes the query and its result, as DELETE does.',
        params: IdParams,
        body: QueryPatchBody,
        response: { 202: QueryPatchAnswer, ...errorAnswers('validation', 'notFound', 'stateNotAllowed') },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (request.body.op === 'soft_delete') {
        if (!(await deps.queries.remove(request.ctx.scope, id))) throw notFound('queries', id);
        return reply.status(202).send({ message: 'Query soft delete request received', statusCode: 202 });
      }
      const outcome = await deps.queries.cancel(request.ctx.scope, id);
      if (outcome.kind === 'notFound') throw notFound('queries', id);
      if (outcome.kind === 'finished') {
        throw new ApiError('stateNotAllowed', `Query ${id} has finished (${outcome.state}); only a SUBMITTED or IN_PROGRESS query can be cancelled.`, {
          problems: [{ in: 'body', path: '/op', message: `query is ${outcome.state}` }],
        });
      }
      return reply.status(202).send({ message: 'Query cancel request received', statusCode: 202 });
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    `${queryBase}/queries/:id`,
    { schema: { tags, summary: 'Remove a query and its result', description: 'A running query is cancelled first.', params: IdParams, response: { 204: { type: 'null', description: 'Removed' }, ...errorAnswers('notFound') } } },
    async (request, reply) => {
      if (!(await deps.queries.remove(request.ctx.scope, request.params.id))) throw notFound('queries', request.params.id);
      return reply.status(204).send();
    },
  );
}
