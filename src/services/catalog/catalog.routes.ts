import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { Type, type Static } from 'typebox';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { clientErrorBody } from '../../server/errors/error-handler.js';
import { headerValue } from '../../server/request-parts.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import { batchOperations } from './batch.operations.js';
import { targetConnectionsForDataSet } from '../flowservice/target-connections.js';
import { BatchesRepository } from './batches.repository.js';
import { DataSetsRepository } from './datasets.repository.js';
import { TagsRepository } from './tags.repository.js';
import { batchedRequestOperation } from './batched-requests.js';
import { jsonAnswer, LocationHeader, ReferenceList } from './catalog-answers.schema.js';
import type { CatalogCall, CatalogOperation } from './catalog-operation.js';
import { createDataSet, dataSetOperations, DataSetRequest } from './dataset.operations.js';
import { overviewOperations } from './overview.operations.js';

const base = '/data/foundation/catalog';
const CreateQuery = Type.Object({ requestDataSource: Type.Optional(QueryBoolean()) });
const tags = ['catalog'];

/**
 * Catalog Service: datasets, batches, the last batches per dataset, tags, and batched requests. Every operation
 * is one `CatalogOperation`, registered here as a route and reachable from `POST /` as a sub-request.
 */
export function registerCatalogRoutes(app: FastifyInstance, deps: ServiceDeps & { layout: LakeLayout }): void {
  const createDataSetOperation: CatalogOperation = {
    method: 'POST',
    path: '/dataSets',
    summary: 'Create a dataset (requestDataSource=true: with a data source id)',
    schema: { querystring: CreateQuery, body: DataSetRequest },
    response: { 201: jsonAnswer('The dataset created; its path is in Location', ReferenceList, { location: LocationHeader }), ...errorAnswers('validation') },
    run: (call) => createDataSet(call, { requestDataSource: (call.query as Static<typeof CreateQuery>).requestDataSource === true }),
  };
  const operations = [createDataSetOperation, ...dataSetOperations(deps), ...batchOperations(deps), ...overviewOperations()];
  const subRequests = operations.filter((op) => op.path !== '/');
  for (const operation of [...operations, batchedRequestOperation(subRequests)]) register(app, deps, operation);
}

function register(app: FastifyInstance, deps: ServiceDeps, operation: CatalogOperation): void {
  app.route({
    method: operation.method,
    url: operation.path === '/' ? base : `${base}${operation.path}`,
    schema: { tags, summary: operation.summary, ...operation.schema, response: operation.response },
    handler: async (request, reply) => {
      const effects: (() => void)[] = [];
      const call = (db: typeof deps.db | Transaction<Database>): CatalogCall => ({
        ctx: request.ctx,
        repo: new ResourcesRepository(db),
        batches: new BatchesRepository(db),
        dataSets: new DataSetsRepository(db),
        tags: new TagsRepository(db),
        targetsOf: (dataSetId) => targetConnectionsForDataSet(db, request.ctx.scope, dataSetId),
        params: request.params as Record<string, string>,
        query: (request.query ?? {}) as Record<string, unknown>,
        body: request.body,
        headers: { ifMatch: headerValue(request.headers['if-match']), ifNoneMatch: headerValue(request.headers['if-none-match']), origin: `${request.protocol}://${request.host}` },
        now: deps.now(),
        afterCommit: (effect) => effects.push(effect),
        errorBody: (error) => clientErrorBody(error, request),
      });
      // A write runs in one transaction, so its checks and its changes see the same state; files wait for the commit.
      const answer =
        operation.method === 'GET'
          ? await operation.run(call(deps.db))
          : await deps.db.transaction().execute((trx) => operation.run(call(trx)));
      runEffects(effects, request);
      if (answer.location) void reply.header('location', answer.location);
      if (answer.etag) void reply.header('etag', `"${answer.etag}"`);
      return reply.status(answer.status).send(answer.body);
    },
  });
}

/** The committed state already hides what these remove; a failure only leaves unread files behind, so it is logged. */
function runEffects(effects: (() => void)[], request: FastifyRequest): void {
  for (const effect of effects) {
    try {
      effect();
    } catch (error) {
      request.log.warn({ err: error }, 'could not remove lake files after a Catalog change');
    }
  }
}
