import { Type } from 'typebox';

/** Schema Registry descriptors on the wire: metadata about one field of a tenant schema. */

const DescriptorType = Type.Union(
  [
    Type.Literal('xdm:descriptorIdentity'),
    Type.Literal('xdm:descriptorOneToOne'),
    Type.Literal('xdm:alternateDisplayInfo'),
    Type.Literal('xdm:descriptorReferenceIdentity'),
    Type.Literal('xdm:descriptorRelationship'),
  ],
  { description: 'The kind of descriptor' },
);

/**
 * A descriptor to create or replace. The registry checks the fields itself and answers with every problem at
 * once: types are given here only where it refuses anything else, and nothing is required here.
 */
export const DescriptorBody = Type.Object(
  {
    '@type': Type.Optional(Type.String({ description: 'Required: xdm:descriptorIdentity, xdm:descriptorOneToOne, xdm:alternateDisplayInfo, xdm:descriptorReferenceIdentity or xdm:descriptorRelationship' })),
    'xdm:sourceSchema': Type.Optional(Type.String({ description: 'Required: $id or meta:altId of the tenant schema described' })),
    'xdm:sourceVersion': Type.Optional(Type.Integer({ minimum: 1, description: 'Major version of the schema; 1 when left out' })),
    'xdm:sourceProperty': Type.Optional(Type.String({ description: 'The field described, as a path without the `properties` segments, e.g. /_{TENANT_ID}/loyaltyId; required except for xdm:descriptorOneToOne' })),
    'xdm:namespace': Type.Optional(Type.Unknown({ description: 'Identity descriptors: the identity namespace code (a string, required)' })),
    'xdm:property': Type.Optional(Type.Unknown({ description: 'Identity descriptors: "xdm:code" or "xdm:id" (required)' })),
    'xdm:isPrimary': Type.Optional(Type.Unknown({ description: 'Identity descriptors: a boolean; a schema has at most one primary identity' })),
    'xdm:destinationSchema': Type.Optional(Type.Unknown({ description: 'Relationship and one-to-one descriptors: $id of the schema referred to (required)' })),
  },
  { additionalProperties: true, description: 'Other fields (xdm:title, xdm:description, xdm:destinationProperty...) are kept as sent; an `@id` is ignored' },
);

/** A stored descriptor: what was sent, with the registry's fields. */
export const Descriptor = Type.Object(
  {
    '@id': Type.String(),
    '@type': DescriptorType,
    'xdm:sourceSchema': Type.String({ description: '$id of the schema described' }),
    'xdm:sourceVersion': Type.Integer(),
    'xdm:sourceProperty': Type.Optional(Type.String()),
    'meta:containerId': Type.Literal('tenant'),
    version: Type.String(),
    imsOrg: Type.String(),
    'meta:sandboxId': Type.String(),
    'meta:sandboxType': Type.Union([Type.Literal('production'), Type.Literal('development')]),
  },
  { additionalProperties: true, description: 'The descriptor' },
);

const DescriptorOrReference = Type.Union([Descriptor, Type.String({ description: 'An @id (xdm-id forms) or a path /tenant/descriptors/{@id} (xdm-link forms)' })]);

/**
 * The descriptor list, in the form the Accept header names: `xdm-v2` forms page the list, the others group it by
 * `@type`; `-id` gives `@id`s, `-link` paths, the plain form whole descriptors.
 */
export const DescriptorList = Type.Union(
  [
    Type.Object(
      {
        results: Type.Array(DescriptorOrReference),
        _page: Type.Object({
          orderby: Type.String({ description: 'The order of the list: `@id` unless `orderby` asked for another' }),
          next: Type.Union([Type.String(), Type.Null()], { description: 'The sort value the next page starts at (send it as `start`); null on the last page' }),
          count: Type.Integer(),
        }),
        _links: Type.Object({ next: Type.Union([Type.Object({ href: Type.String() }), Type.Null()]) }),
      },
      { description: 'application/vnd.adobe.xdm-v2+json, xdm-v2-id+json, xdm-v2-link+json: a page, as the registry\'s lists page' },
    ),
    Type.Object({}, { additionalProperties: Type.Array(DescriptorOrReference), description: 'By @type: application/vnd.adobe.xdm-id+json (the default), xdm-link+json, xdm+json' }),
  ],
  { description: 'The sandbox\'s descriptors, in the form the Accept header names' },
);

export const DescriptorReplaced = Type.Object({ '@id': Type.String() }, { description: 'The @id of the replaced descriptor' });
