import { Type } from 'typebox';
import { problemAnswers, type DocumentedAnswer } from '../../server/api-reference/error-answers.js';
import { inletErrors, type InletErrorKey } from '../../server/errors/inlet-error.js';

/**
 * Requests and answers of the streaming inlets (`/collection/...`), for the API reference. The inlets check each
 * message themselves and answer a refusal in the Data Collection shape, so the message schemas only document.
 */

const SchemaRef = Type.Object(
  {
    id: Type.String({ description: "The $id of the dataset's XDM schema" }),
    contentType: Type.Optional(Type.String({ examples: ['application/vnd.adobe.xed-full+json;version=1'] })),
  },
  { additionalProperties: true },
);

/** An XDM message: where the record goes (header) and the record (body.xdmEntity). */
const XdmMessage = Type.Object(
  {
    header: Type.Object(
      {
        schemaRef: Type.Optional(SchemaRef),
        imsOrgId: Type.Optional(Type.String({ description: "The inlet's organization; a message naming another is refused" })),
        datasetId: Type.Optional(Type.String({ description: 'The dataset the record lands in; the dataflow\'s when left out' })),
        flowId: Type.Optional(Type.String({ description: 'A dataflow taking this inlet\'s records (its dataset and mapping apply)' })),
        source: Type.Optional(Type.Object({ name: Type.Optional(Type.String()) }, { additionalProperties: true })),
      },
      { additionalProperties: true },
    ),
    body: Type.Object(
      {
        xdmMeta: Type.Optional(Type.Object({ schemaRef: Type.Optional(SchemaRef) }, { additionalProperties: true })),
        xdmEntity: Type.Object({}, { additionalProperties: true, description: 'The record, shaped by the dataset\'s schema' }),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true, title: 'XDM message' },
);

/** A raw inlet's message is the record itself, mapped by the dataflow named by `x-adobe-flow-id`. */
const RawRecord = Type.Object({}, { additionalProperties: true, title: 'Raw record', description: "A raw inlet's record, as the source has it" });

export const InletMessage = Type.Union([XdmMessage, RawRecord], { description: "An XDM message, or for a raw inlet the record itself; one that does not fit the inlet is refused with 400" });

export const InletMessages = Type.Object({ messages: Type.Array(InletMessage, { description: 'At most 10,000 messages, answered one by one' }) }, { additionalProperties: true });

export const InletParams = Type.Object({ inletId: Type.String({ minLength: 1, description: "The streaming connection's inlet id" }) });

/** Authorization and x-gw-ims-org-id are read too, but only for a connection that requires authentication (see the description). */
export const InletHeaders = Type.Object({
  'x-adobe-flow-id': Type.Optional(Type.String({ description: 'The dataflow taking the records; required by a raw inlet' })),
});

const ReceivedTimeMs = Type.Integer({ description: 'When the inlet received the request, in milliseconds since the epoch' });

export const MessageAccepted = Type.Object({
  inletId: Type.String(),
  xactionId: Type.String({ description: 'The message\'s transaction id' }),
  receivedTimeMs: ReceivedTimeMs,
  syncValidation: Type.Union([
    Type.Object({ status: Type.Literal('pass') }, { description: 'Validated at once (syncValidation=true): the record is valid' }),
    Type.Object({ skipped: Type.Literal(true) }, { description: 'Validated when the records land' }),
  ]),
});

export const MessagesAnswered = Type.Object({
  inletId: Type.String(),
  batchId: Type.String({ description: 'The request\'s transaction id; each accepted message\'s is <batchId>:<index>' }),
  receivedTimeMs: ReceivedTimeMs,
  responses: Type.Array(
    Type.Union([
      Type.Object({ xactionId: Type.String() }, { description: 'The message was accepted' }),
      Type.Object({ statusCode: Type.Literal(400), message: Type.String() }, { description: 'The message was refused, and why' }),
    ]),
    { description: 'One answer per message, in the order sent' },
  ),
});

/** The Data Collection error body (see `InletError`): every refusal of an inlet, whatever its cause. */
export const DataCollectionErrorBody = Type.Object(
  {
    type: Type.String({ examples: [inletErrors.inletNotFound.type] }),
    status: Type.Integer(),
    title: Type.String(),
    report: Type.Object(
      {
        message: Type.String(),
        cause: Type.Optional(
          Type.Object(
            { _streamingValidation: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'The schema violations of a message validated at once' })) },
            { additionalProperties: true },
          ),
        ),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'DataCollectionError' },
);

/** The error answers of an inlet, one per status, each describing its errors by title. */
export function inletErrorAnswers(...keys: InletErrorKey[]): Record<number, DocumentedAnswer> {
  return problemAnswers(keys.map((key) => inletErrors[key]), 'DataCollectionError');
}
