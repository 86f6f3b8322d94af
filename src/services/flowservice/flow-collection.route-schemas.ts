import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { IdParams } from '../../server/request-parts.js';
import { listAnswer, objectVersionAnswer, oneItemAnswer } from './flow-answers.schema.js';
import type { FlowCollection, StoredFlowObject } from './flow-collection.js';
import { FlowListQuery, flowListErrors } from './flow-listing.js';
import { patchRequest } from './flow-requests.schema.js';

const tags = ['flowservice'];

export const IfMatchQuery = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The etag, for clients that cannot send the If-Match header (the header wins)' })),
});

/** Documents the If-Match header; any value passes here, the handler compares it with the etag. */
export const IfMatchHeader = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The etag from the last GET, quoted or not' })) });

/** The errors of a PATCH's own steps: If-Match, the object, the patch itself. */
const patchErrors = ['ifMatchMissing', 'notFound', 'etagMismatch', 'emptyBody', 'patchOpUnsupported', 'patchPathMissing', 'patchFailed', 'readOnlyField'] as const;

/** The route schemas (validation and API reference) of one collection's five operations. */
export function flowCollectionSchemas(collection: Pick<FlowCollection<StoredFlowObject>, 'reference' | 'patchable'>): Record<'list' | 'get' | 'create' | 'update' | 'remove', FastifySchema> {
  const { one, many, request, answer, createErrors, updateErrors, deleteErrors } = collection.reference;
  return {
    list: { tags, summary: `List ${many}`, querystring: FlowListQuery, response: { 200: listAnswer(answer, many), ...errorAnswers(...flowListErrors) } },
    get: { tags, summary: `Look up a ${one}`, params: IdParams, response: { 200: oneItemAnswer(answer, one), ...errorAnswers('notFound') } },
    create: {
      tags,
      summary: `Create a ${one}`,
      description: "Answers the new id and etag, with the object's URL in Location. Every field at fault is named in one answer.",
      body: request,
      response: { 201: objectVersionAnswer(`Created: the new ${one}'s id and etag`), ...errorAnswers(...createErrors) },
    },
    update: {
      tags,
      summary: `Update a ${one} (JSON Patch; If-Match: its etag)`,
      description: `Changes only ${collection.patchable.join(', ')}; the patched ${one} is checked as on create. Answers the new etag.`,
      params: IdParams,
      querystring: IfMatchQuery,
      headers: IfMatchHeader,
      consumes: ['application/json', 'application/json-patch+json'],
      body: patchRequest(collection.patchable),
      response: { 200: objectVersionAnswer(`Updated: the ${one}'s new etag`), ...errorAnswers(...patchErrors, ...updateErrors) },
    },
    remove: {
      tags,
      summary: `Delete a ${one}`,
      ...(deleteErrors.includes('inUse') ? { description: `Refused while another object still uses the ${one}.` } : {}),
      params: IdParams,
      response: { 204: { description: 'Deleted', type: 'null' }, ...errorAnswers('notFound', ...deleteErrors) },
    },
  };
}
