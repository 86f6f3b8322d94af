import { Type, type TSchema } from 'typebox';

/*
 * What Flow Service answers, for the API reference. Response schemas only document (they never filter an answer),
 * so each one says what the handlers really send: the required fields are those every answer has.
 */

const open = (description: string) => Type.Object({}, { additionalProperties: true, description });
const epochMillis = (description: string) => Type.Integer({ description: `${description} (epoch milliseconds)` });

/** `{id, version}`: which connection spec or flow spec an object follows. */
export const SpecReference = Type.Object({ id: Type.String(), version: Type.String({ examples: ['1.0'] }) });

const State = Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]);

/** Who made and last changed an object, when, and where it lives: every Flow Service object carries them. */
const auditFields = {
  id: Type.String(),
  createdAt: epochMillis('When the object was created'),
  updatedAt: epochMillis('When the object last changed'),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  createdClient: Type.String({ description: 'The API client (x-api-key) that created the object' }),
  updatedClient: Type.String(),
  sandboxId: Type.String(),
  sandboxName: Type.String(),
  imsOrgId: Type.String(),
};

const versionFields = {
  etag: Type.String({ description: 'The current version, for If-Match on PATCH' }),
  version: Type.String({ description: 'The same value as etag' }),
};

/** A JSON Schema a spec hands out as data (draft-07). */
const JsonSchemaDocument = open('A JSON Schema (draft-07)');

export const ConnectionSpecAnswer = Type.Object({
  id: Type.String(),
  name: Type.String({ examples: ['Stripe'] }),
  providerId: Type.String(),
  version: Type.String(),
  type: Type.Optional(Type.String({ description: 'Destination for the Data Lake spec' })),
  attributes: open('Category and flags (isSource, isDestination, ...)'),
  authSpec: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), spec: JsonSchemaDocument }), {
    description: "The ways a connection of this spec authenticates; a connection's auth.params follow one spec. Empty when the spec takes no credentials.",
  }),
  sourceSpec: Type.Optional(Type.Object({ attributes: open('UI attributes'), spec: JsonSchemaDocument }, { description: "What a source connection's params follow" })),
  targetSpec: Type.Optional(Type.Object({ attributes: open('Attributes'), spec: JsonSchemaDocument }, { description: "What a target connection's params follow" })),
  exploreSpec: Type.Optional(open('How GET /connections/{id}/explore reads sources of this spec')),
  permissionsInfo: open('The permissions viewing and managing such connections takes'),
  changeCapture: Type.Optional(
    Type.Union([Type.Literal('connector-state'), Type.Literal('file-modification-time')], {
      description: "How a scheduled flow's later runs find what changed by themselves; absent when only a Copy transformation's delta column does",
    }),
  ),
});

export const FlowSpecAnswer = Type.Object({
  id: Type.String(),
  name: Type.String({ examples: ['CRMToAEP'] }),
  providerId: Type.String(),
  version: Type.String(),
  attributes: open('Attributes'),
  sourceConnectionSpecIds: Type.Array(Type.String(), { description: 'The connection specs a source connection of such a flow may follow' }),
  targetConnectionSpecIds: Type.Array(Type.String()),
  transformationSpecs: Type.Array(Type.Object({ name: Type.String({ examples: ['Mapping', 'Copy'] }), spec: JsonSchemaDocument }), {
    description: "The transformations such a flow takes; each one's params follow its spec",
  }),
  scheduleSpec: Type.Optional(Type.Object({ name: Type.String(), type: Type.String(), spec: JsonSchemaDocument }, { description: "What scheduleParams follow; absent for streaming flows" })),
  optionSpec: Type.Object({ name: Type.String(), type: Type.String(), spec: JsonSchemaDocument }, { description: 'What options follow' }),
  runSpec: Type.Optional(Type.Object({ name: Type.String(), spec: JsonSchemaDocument })),
  permissionsInfo: open('Permissions'),
});

export const ConnectionAnswer = Type.Object({
  ...auditFields,
  name: Type.String(),
  description: Type.String(),
  connectionSpec: SpecReference,
  state: State,
  auth: Type.Optional(
    Type.Object({
      specName: Type.String({ description: 'The authSpec of the connection spec the params follow' }),
      params: open('The credentials, with secrets shown as ********; an HTTP API connection also shows its inletId and inletUrl'),
    }),
  ),
  ...versionFields,
});

