import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { QueryError } from '../../lake/query-error.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { currentState, parseStoredQuery, parseStoredResult, queryBase, queryDocument, queryKind, queryResultKind } from './queries.js';
import { registerQueryControlRoutes } from './query-control.routes.js';
import type { QueryRuns } from './query-runs.js';
import { CreateQueryBody, maxResultRows, QueryAnswer, QueryObject, QueryResults, ResultsQuery } from './query.schema.js';

export interface QueryRouteDeps {
  db: Kysely<Database>;
  now: () => number;
  queries: QueryRuns;
}

const tags = ['query'];

/**
 * Query Service: read-only SQL over the sandbox's datasets. A query is recorded, runs in a query worker while the
 * POST waits, and its answer carries its final state and its rows; both stay readable by id, the rows until
 * they expire.
 */
export function registerQueryRoutes(app: FastifyInstance, deps: QueryRouteDeps): void {
  const repo = new ResourcesRepository(deps.db);

  app.post<{ Body: CreateQueryBody }>(
    `${queryBase}/queries`,
    {
      schema: {
        tags,
        summary: "Run a SQL query over the sandbox's datasets",
        description: 'Waits for the query and answers its rows. An org runs a few queries at once, a server a few more: past that the answer is 429 with `Retry-After`.',
        body: CreateQueryBody,
        response: { 202: QueryAnswer, ...errorAnswers('validation', 'tooManyRequests', 'gone') },
      },
    },
    async (request, reply) => {
      const { ctx, body } = request;
      const dbName = `${ctx.sandbox.name}:all`;
      if (body.dbName !== dbName) {
        throw new ApiError('validation', `dbName "${body.dbName}" does not name the sandbox of this request (x-sandbox-name "${ctx.sandbox.name}"); send "${dbName}".`, {
          problems: [{ in: 'body', path: '/dbName', message: `must be "${dbName}"` }],
        });
      }
      // A client that hangs up before its answer (a timeout of its own, Ctrl-C) gets its query cancelled.
      const hungUp = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) hungUp.abort();
      });
      const submitted = await deps.queries.submit({ scope: { ...ctx.scope, sandboxName: ctx.sandbox.name }, clientId: ctx.clientId, userId: ctx.userId }, body, hungUp.signal);
      const document = queryDocument(submitted.query, deps.now());
      // 202 as AEP answers a submitted query; the state in the body is already final.
      void reply.status(202).header('location', `${queryBase}/queries/${submitted.query.id}`);
      if ('failure' in submitted) {
        if (submitted.failure.kind !== 'cancelled') throw asApiError(submitted.failure, submitted.query.id);
        return reply.send({ ...document, columns: [], rows: [] });
      }
      const { result } = submitted;
      if ('rows' in result) return reply.send({ ...document, columns: result.columns, rows: result.rows });
      const pieces = await deps.queries.files.answerWithRows(submitted.query.id, { ...document, columns: result.columns });
      if (!pieces) throw new ApiError('gone', `The rows of query ${submitted.query.id} were removed before they could be sent.`);
      return reply.header('content-type', 'application/json; charset=utf-8').send(Readable.from(pieces));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(`${queryBase}/queries/:id`, { schema: { tags, summary: 'Look up a query', params: IdParams, response: { 200: QueryObject, ...errorAnswers('notFound') } } }, async (request) => {
    const stored = await repo.get(queryKind, request.ctx.scope, request.params.id);
    if (!stored) throw notFound('queries', request.params.id);
    return queryDocument(parseStoredQuery(stored.body), deps.now());
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: ResultsQuery }>(
    `${queryBase}/queries/:id/results`,
    {
      schema: {
        tags,
        summary: "Read a page of a query's rows",
        description: 'Rows are kept for a while after the query (a day unless the server is set otherwise); after that the answer is 410.',
        params: IdParams,
        querystring: ResultsQuery,
        response: { 200: QueryResults, ...errorAnswers('notFound', 'stateNotAllowed', 'gone') },
      },
    },
    async (request): Promise<QueryResults> => {
      const { id } = request.params;
      const [stored, storedResult] = await Promise.all([repo.get(queryKind, request.ctx.scope, id), repo.get(queryResultKind, request.ctx.scope, id)]);
      if (!stored) throw notFound('queries', id);
      const query = parseStoredQuery(stored.body);
      const { state } = currentState(query, deps.now());
      if (state !== 'SUCCESS') throw new ApiError('stateNotAllowed', `Query ${id} is ${state}: only a query in state SUCCESS has rows to read.`);
      const expired = () => new ApiError('gone', `The rows of query ${id} have expired (results are kept ${hours(deps.queries.limits.resultTtlMs)} after their query); run the query again.`);
      if (!storedResult || storedResult.createdAt + deps.queries.limits.resultTtlMs <= deps.now()) throw expired();
      const start = request.query.start ?? 0;
      const limit = request.query.limit ?? maxResultRows;
      const result = parseStoredResult(storedResult.body);
      const page = await deps.queries.files.page(id, result, start, limit);
      if (!page) throw expired();
      return {
        columns: result.columns,
        rows: page.rows,
        truncated: query.truncated,
        _page: { start, limit, count: page.rows.length, total: page.total },
        _links: { query: { href: `${queryBase}/queries/${query.id}`, method: 'GET' } },
      };
    },
  );

  registerQueryControlRoutes(app, { queries: deps.queries });
}

/** What a query's author must fix is a 400 with DuckDB's own words (or the bound it hit), never a 500. */
function asApiError(error: QueryError, queryId: string): ApiError {
  const advice: Partial<Record<QueryError['kind'], string>> = {
    timeout: ' Narrow it (WHERE, LIMIT) or aggregate.',
    // DuckDB ends a statement that fills its spill space with the same error class as one over its memory.
    memory: ` Narrow it (WHERE, LIMIT) or aggregate; the server sets the cap (${/temp[_ ]directory/i.test(error.message) ? 'TRIBUTARY_QUERY_TEMP_MB' : 'TRIBUTARY_QUERY_MEMORY_MB'}).`,
  };
  const message = `${error.message}${advice[error.kind] ?? ''}`;
  // The failed query is recorded too: its id lets the client look it up.
  return new ApiError('validation', message, { problems: [{ in: 'body', path: '/sql', message: message.split('\n')[0] ?? message }], report: { queryId } });
}

function hours(ms: number): string {
  const h = ms / 3600_000;
  return h >= 1 && Number.isInteger(h) ? `${h} hour${h === 1 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}
