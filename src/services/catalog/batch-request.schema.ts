import { Type } from 'typebox';

/** Every status Catalog knows for a batch (catalog.yaml `batchStatus`). */
export const batchStatuses = [
  'processing',
  'success',
  'failure',
  'queued',
  'retrying',
  'stalled',
  'aborted',
  'abandoned',
  'inactive',
  'failed',
  'loading',
  'loaded',
  'staged',
  'active',
  'staging',
  'deleted',
] as const;

/** The kinds of object a batch can relate to (catalog.yaml `relatedObjects.type`). */
export const relatedObjectTypes = ['batch', 'dataSet', 'dataSetFile', 'dataSetView', 'transform'] as const;

const Timestamp = Type.Integer({ minimum: 0, description: 'Epoch milliseconds' });
const Count = Type.Integer({ minimum: 0 });

const BatchError = Type.Object(
  {
    code: Type.Optional(Type.String()),
    rows: Type.Optional(Type.Array(Type.String())),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const RelatedObject = Type.Object(
  {
    type: Type.Enum([...relatedObjectTypes]),
    id: Type.String({ minLength: 1, maxLength: 512 }),
    tag: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(BatchError)),
    metrics: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

const InputFormat = Type.Object(
  {
    format: Type.Optional(Type.Enum(['csv', 'parquet', 'json', 'avro'])),
    isMultiLineJson: Type.Optional(Type.Boolean()),
    delimiter: Type.Optional(Type.String()),
    quote: Type.Optional(Type.String()),
    escape: Type.Optional(Type.String()),
    nullMarker: Type.Optional(Type.String()),
    header: Type.Optional(Type.Union([Type.String(), Type.Boolean()])),
    charset: Type.Optional(Type.Enum(['US-ASCII', 'UTF-8', 'ISO-8859-1'])),
  },
  { additionalProperties: true },
);

const Tags = Type.Record(Type.String({ minLength: 1 }), Type.Array(Type.String()));

export const batchFields = {
  externalId: Type.Optional(Type.String()),
  started: Type.Optional(Timestamp),
  completed: Type.Optional(Timestamp),
  replay: Type.Optional(
    Type.Object(
      { predecessors: Type.Optional(Type.Array(Type.String())), reason: Type.Optional(Type.String()) },
      { additionalProperties: true },
    ),
  ),
  recordCount: Type.Optional(Count),
  failedRecordCount: Type.Optional(Count),
  errors: Type.Optional(Type.Array(BatchError)),
  size: Type.Optional(Count),
  availableDates: Type.Optional(
    Type.Object({ startDate: Type.Optional(Type.Integer()), endDate: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
  ),
  relatedObjects: Type.Optional(Type.Array(RelatedObject, { maxItems: 1000 })),
  metrics: Type.Optional(Type.Object({}, { additionalProperties: true })),
  tags: Type.Optional(Tags),
  inputFormat: Type.Optional(InputFormat),
};

/** A batch as a client writes it to Catalog (`batchRequest`): `status` is required. */
export const BatchRequest = Type.Object({ ...batchFields, status: Type.Enum([...batchStatuses]) }, { additionalProperties: true });

/**
 * `PATCH` takes the fields to change (`batchPatchRequest`) or, with `application/json-patch+json`, a JSON Patch
 * array; either way the patched batch is then checked as a whole against `BatchRequest`.
 */
export const PatchBody = Type.Union([
  Type.Object({}, { additionalProperties: true, description: 'The fields to change' }),
  Type.Array(Type.Object({ op: Type.String(), path: Type.String() }, { additionalProperties: true }), { description: 'RFC 6902 operations' }),
]);