export const SourceConnectionAnswer = Type.Object({
  ...auditFields,
  name: Type.String(),
  description: Type.String(),
  baseConnectionId: Type.String({ description: 'The connection read from' }),
  state: State,
  data: Type.Object(
    { format: Type.Union([Type.Literal('tabular'), Type.Literal('delimited'), Type.Literal('json'), Type.Literal('parquet')]) },
    { additionalProperties: true, description: 'How the source data is read' },
  ),
  params: open("What to read, as the connection spec's sourceSpec describes it (a table, a path, a resource)"),
  connectionSpec: SpecReference,
  ...versionFields,
});

export const TargetConnectionAnswer = Type.Object({
  ...auditFields,
  name: Type.String(),
  description: Type.String(),
  baseConnectionId: Type.Optional(Type.String()),
  state: State,
  data: Type.Object({
    format: Type.Literal('parquet_xdm'),
    schema: Type.Object({
      id: Type.Optional(Type.String({ description: "The XDM schema the rows follow: the target dataset's" })),
      version: Type.String({ examples: ['application/vnd.adobe.xed-full+json;version=1'] }),
    }),
  }),
  params: Type.Object({ dataSetId: Type.Optional(Type.String({ description: 'The dataset the flow lands its rows in' })) }, { additionalProperties: true }),
  connectionSpec: SpecReference,
  ...versionFields,
});

const MappingTransformation = Type.Object({
  name: Type.Literal('Mapping'),
  params: Type.Object(
    { mappingId: Type.String({ description: 'The Data Prep mapping set' }), mappingVersion: Type.String({ description: 'Its version, as a string of digits' }) },
    { additionalProperties: true },
  ),
});

const CopyTransformation = Type.Object({
  name: Type.Literal('Copy'),
  params: Type.Object(
    {
      deltaColumn: Type.Object(
        { name: Type.String(), dateFormat: Type.Optional(Type.String()), timezone: Type.Optional(Type.String()) },
        { additionalProperties: true, description: "The column whose values tell a scheduled run's rows from earlier runs' ones" },
      ),
    },
    { additionalProperties: true },
  ),
});

