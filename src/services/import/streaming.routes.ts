import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type, type Static } from 'typebox';
import { mapSampleRows, type SampleError } from '../../engine/sample-mapping.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';
import { InletError } from '../../server/errors/inlet-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { headerValue } from '../../server/request-parts.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { findStreamingInlet, type StreamingInlet } from '../flowservice/streaming-flows.js';
import { StreamMessages, targetKey, type AcceptedMessage } from './stream-messages.js';
import type { StreamFlusher } from './stream-flusher.js';
import type { StreamQueue } from './stream-queue.repository.js';
import { DataCollectionErrorBody, InletHeaders, InletMessage, InletMessages, InletParams, MessageAccepted, MessagesAnswered, inletErrorAnswers } from './streaming-inlet.schema.js';

const InletQuery = Type.Object({
  syncValidation: Type.Optional(QueryBoolean({ description: 'Validate the message now and refuse it with its violations (AEP: for development).' })),
  synchronousValidation: Type.Optional(QueryBoolean({ description: 'The same as syncValidation, as the Postman collection spells it.' })),
  'x-adobe-flow-id': Type.Optional(Type.String({ description: 'The dataflow taking the records, when not sent as a header' })),
});
/** AEP's inlets take at most 1 MB in one request (docs streaming-multiple-messages.md, response codes: 413). */
const bodyLimit = 1024 * 1024;
/** Messages in one request to the batch endpoint. */
const maxMessages = 10_000;
/** How long an inlet's settings (say, `authenticationRequired`) may be read from memory before being read again. */
const inletCacheMs = 10_000;
const maxKnownInlets = 10_000;

export interface StreamingDeps {
  db: Kysely<Database>;
  now: () => number;
  layout: LakeLayout;
  queue: StreamQueue;
  flusher: StreamFlusher;
  /** The org of a valid access token, for inlets that require authentication. */
  verifyToken: (token: string) => Promise<{ orgId: string } | undefined>;
}

let transactions = 0;

const authentication =
  'A connection that requires authentication also needs Authorization: Bearer <access token> (and, when sent, x-gw-ims-org-id naming the inlet\'s organization).';
/** The inlets check their messages themselves, and refuse them in their own error shape. */
const inletRoute = { bodyLimit, validatorCompiler: handlerValidatedBody('nothing') };
const inletSchema = { tags: ['streaming'], security: [], params: InletParams, querystring: InletQuery, headers: InletHeaders };

/**
 * AEP's streaming inlets (Data Collection Core Service): `POST /collection/{inletId}` takes one message and
 * `POST /collection/batch/{inletId}` several, answered per message (207). Served at AEP's own path on
 * `dcs.adobedc.net` and under `/data/foundation/import`, as Adobe's Postman collection calls it. The inlet URL
 * is the credential, as at AEP: no gateway headers, unless the connection requires authentication.
 */
