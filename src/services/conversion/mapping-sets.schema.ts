import { Type } from 'typebox';
import { maxSampleRows } from '../../engine/sample-mapping.js';

/**
 * Requests and answers of Data Prep (`/data/foundation/conversion`), for the API reference. The handlers check
 * mapping sets field by field and name every bad mapping at once, so the request schemas only document.
 */

const OpenObject = (description: string) => Type.Object({}, { additionalProperties: true, description });

const SchemaRef = Type.Object({
  id: Type.String({ description: 'The $id of the target XDM schema' }),
  contentType: Type.String({ examples: ['application/vnd.adobe.xed-full+json;version=1'] }),
});

const SourceType = Type.Union([Type.Literal('ATTRIBUTE'), Type.Literal('STATIC'), Type.Literal('EXPRESSION'), Type.Literal('text/x.schema-path'), Type.Literal('text/plain'), Type.Literal('text/x.aep-xl')], {
  description: 'ATTRIBUTE copies a source field, STATIC writes the text of `source`, EXPRESSION computes a Data Prep expression; the answers\' text/x.schema-path, text/plain and text/x.aep-xl are taken as the same three',
});

const IdentityFields = {
  identity: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  identityGroup: Type.Optional(Type.String()),
  namespaceCode: Type.Optional(Type.String({ description: 'The identity namespace of the destination' })),
  primaryIdentity: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
};

const MappingRequest = Type.Union([
  Type.Object(
    {
      sourceType: Type.Optional(Type.Union([SourceType, Type.Null()], { description: 'ATTRIBUTE when left out' })),
      source: Type.String({ description: 'A source field (a.b.c), a static value or an expression, by sourceType' }),
      destination: Type.String({ description: 'The XDM field written, as a dotted path' }),
      ...IdentityFields,
    },
    { additionalProperties: true, title: 'Mapping' },
  ),
  Type.Object(
    {
      sourceAttribute: Type.String({ description: 'The source field' }),
      destinationXdmPath: Type.String({ description: 'The XDM field written, as a dotted path' }),
      ...IdentityFields,
    },
    { additionalProperties: true, title: 'Mapping (tutorial dialect)' },
  ),
]);

/** A mapping set as a client writes it: the target schema by `outputSchema.schemaRef.id` or (tutorial dialect) `xdmSchema`. */
export const MappingSetRequest = Type.Object(
  {
    name: Type.Optional(Type.String()),
    outputSchema: Type.Optional(Type.Object({ schemaRef: Type.Object({ id: Type.String({ description: 'The $id of the target XDM schema' }), contentType: Type.Optional(Type.String()) }, { additionalProperties: true }) }, { additionalProperties: true })),
    xdmSchema: Type.Optional(Type.String({ description: 'The $id of the target XDM schema (tutorial dialect, instead of outputSchema)' })),
    mappings: Type.Array(MappingRequest, { minItems: 1, description: 'Checked against the target schema: every destination exists, static values fit, expressions parse, no destination is written twice' }),
  },
  { additionalProperties: true },
);

const Audit = {
  createdDate: Type.Integer({ description: 'Milliseconds since the epoch' }),
  modifiedDate: Type.Integer({ description: 'Milliseconds since the epoch' }),
  createdBy: Type.String(),
  modifiedBy: Type.String(),
};

/** One mapping of a stored version, in both dialects' field names. */
export const Mapping = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  ...Audit,
  sourceType: Type.Union([Type.Literal('text/x.schema-path'), Type.Literal('text/x.aep-xl'), Type.Literal('text/plain')], {
    description: 'text/x.schema-path for a source field, text/x.aep-xl for an expression, text/plain for a static value',
  }),
  source: Type.String(),
  destination: Type.String(),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  identity: Type.Boolean(),
  identityGroup: Type.Union([Type.String(), Type.Null()]),
  namespaceCode: Type.Union([Type.String(), Type.Null()]),
  primaryIdentity: Type.Boolean(),
  matchScore: Type.Number(),
  functionVersion: Type.Integer(),
  sourceAttribute: Type.String({ description: 'source, under the tutorial dialect\'s name' }),
  destinationXdmPath: Type.String({ description: 'destination, under the tutorial dialect\'s name' }),
});

export const MappingList = Type.Array(Mapping);

/** One version of a mapping set; every change (PUT) adds a version. */
export const MappingSet = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  version: Type.Integer({ description: 'From 0, one more at each update' }),
  ...Audit,
  supportVersion: Type.String(),
  outputSchema: Type.Object(
    {
      schemaRef: SchemaRef,
      jsonSchema: Type.Optional(Type.Union([OpenObject('The target schema, resolved (with expandSchema=true)'), Type.Null()])),
    },
    { additionalProperties: true },
  ),
  mappings: MappingList,
  status: Type.String({ examples: ['PUBLISHED'] }),
  strictMapping: Type.Boolean(),
  allowNullValues: Type.Boolean(),
  xdmVersion: Type.String(),
  schemaRef: SchemaRef,
  xdmSchema: Type.String({ description: 'The target schema\'s $id (tutorial dialect)' }),
});

export const CreatedMappingSet = Type.Object({ id: Type.String(), version: Type.Integer(), ...Audit });

export const MappingSetList = Type.Object({
  data: Type.Array(MappingSet, { description: 'The current version of each mapping set' }),
  _page: Type.Object({ count: Type.Integer(), limit: Type.Integer() }),
  _links: Type.Object({}, { additionalProperties: true }),
});

export const MappingSetValidation = Type.Object({
  validationResponse: Type.Array(
    Type.Object({
      status: Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
      errors: Type.Array(Type.Object({ destination: Type.String(), source: Type.String(), exception: Type.String(), sourceType: SourceType })),
    }),
    { description: 'One result per mapping, in the order sent' },
  ),
});

export const ExpressionRequest = Type.Object({ expression: Type.String({ description: 'A Data Prep expression', examples: ['concat(firstName, " ", lastName)'] }) }, { additionalProperties: true });

export const ExpressionParses = Type.Literal(true, { description: 'The expression parses' });

export const FunctionList = Type.Array(
  Type.Object({ name: Type.String(), minArgs: Type.Integer(), maxArgs: Type.Integer() }),
  { description: 'The functions expressions can call, with how many arguments each takes' },
);

export const OperatorList = Type.Array(Type.Object({ symbol: Type.String() }), { description: 'The operators expressions can use' });

export const PreviewRequest = Type.Object(
  {
    data: Type.Array(OpenObject('A sample row'), { maxItems: maxSampleRows, description: `The sample rows, at most ${maxSampleRows}` }),
    mappingSet: Type.Union([
      Type.Object(
        { id: Type.String({ description: 'A stored mapping set' }), version: Type.Optional(Type.Integer({ description: 'Its latest when left out' })) },
        { additionalProperties: true, title: 'Stored mapping set' },
      ),
      MappingSetRequest,
    ]),
  },
  { additionalProperties: true },
);

const PreviewError = Type.Object({
  code: Type.String({ examples: ['MAPPER-3701-400'] }),
  exception: Type.String(),
  destination: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
  sourceType: Type.Optional(SourceType),
});

export const PreviewAnswer = Type.Array(
  Type.Object({
    data: OpenObject('The row as it would land, in the target schema; fields that failed are null'),
    errors: Type.Union([Type.Array(PreviewError), Type.Null()], { description: 'Why the row would not land as it is; null when it maps cleanly' }),
  }),
  { description: 'One result per sample row, in the order sent' },
);
