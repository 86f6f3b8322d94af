import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { IdParams } from '../../server/request-parts.js';

const tags = ['flowservice'];

export const ExploreQuery = Type.Object({
  /** Optional in Adobe's OpenAPI file (its Postman collection sends none): without it, the root is explored. */
  objectType: Type.Optional(
    Type.Union([Type.Literal('root'), Type.Literal('folder'), Type.Literal('file'), Type.Literal('table'), Type.Literal('rest')], {
      description: 'What to explore: root (the default), a folder, a file or a table named by object, or rest with sourceParams',
    }),
  ),
  /** REST sources (Stripe): base64 of `{"resourcePath": "charges"}`. */
  sourceParams: Type.Optional(Type.String({ description: 'objectType=rest: base64 of {"resourcePath": "<resource>"}, e.g. charges' })),
  object: Type.Optional(Type.String({ description: 'The folder, file or table, as a path an earlier answer listed' })),
  fileType: Type.Optional(Type.Union([Type.Literal('delimited'), Type.Literal('json'), Type.Literal('parquet')], { description: 'How to read the file; from its extension when left out' })),
  preview: Type.Optional(QueryBoolean({ description: 'Add up to 100 rows of data.' })),
});

const ExploreEntry = Type.Object({
  type: Type.Union([Type.Literal('folder'), Type.Literal('file'), Type.Literal('table')]),
  name: Type.String(),
  path: Type.String({ description: "What a source connection's params take: a path below the root, or a table" }),
  canPreview: Type.Boolean(),
  canFetchSchema: Type.Boolean(),
});

const ExploreColumn = Type.Object({
  name: Type.String(),
  type: Type.String({ description: 'A JSON Schema type' }),
  'meta:xdmType': Type.Optional(Type.String({ description: 'date or date-time, for dates and times' })),
  xdm: Type.Object({ type: Type.String(), format: Type.Optional(Type.String()) }),
});

const rows = Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 100, description: 'Up to 100 rows, with preview=true' });

const FlatExplore = Type.Object(
  { format: Type.Literal('flat'), schema: Type.Object({ columns: Type.Array(ExploreColumn) }), data: Type.Optional(rows) },
  { description: 'objectType=file or table: the columns, and with preview=true the first rows' },
);

const HierarchicalExplore = Type.Object(
  {
    format: Type.Literal('hierarchical'),
    schema: Type.Object({}, { additionalProperties: true, description: "A JSON Schema of the resource's records, under data" }),
    data: Type.Optional(rows),
  },
  { description: 'objectType=rest (Stripe): the resource in hierarchical form' },
);

const ExploreAnswer = Type.Union(
  [Type.Array(ExploreEntry, { description: 'objectType=root or folder: the folders and files, or the tables' }), FlatExplore, HierarchicalExplore],
  { description: 'What the connection holds at the place asked for' },
);

const ConnectionTestAnswer = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
    message: Type.String({ description: 'What was checked, or what is wrong (never a secret)' }),
  },
  { description: 'The verdict' },
);

/** The route schemas (validation and API reference) of GET /connections/{id}/test and /explore. */
export const exploreSchemas = {
  test: {
    tags,
    summary: "Test a connection's credentials",
    description:
      'API sources: one authenticated request to the provider; Local Files: that the root folder is readable. A failed test is a 200 with status failed. Credentials are sent only to the destination (host) they were saved for: otherwise a 409 and no request.',
    params: IdParams,
    response: { 200: ConnectionTestAnswer, ...errorAnswers('notFound', 'credentialsMoved') },
  },
  explore: {
    tags,
    summary: "Explore a connection's folders, files or tables",
    description: "Lists what a connection can read, gives a file's or table's columns, and with preview=true its first rows (read live from an API source).",
    params: IdParams,
    querystring: ExploreQuery,
    response: { 200: ExploreAnswer, ...errorAnswers('notFound', 'credentialsMoved', 'sourceUnreachable') },
  },
} satisfies Record<string, FastifySchema>;
