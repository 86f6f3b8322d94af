import { Type, type Static } from 'typebox';

const open = Type.Object({}, { additionalProperties: true });
const record = Type.Record(Type.String(), Type.Unknown());

/** One step of a flow's `transformations`: `Mapping` (a mapping set and version) or `Copy` (the delta column). */
export const StoredTransformation = Type.Object({ name: Type.String(), params: record }, { additionalProperties: true });
export type StoredTransformation = Static<typeof StoredTransformation>;

/** The audit fields every Flow Service object is stored with (`newAudit`, `touchedAudit`). */
export const StoredAuditFields = {
  id: Type.String(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  createdClient: Type.String(),
  updatedClient: Type.String(),
  sandboxId: Type.String(),
  sandboxName: Type.String(),
  imsOrgId: Type.String(),
};

/**
 * A flow's body as `flows.prepare` and the audit fields leave it in the store. `flowSpec.version` and
 * `description` are missing on flows stored before they were always written; `options` and `scheduleParams`
 * follow the flow spec's own schemas, which stay data (validated by Ajv at write), so they are records here.
 */
export const StoredFlowBody = Type.Object(
  {
    ...StoredAuditFields,
    name: Type.String(),
    description: Type.Optional(Type.String()),
    flowSpec: Type.Object({ id: Type.String(), version: Type.Optional(Type.String()) }, { additionalProperties: true }),
    state: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    sourceConnectionIds: Type.Array(Type.String()),
    targetConnectionIds: Type.Array(Type.String()),
    transformations: Type.Array(StoredTransformation),
    scheduleParams: Type.Optional(record),
    options: Type.Optional(record),
    etag: Type.String(),
    lastOperation: Type.Optional(open),
  },
  { additionalProperties: true },
);
export type StoredFlowBody = Static<typeof StoredFlowBody>;