export function registerStreamingRoutes(app: FastifyInstance, deps: StreamingDeps): void {
  const repo = new ResourcesRepository(deps.db);
  app.addSchema(DataCollectionErrorBody);

  // An inlet id is found by reading the connections; a sender posts to the same one again and again.
  const known = new Map<string, { inlet: StreamingInlet; until: number }>();
  const findInlet = async (id: string): Promise<StreamingInlet | undefined> => {
    const cached = known.get(id);
    if (cached && cached.until > Date.now()) return cached.inlet;
    const inlet = await findStreamingInlet(deps.db, id);
    if (known.size >= maxKnownInlets) known.clear();
    if (inlet) known.set(id, { inlet, until: Date.now() + inletCacheMs });
    return inlet;
  };

  const openInlet = async (request: FastifyRequest<{ Params: Static<typeof InletParams> }>): Promise<StreamingInlet> => {
    const inlet = await findInlet(request.params.inletId);
    if (!inlet) throw new InletError('inletNotFound', `inletId: [${request.params.inletId}] is not a streaming connection's inlet`);
    if (inlet.authenticationRequired) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(request.headers.authorization) ?? '')?.[1];
      if (!bearer) throw new InletError('tokenMissing', `[${inlet.inletId}] Ims service token is empty`);
      const claims = await deps.verifyToken(bearer);
      if (!claims) throw new InletError('tokenMissing', `[${inlet.inletId}] Ims service token is not valid`);
      const org = headerValue(request.headers['x-gw-ims-org-id']);
      if (claims.orgId !== inlet.scope.orgId || (org !== undefined && org !== inlet.scope.orgId)) {
        throw new InletError('tokenForbidden', `[${inlet.inletId}] the token is not valid for the inlet's organization`);
      }
    }
    return inlet;
  };
  const flowIdOf = (request: FastifyRequest<{ Querystring: Static<typeof InletQuery> }>) => headerValue(request.headers['x-adobe-flow-id']) ?? request.query['x-adobe-flow-id'];
  const syncRequested = (query: Static<typeof InletQuery>) => query.syncValidation === true || query.synchronousValidation === true;

  /** Validates accepted records now, as a run would: the reasons of each that would not land as it is. */
  const validateNow = async (accepted: AcceptedMessage[]): Promise<SampleError[][]> => {
    const results: SampleError[][] = accepted.map(() => []);
    const groups = new Map<string, number[]>();
    accepted.forEach((message, i) => groups.set(targetKey(message.target), [...(groups.get(targetKey(message.target)) ?? []), i]));
    for (const indexes of groups.values()) {
      const first = accepted[indexes[0] as number] as AcceptedMessage;
      const mapped = await mapSampleRows({ rows: indexes.map((i) => (accepted[i] as AcceptedMessage).record), schema: first.schema.full, rules: first.rules, tempDir: deps.layout.tempDir(), reportAbsentSources: false });
      mapped.forEach((result, j) => (results[indexes[j] as number] = result.errors));
    }
    return results;
  };

  const enqueue = async (inlet: StreamingInlet, accepted: AcceptedMessage[], now: number) => {
    await deps.queue.append(inlet.scope, accepted.map((m) => ({ target: targetKey(m.target), body: JSON.stringify(m.record) })), now);
    deps.flusher.kick();
  };

  for (const prefix of ['/data/foundation/import/collection', '/collection']) {
    app.post<{ Params: Static<typeof InletParams>; Querystring: Static<typeof InletQuery>; Body: unknown }>(
      `${prefix}/:inletId`,
      {
        ...inletRoute,
        schema: {
          ...inletSchema,
          summary: 'Send a message to a streaming inlet',
          description: `The message is queued and lands with others as a batch of its dataset; with syncValidation it is validated first. ${authentication}`,
          body: InletMessage,
          response: { 200: MessageAccepted, ...inletErrorAnswers('invalidMessage', 'invalidRequest', 'tokenMissing', 'tokenForbidden', 'inletNotFound', 'payloadTooLarge') },
        },
      },
      async (request) => {
        const receivedTimeMs = deps.now();
        const inlet = await openInlet(request);
        const read = await new StreamMessages(repo, inlet, flowIdOf(request)).read(request.body);
        if ('refused' in read) throw new InletError('invalidMessage', read.refused);
        const sync = syncRequested(request.query);
        if (sync) {
          const [errors = []] = await validateNow([read]);
          // A record that fails synchronous validation is dropped, not queued (docs streaming-validation.md).
          if (errors.length > 0) throw new InletError('invalidMessage', `inletId: [${inlet.inletId}] imsOrgId: [${inlet.scope.orgId}] Message is invalid`, streamingValidation(errors));
        }
        await enqueue(inlet, [read], receivedTimeMs);
        return { inletId: inlet.inletId, xactionId: xactionId(receivedTimeMs), receivedTimeMs, syncValidation: sync ? { status: 'pass' } : { skipped: true } };
      },
    );

    app.post<{ Params: Static<typeof InletParams>; Querystring: Static<typeof InletQuery>; Body: unknown }>(
      `${prefix}/batch/:inletId`,
      {
        ...inletRoute,
        schema: {
          ...inletSchema,
          summary: 'Send several messages to a streaming inlet',
          description: `Each message is accepted or refused on its own (207). ${authentication}`,
          body: InletMessages,
          response: { 207: MessagesAnswered, ...inletErrorAnswers('invalidRequest', 'tokenMissing', 'tokenForbidden', 'inletNotFound', 'payloadTooLarge') },
        },
      },
      async (request, reply) => {
        const receivedTimeMs = deps.now();
        const inlet = await openInlet(request);
        const messages = isRecord(request.body) ? request.body.messages : undefined;
        if (!Array.isArray(messages)) throw new InletError('invalidRequest', 'The request body needs "messages": an array of messages, each {header, body}');
        if (messages.length > maxMessages) throw new InletError('invalidRequest', `A request takes at most ${maxMessages} messages; it has ${messages.length}`);
        const reader = new StreamMessages(repo, inlet, flowIdOf(request));
        const read = await Promise.all(messages.map((message) => reader.read(message)));
        const accepted = read.flatMap((r, i) => ('refused' in r ? [] : [{ index: i, message: r }]));
        // AEP documents syncValidation for single messages; sent here it is honoured message by message.
        const errors = syncRequested(request.query) ? await validateNow(accepted.map((a) => a.message)) : accepted.map(() => []);
        const queued = accepted.filter((_, j) => (errors[j] ?? []).length === 0);
        await enqueue(inlet, queued.map((a) => a.message), receivedTimeMs);
        const batchId = xactionId(receivedTimeMs);
        const invalid = new Map(accepted.map((a, j) => [a.index, errors[j] ?? []]));
        const responses = read.map((r, i) => {
          if ('refused' in r) return { statusCode: 400, message: r.refused };
          const found = invalid.get(i) ?? [];
          if (found.length > 0) return { statusCode: 400, message: `inletId: [${inlet.inletId}] imsOrgId: [${inlet.scope.orgId}] Message is invalid: ${found.map((e) => e.exception).join('; ')}` };
          return { xactionId: `${batchId}:${i}` };
        });
        return reply.status(207).send({ inletId: inlet.inletId, batchId, receivedTimeMs, responses });
      },
    );
  }
}

function xactionId(receivedTimeMs: number): string {
  transactions = (transactions + 1) % 1_000_000;
  return `${receivedTimeMs}:${process.pid % 10_000}:${transactions}`;
}

/** The validation report of a synchronous validation, in the shape of AEP's streaming validation service. */
function streamingValidation(errors: SampleError[]): Record<string, unknown> {
  return {
    _streamingValidation: [
      {
        schemaLocation: '#',
        pointerToViolation: '#',
        causingExceptions: errors.map((error) => {
          const field = error.destination ?? error.source;
          const pointer = field ? `#/${field.split('.').join('/')}` : '#';
          const keyword = error.code === 'INGEST-1556-400' ? 'additionalProperties' : error.code === 'INGEST-1555-400' ? 'required' : 'type';
          return { schemaLocation: field ? `#/properties/${field.split('.').join('/properties/')}` : '#', pointerToViolation: pointer, causingExceptions: [], keyword, message: error.exception };
        }),
        message: `${errors.length} schema violation${errors.length === 1 ? '' : 's'} found`,
      },
    ],
  };
}
