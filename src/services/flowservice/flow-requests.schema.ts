import { Type, type TSchema } from 'typebox';

/*
 * What Flow Service takes, for the API reference. These schemas document; the handlers check the bodies field by
 * field (against the connection and flow specs too) and name every field at fault in one answer, so before them
 * a body is only required to be a JSON object (see `bodyCheckedByHandler`).
 */

const open = (description: string) => Type.Object({}, { additionalProperties: true, description });
const name = Type.String({ description: 'A name for the object' });
const description = Type.Optional(Type.String({ description: 'Empty when left out' }));
const specReference = (what: string, list: string, text?: string) =>
  Type.Object(
    { id: Type.String({ description: `The ${what}; GET ${list} lists them` }), version: Type.Optional(Type.String({ description: 'The spec\'s own version when left out', examples: ['1.0'] })) },
    text ? { description: text } : {},
  );
const connectionSpec = (text?: string) => specReference('connection spec', '/connectionSpecs', text);
/** Spec parameters are checked against a JSON Schema with integers in it; clients send them either way. */
const integerOrDigits = (text: string) => Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^\\d+$' })], { description: `${text}; an integer or a string of digits` });

export const ConnectionRequest = Type.Object({
  name,
  description,
  connectionSpec: connectionSpec(),
  auth: Type.Optional(
    Type.Object(
      {
        specName: Type.Optional(Type.String({ description: "One of the connection spec's authSpec names; may be left out when it has one" })),
        params: open("The credentials, as that authSpec's spec describes them (e.g. rootPath, accessToken); secrets are sealed at rest"),
      },
      { description: 'Required unless the connection spec takes no credentials (Data Lake)' },
    ),
  ),
});

export const SourceConnectionRequest = Type.Object({
  name,
  description,
  baseConnectionId: Type.Optional(Type.String({ description: 'The connection to read from; this or connectionId is required' })),
  connectionId: Type.Optional(Type.String({ description: 'The older name of baseConnectionId' })),
  connectionSpec: connectionSpec("The base connection's spec"),
  data: Type.Optional(
    Type.Object(
      { format: Type.Optional(Type.Union([Type.Literal('tabular'), Type.Literal('delimited'), Type.Literal('json'), Type.Literal('parquet')], { description: 'tabular for table sources; delimited, json or parquet for files (json when left out)' })) },
      { additionalProperties: true },
    ),
  ),
  params: Type.Optional(
    Type.Object(
      {
        tableName: Type.Optional(Type.String({ description: 'Table sources: a table as explore lists it, e.g. PayPal.Catalog_Products' })),
        path: Type.Optional(Type.String({ description: 'Local Files: a file, folder or glob below the root' })),
        resourcePath: Type.Optional(Type.String({ description: 'Stripe: a resource, e.g. charges' })),
      },
      { additionalProperties: true, description: "What to read, as the connection spec's sourceSpec describes it; may be left out when it requires nothing (HTTP API)" },
    ),
  ),
});

export const TargetConnectionRequest = Type.Object({
  name,
  description,
  baseConnectionId: Type.Optional(Type.String()),
  connectionSpec: connectionSpec('The Data Lake connection spec'),
  params: Type.Object(
    { dataSetId: Type.String({ description: 'The dataset to land rows in (the @/dataSets/{id} form is accepted)' }) },
    { additionalProperties: true },
  ),
  data: Type.Optional(
    Type.Object(
      {
        format: Type.Optional(Type.Literal('parquet_xdm')),
        schema: Type.Optional(
          Type.Object(
            { id: Type.String({ description: "Must be the dataset's schema" }), version: Type.Optional(Type.String({ examples: ['application/vnd.adobe.xed-full+json;version=1'] })) },
            { description: "The dataset's schema when left out" },
          ),
        ),
      },
      { additionalProperties: true },
    ),
  ),
});

const Transformation = Type.Object({
  name: Type.String({ description: "One of the flow spec's transformationSpecs", examples: ['Mapping', 'Copy'] }),
  params: Type.Optional(
    Type.Object(
      {
        mappingId: Type.Optional(Type.String({ description: 'Mapping: the mapping set' })),
        mappingVersion: Type.Optional(integerOrDigits('Mapping: its version, the latest when left out')),
        deltaColumn: Type.Optional(
          Type.Object(
            { name: Type.String(), dateFormat: Type.Optional(Type.String({ description: 'A Java date pattern' })), timezone: Type.Optional(Type.String()) },
            { description: 'Copy: the column that tells new rows from those earlier runs read' },
          ),
        ),
      },
      { additionalProperties: true },
    ),
  ),
});

const ScheduleParams = Type.Object(
  {
    startTime: integerOrDigits('Epoch seconds'),
    endTime: Type.Optional(integerOrDigits('Epoch seconds')),
    frequency: Type.Union([Type.Literal('once'), Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day'), Type.Literal('week')]),
    interval: Type.Optional(integerOrDigits('Frequency units between runs: at least 15 for minute, 1 otherwise; not for once')),
    backfill: Type.Optional(Type.Boolean({ description: 'Not for once' })),
  },
  { description: 'When the flow runs; a one-time run now when left out. Streaming flows take none.' },
);

export const FlowRequest = Type.Object({
  name,
  description,
  flowSpec: specReference('flow spec', '/flowSpecs'),
  sourceConnectionIds: Type.Array(Type.String(), { minItems: 1 }),
  targetConnectionIds: Type.Array(Type.String(), { minItems: 1 }),
  transformations: Type.Optional(Type.Array(Transformation, { description: 'A Mapping is required where the flow spec has one' })),
  scheduleParams: Type.Optional(ScheduleParams),
  options: Type.Optional(
    Type.Object(
      {
        errorDiagnosticsEnabled: Type.Optional(Type.Boolean()),
        partialIngestionPercent: Type.Optional(Type.Number({ description: 'Failed records allowed, in percent (0 < p ≤ 100), before a run fails' })),
      },
      { additionalProperties: true },
    ),
  ),
});

export const RunRequest = Type.Object({
  flowId: Type.String({ description: 'A flow with frequency once' }),
  params: Type.Optional(
    Type.Object(
      { windowStartTime: Type.Optional(integerOrDigits('Epoch seconds')), windowEndTime: Type.Optional(integerOrDigits('Epoch seconds, after windowStartTime')) },
      { additionalProperties: true, description: 'The window of source data to read; what the flow has not read yet when left out' },
    ),
  ),
});

/** A JSON Patch (RFC 6902) of the fields a collection lets a client change. */
export function patchRequest(patchable: readonly string[]): TSchema {
  return Type.Array(
    Type.Object({
      op: Type.String({ description: 'add, replace or remove (in any letter case)', examples: ['replace'] }),
      path: Type.String({ description: `A JSON Pointer below one of: ${patchable.map((field) => `/${field}`).join(', ')}` }),
      value: Type.Optional(Type.Unknown({ description: 'The new value (add, replace)' })),
    }),
    { description: 'The patched object is checked as a whole, as on create' },
  );
}
