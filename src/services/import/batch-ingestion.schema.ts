import { Type } from 'typebox';
import { inputFormats } from './batch-uploads.js';

/**
 * Requests and answers of Batch Ingestion (`/data/foundation/import/batches...`), for the API reference. The
 * handlers check the batch body themselves, so its schema documents the fields without validating them.
 */

const formatNames = `${inputFormats.join(', ')} (in any letter case)`;

const CsvOptions = {
  delimiter: Type.Optional(Type.String({ description: 'CSV: the column delimiter (`,` when left out)' })),
  quote: Type.Optional(Type.String({ description: 'CSV: the quote character (`"` when left out)' })),
  escape: Type.Optional(Type.String({ description: 'CSV: the escape character (`\\` when left out)' })),
  charset: Type.Optional(Type.String({ description: 'CSV: the encoding, UTF-8, UTF-16 or ISO-8859-1 (UTF-8 when left out)' })),
};

export const CreateBatchBody = Type.Object(
  {
    datasetId: Type.String({ description: 'The dataset the batch lands in' }),
    inputFormat: Type.Optional(
      Type.Object(
        {
          format: Type.Optional(Type.String({ description: `The files' format: ${formatNames}; json when left out`, examples: ['json'] })),
          isMultiLineJson: Type.Optional(Type.Boolean({ description: 'JSON: each file holds one array, or objects spread over several lines' })),
          ...CsvOptions,
        },
        { description: 'How the files are read; JSON lines when left out', additionalProperties: true },
      ),
    ),
    enableErrorDiagnostics: Type.Optional(Type.Boolean({ description: 'Keep the reasons rows were refused' })),
    partialIngestionPercent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'The share of rows that may be refused without failing the batch' })),
    externalId: Type.Optional(Type.String({ description: 'The client\'s own id for the batch' })),
    tags: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Labels, each a list of strings' })),
  },
  { additionalProperties: true },
);

const Timestamp = Type.Integer({ description: 'Milliseconds since the epoch' });

/** The Catalog batch Batch Ingestion creates, `loading` until it is completed or aborted. */
export const CreatedBatch = Type.Object({
  id: Type.String(),
  imsOrg: Type.String(),
  sandboxId: Type.String(),
  status: Type.Literal('loading'),
  relatedObjects: Type.Array(Type.Object({ type: Type.String({ examples: ['dataSet'] }), id: Type.String() })),
  inputFormat: Type.Object({ format: Type.Union(inputFormats.map((format) => Type.Literal(format))) }, { additionalProperties: true, description: 'As created, the format in lower case' }),
  version: Type.String(),
  externalId: Type.Optional(Type.String()),
  tags: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'The client\'s tags, and `acp_producer`, `acp_enableErrorDiagnostics`, `acp_partialIngestionPercent`' }),
  created: Timestamp,
  updated: Timestamp,
  createdClient: Type.String(),
  createdUser: Type.String(),
  updatedUser: Type.String(),
});

export const BatchActionQuery = Type.Object({
  action: Type.String({ description: 'COMPLETE lands the uploaded files, ABORT drops them, FAIL marks the loading batch failed, REVERT makes a successful batch inactive (in any letter case)', examples: ['COMPLETE'] }),
});

export const FileActionQuery = Type.Object({
  action: Type.String({ description: 'INITIALIZE starts a file uploaded in chunks, COMPLETE checks that every byte arrived (in any letter case)', examples: ['INITIALIZE'] }),
});

/** `*` is the file's name in the batch: its folders are kept (`acme/2024/a.json`), slashes plain or encoded. */
export const FileParams = Type.Object({
  batchId: Type.String({ minLength: 1 }),
  datasetId: Type.String({ minLength: 1, description: "The batch's dataset" }),
  '*': Type.String({ description: 'The file path in the batch, folders included (e.g. acme/2024/a.json)' }),
});

export const DataSetParams = Type.Object({ batchId: Type.String({ minLength: 1 }), datasetId: Type.String({ minLength: 1, description: "The batch's dataset" }) });

export const ChunkHeaders = Type.Object({
  'content-range': Type.Optional(Type.String({ description: 'Which bytes of the file the chunk holds: bytes <start>-<end>/<total> (required)', examples: ['bytes 0-1048575/5242880'] })),
});

/** The file's bytes; `multipart/form-data` with a `file` field is taken too, as Adobe's Postman collection sends it. */
export const FileBytes = Type.String({ format: 'binary', description: 'The file\'s bytes (a multipart/form-data form with a `file` field is taken too)' });

/** An answer without a body. */
export function noBody(description: string) {
  return Type.Null({ description: `${description}; no body` });
}

/** HEAD of a file: which bytes arrived so far. */
export const FileStatusAnswer = {
  ...noBody('The file exists'),
  headers: { range: Type.String({ description: 'The byte ranges received so far, as bytes=<first>-<last>[,<first>-<last>...]; absent while none has arrived', examples: ['bytes=0-1048575'] }) },
};

export const PreviewAnswer = Type.Object({
  formatParams: Type.Object(
    {
      format: Type.Union(inputFormats.map((format) => Type.Literal(format))),
      delimiter: Type.String(),
      quote: Type.String(),
      escape: Type.String(),
      charset: Type.String(),
      header: Type.Boolean(),
    },
    { description: 'The format and options the files were read with' },
  ),
  preview: Type.Object({
    columns: Type.Array(Type.Object({ cid: Type.String({ description: 'The column\'s position, from 0' }), name: Type.String({ description: 'Nested fields as a/b/c' }) })),
    rows: Type.Array(Type.Record(Type.String(), Type.String()), { description: 'Each row as text by column name; lists as JSON, nulls left out' }),
  }),
});