const Frequency = Type.Union([Type.Literal('once'), Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day'), Type.Literal('week')]);

const ScheduleParamsAnswer = Type.Object(
  {
    startTime: Type.Integer({ description: 'Epoch seconds' }),
    endTime: Type.Optional(Type.Integer({ description: 'Epoch seconds' })),
    frequency: Frequency,
    interval: Type.Optional(Type.String({ description: 'Frequency units between runs, as a string of digits; absent for once' })),
    backfill: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true, description: 'Absent for streaming flows' },
);

const RunStatus = Type.Union([Type.Literal('inProgress'), Type.Literal('success'), Type.Literal('failed')]);

export const FlowAnswer = Type.Object({
  ...auditFields,
  name: Type.String(),
  description: Type.String(),
  flowSpec: SpecReference,
  state: State,
  sourceConnectionIds: Type.Array(Type.String()),
  targetConnectionIds: Type.Array(Type.String()),
  transformations: Type.Array(Type.Union([MappingTransformation, CopyTransformation])),
  scheduleParams: Type.Optional(ScheduleParamsAnswer),
  options: Type.Optional(
    Type.Object(
      { errorDiagnosticsEnabled: Type.Optional(Type.Boolean()), partialIngestionPercent: Type.Optional(Type.Number({ description: 'Failed records allowed, in percent, before a run fails' })) },
      { additionalProperties: true },
    ),
  ),
  inheritedAttributes: Type.Object({
    sourceConnections: Type.Array(
      Type.Object({
        id: Type.String(),
        connectionSpec: SpecReference,
        baseConnection: Type.Optional(Type.Object({ id: Type.String(), connectionSpec: SpecReference })),
      }),
    ),
    targetConnections: Type.Array(Type.Object({ id: Type.String(), connectionSpec: SpecReference })),
  }),
  runs: Type.String({ description: "The flow's runs, as a path relative to Flow Service", examples: ['/runs?property=flowId==<id>'] }),
  lastRunDetails: Type.Optional(
    Type.Object({
      id: Type.String(),
      state: Type.Optional(RunStatus),
      startedAtUTC: Type.Optional(epochMillis('When the run started')),
      completedAtUTC: Type.Optional(epochMillis('When it ended')),
    }),
  ),
  lastOperation: Type.Optional(
    Type.Object(
      {
        started: epochMillis('When the last update was made'),
        updated: Type.Integer(),
        percentCompleted: Type.Integer(),
        status: Type.Object({ value: Type.String({ examples: ['completed'] }), errors: Type.Array(Type.Unknown()) }),
        ops: Type.Array(open('A JSON Patch operation'), { description: 'The JSON Patch operations of the last update' }),
        operation: Type.String({ examples: ['update'] }),
      },
      { description: 'The last update, once the flow has been changed' },
    ),
  ),
  ...versionFields,
});

const count = Type.Integer({ minimum: 0 });

/** What an API source's read did for one table: while the run is in progress, what it has done so far. */
const StreamRead = Type.Object(
  {
    stream: Type.String({ examples: ['Charges'] }),
    requests: count,
    pages: count,
    retries: count,
    rateLimited: Type.Integer({ minimum: 0, description: 'Answers that were 429' }),
    records: Type.Integer({ minimum: 0, description: 'Records read from the source so far' }),
    bytes: count,
  },
  { additionalProperties: true, description: "One table's read (copyActivity of an API source)" },
);

const Activity = Type.Object(
  {
    id: Type.String({ examples: ['copyActivity', 'promotionActivity'] }),
    updatedAtUTC: Type.Integer(),
    durationSummary: Type.Object({ startedAtUTC: Type.Integer(), completedAtUTC: Type.Optional(Type.Integer()) }, { additionalProperties: true }),
    sizeSummary: Type.Object({ inputBytes: count, outputBytes: count }),
    recordSummary: Type.Object(
      { inputRecordCount: count, outputRecordCount: count, failedRecordCount: Type.Optional(count), skippedRecordCount: Type.Optional(count) },
      { additionalProperties: true },
    ),
    fileSummary: Type.Object({ inputFileCount: count, outputFileCount: Type.Optional(count) }),
    statusSummary: Type.Object(
      {
        status: RunStatus,
        extensions: Type.Optional(Type.Object({ streams: Type.Optional(Type.Array(StreamRead)) }, { additionalProperties: true })),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true, description: 'copyActivity reads the source; promotionActivity maps and lands the rows' },
);

export const RunAnswer = Type.Object({
  ...auditFields,
  flowId: Type.String(),
  etag: Type.String(),
  eTag: Type.String({ description: 'The same value as etag' }),
  flowSpec: SpecReference,
  providerRefId: Type.String(),
  metrics: Type.Object({
    durationSummary: Type.Object({ startedAtUTC: epochMillis('When the run started'), completedAtUTC: Type.Optional(epochMillis('When it ended')) }),
    sizeSummary: Type.Object({ inputBytes: count, outputBytes: count }),
    recordSummary: Type.Object({ inputRecordCount: count, outputRecordCount: count, failedRecordCount: count, skippedRecordCount: count }),
    fileSummary: Type.Object({ inputFileCount: count, outputFileCount: count }),
    statusSummary: Type.Object({
      status: RunStatus,
      errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
      extensions: Type.Optional(
        Type.Object(
          {
            stage: Type.Union([Type.Literal('queued'), Type.Literal('extracting'), Type.Literal('reading'), Type.Literal('writing'), Type.Literal('committing')]),
            percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          },
          { description: 'Where a run in progress is' },
        ),
      ),
    }),
  }),
  activities: Type.Array(Activity),
});

/** `{id, etag}`: what creating or changing an object (or starting a run) answers. */
export function objectVersionAnswer(description: string): TSchema {
  return Type.Object({ id: Type.String(), etag: Type.String({ description: 'The new version, for If-Match' }) }, { description });
}

/** A page of a listing, or with `count=true` only the number of matching objects. */
export function listAnswer(item: TSchema, many: string): TSchema {
  const page = Type.Object({
    items: Type.Array(item),
    _links: Type.Object({
      next: Type.Optional(
        Type.Object(
          { href: Type.String({ description: 'The next page, relative to Flow Service: ?continuationToken=...' }) },
          { description: 'Present while more objects match' },
        ),
      ),
    }),
  });
  return Type.Union([page, Type.Object({ count: Type.Integer({ minimum: 0 }) }, { description: 'The answer to count=true' })], {
    description: `A page of ${many}, or with count=true their number`,
  });
}

/** One object looked up by id: AEP answers it as a list of one. */
export function oneItemAnswer(item: TSchema, one: string): TSchema {
  return Type.Object({ items: Type.Array(item, { minItems: 1, maxItems: 1 }) }, { description: `The ${one}, as a list of one` });
}
