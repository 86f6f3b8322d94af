import { Type, type Static } from 'typebox';
import { connectionKinds, type ConnectionKind } from '../../store/connection-index.js';
import { StoredAuditFields } from './stored-flow.schema.js';

const params = Type.Record(Type.String(), Type.Unknown());
const specRef = Type.Object({ id: Type.String(), version: Type.Optional(Type.String()) }, { additionalProperties: true });

/** What every stored connection holds, whatever its kind: the audit fields, its name, spec and state. */
const common = {
  ...StoredAuditFields,
  name: Type.String(),
  description: Type.Optional(Type.String()),
  connectionSpec: specRef,
  state: Type.Optional(Type.String()),
  etag: Type.String(),
};

/** A base connection as `connections.prepare` stores it: the auth's spec name and its params, secrets masked. */
export const StoredBaseConnectionBody = Type.Object(
  { ...common, auth: Type.Optional(Type.Object({ specName: Type.Optional(Type.String()), params }, { additionalProperties: true })) },
  { additionalProperties: true },
);

/** A source connection: the base connection it reads through, what it reads (`params`) and in which format. */
export const StoredSourceConnectionBody = Type.Object(
  { ...common, baseConnectionId: Type.Optional(Type.String()), data: Type.Optional(params), params: Type.Optional(params) },
  { additionalProperties: true },
);

/** A target connection: the dataset it writes (`params.dataSetId`) and the schema of what it writes. */
export const StoredTargetConnectionBody = Type.Object(
  {
    ...common,
    baseConnectionId: Type.Optional(Type.String()),
    data: Type.Optional(Type.Object({ format: Type.Optional(Type.String()), schema: Type.Optional(Type.Object({ id: Type.Optional(Type.String()), version: Type.Optional(Type.String()) }, { additionalProperties: true })) }, { additionalProperties: true })),
    params: Type.Optional(params),
  },
  { additionalProperties: true },
);

export type StoredBaseConnectionBody = Static<typeof StoredBaseConnectionBody>;
export type StoredSourceConnectionBody = Static<typeof StoredSourceConnectionBody>;
export type StoredTargetConnectionBody = Static<typeof StoredTargetConnectionBody>;

/** The stored-body schema of each connection kind. */
export const storedConnectionBodies = {
  [connectionKinds.base]: StoredBaseConnectionBody,
  [connectionKinds.source]: StoredSourceConnectionBody,
  [connectionKinds.target]: StoredTargetConnectionBody,
} as const;

/** The checked body type of a connection kind. */
export type ConnectionBodyOf<K extends ConnectionKind> = Static<(typeof storedConnectionBodies)[K]>;
