import { Type, type Static } from 'typebox';

/** `{RESOURCE_ID}` / `{SCHEMA_ID}` of the RPC paths: a `meta:altId` or a URL-encoded `$id`. */
export const RpcResourceParams = Type.Object({ id: Type.String({ minLength: 1, description: 'meta:altId or URL-encoded $id' }) });
export type RpcResourceParams = Static<typeof RpcResourceParams>;

/** An export payload: the resource last, the tenant components it builds on before it. */
export const ExportPayload = Type.Array(Type.Object({}, { additionalProperties: true }), {
  description: 'Tenant resources with their tenant id replaced by <XDM_TENANTID_PLACEHOLDER>, dependencies first',
});

/** The most resources one import may carry; an export payload of even a large schema is far below it. */
export const maxImportedResources = 500;

export const ImportBody = Type.Array(Type.Record(Type.String(), Type.Unknown()), {
  minItems: 1,
  maxItems: maxImportedResources,
  description: 'An export payload (from GET /rpc/export/{RESOURCE_ID}), from this or another org or sandbox',
});
export type ImportBody = Static<typeof ImportBody>;

export const ImportResponse = Type.Array(Type.Object({}, { additionalProperties: true }), {
  description: 'The resources as they now are in this sandbox, in the order of the payload',
});

export const SampleData = Type.Object({}, { additionalProperties: Type.Unknown(), description: 'One record that the schema accepts: its fields, each with a value of its type' });

export const AuditAction = Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('replace')]);

export const AuditUpdate = Type.Object({
  id: Type.String({ description: '$id of the resource that changed: the one asked for, or one it builds on' }),
  xdmType: Type.String({ description: 'schemas, classes, mixins or datatypes' }),
  action: AuditAction,
  path: Type.String({ description: 'JSON Pointer of the changed field; "" is the whole resource (created or deleted)' }),
  value: Type.Optional(Type.Unknown({ description: 'The new value (add, replace) or the removed one (remove)' })),
});
export type AuditUpdate = Static<typeof AuditUpdate>;

export const AuditEntry = Type.Object({
  id: Type.String({ description: '$id of the resource asked for' }),
  updatedUser: Type.String(),
  imsOrg: Type.String(),
  updatedTime: Type.String({ description: 'MM-dd-yyyy HH:mm:ss, UTC' }),
  requestId: Type.String(),
  clientId: Type.String(),
  sandboxId: Type.String(),
  sandBoxId: Type.String({ description: 'The spelling of the Experience League examples' }),
  updates: Type.Array(AuditUpdate),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditLogResponse = Type.Array(AuditEntry, { description: 'Most recent first' });
