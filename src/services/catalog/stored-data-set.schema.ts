import { Type, type Static } from 'typebox';

/**
 * A Catalog dataset as the store keeps it: the fields Catalog sets on every write (`buildDataSet`) and reads back.
 * The rest is the client's document, kept as sent. `schemaRef` may be missing on a dataset stored before it was
 * required; Catalog owns the times and the version, but reads them leniently, as batches' are.
 */
export const StoredDataSetBody = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    schemaRef: Type.Optional(Type.Object({ id: Type.Optional(Type.String()), contentType: Type.Optional(Type.String()) }, { additionalProperties: true })),
    tags: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    version: Type.Optional(Type.String()),
    created: Type.Optional(Type.Number()),
    updated: Type.Optional(Type.Number()),
    state: Type.Optional(Type.String()),
    viewId: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type StoredDataSetBody = Static<typeof StoredDataSetBody>;
