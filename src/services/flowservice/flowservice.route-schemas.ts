import type { FastifySchema } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { IdParams } from '../../server/request-parts.js';
import { listAnswer, objectVersionAnswer, oneItemAnswer } from './flow-answers.schema.js';
import { IfMatchHeader } from './flow-collection.route-schemas.js';
import { FlowListQuery, flowListErrors } from './flow-listing.js';

const tags = ['flowservice'];

/** The schemas of a list of built-in specs (connection or flow specs) and of one of them. */
export function specSchemas(one: string, many: string, answer: TSchema): Record<'list' | 'get', FastifySchema> {
  return {
    list: { tags, summary: `List ${many}`, querystring: FlowListQuery, response: { 200: listAnswer(answer, many), ...errorAnswers(...flowListErrors) } },
    get: { tags, summary: `Look up a ${one}`, params: IdParams, response: { 200: oneItemAnswer(answer, one), ...errorAnswers('notFound') } },
  };
}

export const FlowActionQuery = Type.Object({
  op: Type.String({ description: 'enable or disable' }),
  'if-match': Type.Optional(Type.String({ description: 'The etag, for clients that cannot send the If-Match header; without either the action is not conditional' })),
});

export const flowActionSchema: FastifySchema = {
  tags,
  summary: 'Enable or disable a flow',
  description: 'A disabled flow does not run until it is enabled again. Answers the new etag.',
  params: IdParams,
  querystring: FlowActionQuery,
  headers: IfMatchHeader,
  response: { 200: objectVersionAnswer("Done: the flow's new etag"), ...errorAnswers('notFound', 'etagMismatch') },
};
