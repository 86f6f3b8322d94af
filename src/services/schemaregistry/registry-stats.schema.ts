import { Type } from 'typebox';
import { objectAlsoRequiring } from './keyword-named-properties.js';

/** `GET /stats`: what the sandbox holds of its own, and what changed last. */

const RecentResource = objectAlsoRequiring(
  {
    'meta:altId': Type.String(),
    'meta:resourceType': Type.String(),
    version: Type.String(),
    title: Type.String(),
    description: Type.String(),
    createdDate: Type.Integer({ description: 'Epoch milliseconds' }),
    updatedDate: Type.Integer({ description: 'Epoch milliseconds' }),
  },
  ['$id'],
  { description: 'A resource, with its `$id`' },
);

const SchemaOfClass = objectAlsoRequiring({ title: Type.String(), description: Type.String() }, ['$id'], { description: 'A schema, with its `$id`' });

export const RegistryStats = Type.Object(
  {
    imsOrg: Type.String(),
    tenantId: Type.String({ description: 'The namespace of the org\'s custom fields and resource ids' }),
    counts: Type.Object(
      {
        schemas: Type.Integer(),
        mixins: Type.Integer({ description: 'Field groups' }),
        datatypes: Type.Integer(),
        classes: Type.Integer(),
        unions: Type.Integer(),
      },
      { description: 'The sandbox\'s own resources (the tenant container)' },
    ),
    recentlyCreatedResources: Type.Array(RecentResource, { maxItems: 5, description: 'Newest first' }),
    recentlyUpdatedResources: Type.Array(RecentResource, { maxItems: 5, description: 'Most recently updated first' }),
    classUsage: Type.Object({}, { additionalProperties: Type.Array(SchemaOfClass), description: 'The sandbox\'s schemas by the $id of their class' }),
  },
  { description: 'What the sandbox holds of its own' },
);
