import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { QueryError } from '../../lake/query-error.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { parseStoredQuery, parseStoredResult, queryBase, queryDocument, queryKind, queryResultKind } from './queries.js';
import { CreateQueryBody, QueryAnswer, QueryObject, QueryResults, ResultsQuery, type StoredQuery, type StoredResult } from './query.schema.js';
import { queryLimits, runQuery } from './run-query.js';

export interface QueryRouteDeps {
  db: Kysely<Database>;
  now: () => number;
  layout: LakeLayout;
}

const tags = ['query'];

/**
 * Query Service: read-only SQL over the sandbox's datasets. A query runs while the POST waits; the answer
 * carries its final state and its rows, and both stay readable by id.
 */
export function registerQueryRoutes(app: FastifyInstance, deps: QueryRouteDeps): void {
  const repo = new ResourcesRepository(deps.db);

  app.post<{ Body: CreateQueryBody }>(`${queryBase}/queries`, { schema: { tags, summary: "Run a SQL query over the sandbox's datasets", body: CreateQueryBody, response: { 202: QueryAnswer, ...errorAnswers('validation') } } }, async (request, reply) => {
    const { ctx, body } = request;
    const dbName = `${ctx.sandbox.name}:all`;
    if (body.dbName !== dbName) {
      throw new ApiError('validation', `dbName "${body.dbName}" does not name the sandbox of this request (x-sandbox-name "${ctx.sandbox.name}"); send "${dbName}".`, {
        problems: [{ in: 'body', path: '/dbName', message: `must be "${dbName}"` }],
      });
    }
    const started = deps.now();
    const answer = await runQuery(deps, { ...ctx.scope, sandboxName: ctx.sandbox.name }, body.sql, { rows: body.limit ?? queryLimits.rows, timeoutMs: queryLimits.timeoutMs }).catch((error: unknown) => {
      throw error instanceof QueryError ? asApiError(error) : error;
    });
    const finished = deps.now();
    const query: StoredQuery = {
      id: crypto.randomUUID(),
      dbName: body.dbName,
      sql: body.sql,
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      rowCount: answer.rows.length,
      truncated: answer.truncated,
      elapsedTime: finished - started,
      created: started,
      updated: finished,
      clientId: ctx.clientId,
      userId: ctx.userId,
      referencedDataSets: answer.dataSetIds,
    };
    const result: StoredResult = { columns: answer.columns, rows: answer.rows };
    await deps.db.transaction().execute(async (trx) => {
      const tx = new ResourcesRepository(trx);
      await tx.insert(ctx.scope, { kind: queryKind, id: query.id, body: query, secret: null, etag: '1', createdAt: started, updatedAt: finished });
      await tx.insert(ctx.scope, { kind: queryResultKind, id: query.id, body: result, secret: null, etag: '1', createdAt: started, updatedAt: finished });
    });
    // 202 as AEP answers a submitted query; the state in the body is already final.
    void reply.header('location', `${queryBase}/queries/${query.id}`);
    return reply.status(202).send({ ...queryDocument(query), columns: result.columns, rows: result.rows });
  });

  app.get<{ Params: Static<typeof IdParams> }>(`${queryBase}/queries/:id`, { schema: { tags, summary: 'Look up a query', params: IdParams, response: { 200: QueryObject, ...errorAnswers('notFound') } } }, async (request) => {
    const stored = await repo.get(queryKind, request.ctx.scope, request.params.id);
    if (!stored) throw notFound('queries', request.params.id);
    return queryDocument(parseStoredQuery(stored.body));
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: ResultsQuery }>(
    `${queryBase}/queries/:id/results`,
    { schema: { tags, summary: "Read a page of a query's rows", params: IdParams, querystring: ResultsQuery, response: { 200: QueryResults, ...errorAnswers('notFound') } } },
    async (request): Promise<QueryResults> => {
      const [stored, storedResult] = await Promise.all([repo.get(queryKind, request.ctx.scope, request.params.id), repo.get(queryResultKind, request.ctx.scope, request.params.id)]);
      if (!stored || !storedResult) throw notFound('queries', request.params.id);
      const query = parseStoredQuery(stored.body);
      const result = parseStoredResult(storedResult.body);
      const start = request.query.start ?? 0;
      const limit = request.query.limit ?? queryLimits.rows;
      const rows = result.rows.slice(start, start + limit);
      return {
        columns: result.columns,
        rows,
        truncated: query.truncated,
        _page: { start, limit, count: rows.length, total: result.rows.length },
        _links: { query: { href: `${queryBase}/queries/${query.id}`, method: 'GET' } },
      };
    },
  );
}

/** What a query's author must fix is a 400 with DuckDB's own words, never a 500. */
function asApiError(error: QueryError): ApiError {
  const message = error.kind === 'timeout' ? `${error.message} Narrow it (WHERE, LIMIT) or aggregate.` : error.message;
  return new ApiError('validation', message, { problems: [{ in: 'body', path: '/sql', message: message.split('\n')[0] ?? message }] });
}
