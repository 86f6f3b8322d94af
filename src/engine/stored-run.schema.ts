import { Type, type Static } from 'typebox';

const record = Type.Record(Type.String(), Type.Unknown());
const time = Type.Number();

/** What a run's status says: one of the statuses `runDocument` writes, and the errors that ended it. */
const StatusSummary = Type.Object({ status: Type.Optional(Type.String()), errors: Type.Optional(Type.Array(Type.Unknown())), extensions: Type.Optional(record) }, { additionalProperties: true });

/** A run's `copyActivity` keeps the window it read, in epoch ms (`windowStart` 0 for "from the beginning"). */
const WindowExtensions = Type.Object({ windowStart: time, windowEnd: time }, { additionalProperties: true });

/** What an activity read from or wrote to: a source or target connection. */
const ConnectionInfo = Type.Array(Type.Object({ id: Type.Optional(Type.String()) }, { additionalProperties: true }));

const Activity = Type.Object(
  {
    id: Type.String(),
    sourceInfo: Type.Optional(ConnectionInfo),
    targetInfo: Type.Optional(ConnectionInfo),
    durationSummary: Type.Optional(Type.Object({ startedAtUTC: Type.Optional(time), completedAtUTC: Type.Optional(time), extensions: Type.Optional(WindowExtensions) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

/**
 * A run as `runDocument` stores it: the wire form of AEP's monitoring API, checked for the fields Tributary reads
 * back (the flow, the status, the times, the window). The rest (sizes, counts, sources) is kept as written. Every
 * field but the id is optional: runs written by earlier versions, restored from backups or seeded by benchmarks
 * lack some, and lists and lookups answer them as stored.
 */
export const StoredRunBody = Type.Object(
  {
    id: Type.String(),
    flowId: Type.Optional(Type.String()),
    etag: Type.Optional(Type.String()),
    createdAt: Type.Optional(time),
    updatedAt: Type.Optional(time),
    flowSpec: Type.Optional(Type.Object({ id: Type.Optional(Type.String()), version: Type.Optional(Type.String()) }, { additionalProperties: true })),
    metrics: Type.Optional(
      Type.Object(
        {
          durationSummary: Type.Optional(Type.Object({ startedAtUTC: Type.Optional(time), completedAtUTC: Type.Optional(time) }, { additionalProperties: true })),
          recordSummary: Type.Optional(Type.Object({ outputRecordCount: Type.Optional(Type.Number()) }, { additionalProperties: true })),
          statusSummary: Type.Optional(StatusSummary),
        },
        { additionalProperties: true },
      ),
    ),
    activities: Type.Optional(Type.Array(Activity)),
  },
  { additionalProperties: true },
);
export type StoredRunBody = Static<typeof StoredRunBody>;
