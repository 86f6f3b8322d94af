import { Type, type Static } from 'typebox';

const open = Type.Object({}, { additionalProperties: true });

/**
 * A flow's body as `flows.prepare` and the audit fields leave it in the store. `flowSpec.version` and
 * `description` are missing on flows stored before they were always written; `options` and `scheduleParams`
 * follow the flow spec's own schemas, which stay data (validated by Ajv at write), so they are objects here.
 */
export const StoredFlowBody = Type.Object(
  {
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
    name: Type.String(),
    description: Type.Optional(Type.String()),
    flowSpec: Type.Object({ id: Type.String(), version: Type.Optional(Type.String()) }, { additionalProperties: true }),
    state: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    sourceConnectionIds: Type.Array(Type.String()),
    targetConnectionIds: Type.Array(Type.String()),
    transformations: Type.Array(Type.Unknown()),
    scheduleParams: Type.Optional(open),
    options: Type.Optional(open),
    etag: Type.String(),
    lastOperation: Type.Optional(open),
  },
  { additionalProperties: true },
);
export type StoredFlowBody = Static<typeof StoredFlowBody>;
