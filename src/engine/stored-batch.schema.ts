import { Type, type Static } from 'typebox';

/**
 * A Catalog batch as the store keeps it, whoever wrote it (Catalog, Batch Ingestion, a dataflow run): the fields
 * every writer sets and lists read. The rest is the client's `batchRequest` or ingestion's outcome, kept as is.
 * `created` may be missing: a client's JSON Patch can remove it (Catalog refuses only a changed value).
 */
export const StoredBatchBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    status: Type.String(),
    created: Type.Optional(Type.Number()),
    updated: Type.Number(),
    version: Type.Optional(Type.String()),
    relatedObjects: Type.Optional(Type.Array(Type.Object({ type: Type.String(), id: Type.String() }, { additionalProperties: true }))),
    tags: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    /** When the batch's outcome was recorded (epoch ms), as its writers set it; read leniently (a client may patch it). */
    completed: Type.Optional(Type.Unknown()),
    /** Batch Ingestion's: how the uploaded files are to be read (`{"format": "json"}`, CSV options). */
    inputFormat: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    createdClient: Type.Optional(Type.String()),
    createdUser: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type StoredBatchBody = Static<typeof StoredBatchBody>;
