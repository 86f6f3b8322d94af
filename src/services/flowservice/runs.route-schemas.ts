import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { IdParams } from '../../server/request-parts.js';
import { listAnswer, objectVersionAnswer, oneItemAnswer, RunAnswer } from './flow-answers.schema.js';
import { FlowListQuery, flowListErrors } from './flow-listing.js';
import { RunRequest } from './flow-requests.schema.js';

const tags = ['flowservice'];

export const RunActionQuery = Type.Object({ op: Type.String({ description: 're-trigger' }) });

/**
 * Why a run cannot start (no such flow, not a one-time flow, disabled, ...: 400), that one is in progress (409),
 * or that its source's credentials would go elsewhere than where they were saved for (409).
 */
const startErrors = ['validation', 'conflict', 'credentialsMoved'] as const;

/** The route schemas (validation and API reference) of the runs routes. */
export const runSchemas = {
  list: {
    tags,
    summary: 'List flow runs',
    description: "Newest first unless orderby says otherwise; property=flowId==<id> gives one flow's runs.",
    querystring: FlowListQuery,
    response: { 200: listAnswer(RunAnswer, 'runs'), ...errorAnswers(...flowListErrors) },
  },
  get: { tags, summary: 'Look up a flow run', params: IdParams, response: { 200: oneItemAnswer(RunAnswer, 'run'), ...errorAnswers('notFound') } },
  start: {
    tags,
    summary: 'Start a run of a one-time flow',
    description: 'Only flows with frequency once run on demand. Answers once the run is recorded; GET /runs/{id} follows it.',
    body: RunRequest,
    response: { 201: objectVersionAnswer("Started: the run's id and etag"), ...errorAnswers(...startErrors) },
  },
  retrigger: {
    tags,
    summary: 'Re-trigger a failed flow run',
    description: 'Starts a new run over the same window; for failed runs and successful ones that ingested nothing.',
    params: IdParams,
    querystring: RunActionQuery,
    response: { 201: objectVersionAnswer("Started: the new run's id and etag"), ...errorAnswers('notFound', ...startErrors) },
  },
} satisfies Record<string, FastifySchema>;
