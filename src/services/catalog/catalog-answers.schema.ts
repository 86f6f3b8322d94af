import { Type, type TObject, type TSchema } from 'typebox';
import type { DocumentedAnswer } from '../../server/api-reference/error-answers.js';
import { batchFields, batchStatuses } from './batch-request.schema.js';

/** A documented answer that may also name the headers it carries. */
export interface CatalogAnswerDoc extends DocumentedAnswer {
  headers?: Record<string, TSchema>;
}

/** A JSON answer for an operation's `response` map. */
export function jsonAnswer(description: string, schema: TSchema, headers?: Record<string, TSchema>): CatalogAnswerDoc {
  return { description, content: { 'application/json': { schema } }, ...(headers ? { headers } : {}) };
}

export const LocationHeader = Type.String({ description: 'The path of the new object, e.g. /data/foundation/catalog/dataSets/{id}' });
export const ETagHeader = Type.String({ description: "The object's version, quoted, when exactly one object is answered: send it back in If-Match" });

const Epoch = Type.Integer({ description: 'Epoch milliseconds' });
const Tags = Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Tag name to its values' });

/** What Catalog keeps on every object it stores: where it lives, its version, and who wrote it when. */
const catalogObjectFields = {
  imsOrg: Type.String(),
  sandboxId: Type.String(),
  version: Type.String({ description: 'Semantic version, bumped by every write; the ETag of a lookup' }),
  created: Epoch,
  updated: Epoch,
  createdClient: Type.String(),
  createdUser: Type.String(),
  updatedUser: Type.String(),
};

/** What a write answers: the objects it wrote, as references. */
export const ReferenceList = Type.Array(Type.String({ pattern: '^@/(dataSets|batches)/', examples: ['@/dataSets/5c8c3c555033b814b69f947f'] }), {
  description: 'A reference to each object written, `@/{collection}/{id}`',
});

/** A dataset as Catalog answers it: what the client wrote (kept as sent) and Catalog's own fields. */
export const DataSet = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'Only when `properties` names it: the answer is keyed by id' })),
    name: Type.String(),
    description: Type.String(),
    ...catalogObjectFields,
    tags: Tags,
    namespace: Type.Literal('ACP'),
    state: Type.String({ description: '`DRAFT` unless set otherwise' }),
    classification: Type.Object(
      {
        dataBehavior: Type.Optional(Type.String({ description: "From the schema's class: record, time-series or adhoc" })),
        managedBy: Type.String(),
      },
      { additionalProperties: true },
    ),
    schemaRef: Type.Object({ id: Type.String({ description: "The schema's $id" }), contentType: Type.String() }, { additionalProperties: true }),
    schema: Type.String({ description: 'The schema as a Catalog reference, `@/xdms/...`' }),
    files: Type.String({ description: 'Where its files are listed, `@/dataSetFiles?dataSetId={id}`' }),
    viewId: Type.String(),
    fileDescription: Type.Object({}, { additionalProperties: true, description: 'e.g. {"persisted": true, "containerFormat": "parquet", "format": "parquet"}' }),
    enableErrorDiagnostics: Type.Boolean(),
    dataSourceId: Type.Optional(Type.Integer()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
    lastBatchId: Type.Optional(Type.String({ description: 'Read from its batches: the newest one' })),
    lastBatchStatus: Type.Optional(Type.String()),
    lastSuccessfulBatch: Type.Optional(Type.String()),
    lastFailedBatch: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'A dataset; fields the client sent that Catalog does not interpret are kept as sent' },
);

/** A batch as Catalog answers it. */
export const Batch = Type.Object(
  {
    ...batchFields,
    // Batch Ingestion checks only the format of what it is sent; the rest of its inputFormat is kept as sent.
    inputFormat: Type.Optional(Type.Object({ format: Type.Optional(Type.Enum(['csv', 'parquet', 'json', 'avro'])) }, { additionalProperties: true })),
    id: Type.Optional(Type.String({ description: 'Only when `properties` names it: the answer is keyed by id' })),
    status: Type.Enum([...batchStatuses]),
    ...catalogObjectFields,
  },
  { additionalProperties: true, description: 'A batch; fields the client sent that Catalog does not interpret are kept as sent' },
);

/** A dataset's last batches (`GET /lastBatches`), keyed by the dataset's id. */
export const LastBatches = Type.Object(
  {
    id: Type.Optional(Type.String({ description: "The dataset's id, only when `properties` names it" })),
    lastBatchId: Type.String(),
    lastBatchStatus: Type.String(),
    lastSuccessfulBatchId: Type.Optional(Type.String()),
    lastFailedBatchId: Type.Optional(Type.String()),
    created: Type.Integer({ description: 'When the newest batch was created (epoch ms)' }),
    updated: Type.Integer({ description: 'When the newest batch was last updated (epoch ms)' }),
    imsOrg: Type.String(),
    sandboxId: Type.String(),
  },
  { additionalProperties: false },
);

/**
 * Catalog answers reads as objects keyed by id. With `properties`, each object holds only the fields named there
 * (an object with none of them is `{}`), so the answer is either the whole object or such a selection.
 */
export function keyedById(item: TObject, what: string): TSchema {
  return Type.Object({}, {
    additionalProperties: Type.Union([item, Type.Partial(item, { description: 'Only the fields named in `properties`' })]),
    description: `${what} keyed by id`,
  });
}

export const DataSetsById = keyedById(DataSet, 'Datasets');
export const BatchesById = keyedById(Batch, 'Batches');
export const LastBatchesById = keyedById(LastBatches, 'The last batches of each dataset,');

export const UniqueValues = Type.Array(Type.String(), { description: 'The distinct values, as text, sorted' });

export const DataSetAccess = Type.Object(
  {
    dataSetId: Type.String(),
    path: Type.String({ description: "Where to read the dataset's data: its successful batches" }),
    stagePath: Type.Optional(Type.String({ description: 'With `batchId`: where to upload that batch\'s files' })),
  },
  { additionalProperties: false },
);

export const TagValues = Type.Object(
  {
    objectType: Type.Object(
      { dataSets: Type.Optional(ReferenceList), batches: Type.Optional(ReferenceList) },
      { additionalProperties: false, description: 'The objects that carry the tag' },
    ),
  },
  { additionalProperties: Type.Array(Type.String()), description: 'The tag\'s values, sorted, under the tag\'s name; the objects that carry it under `objectType`' },
);

export const Collections = Type.Object(
  {
    batches: Type.Optional(Type.Literal('@/batches')),
    dataSets: Type.Optional(Type.Literal('@/dataSets')),
    lastBatches: Type.Optional(Type.Literal('@/lastBatches')),
  },
  { additionalProperties: false, description: 'Each collection and its reference (only those named in `properties`, if given)' },
);
