import { Type, type TSchema } from 'typebox';
import { objectAlsoRequiring } from './keyword-named-properties.js';

/**
 * Schema Registry resources (schemas, classes, field groups, data types, behaviors, unions) on the wire. Their
 * bodies are user-defined XDM, so every object here stays open; only the envelope the registry owns is typed
 * (`$id` and `$ref` through `objectAlsoRequiring`).
 */

const idText = '`$id` (string, always present): the resource\'s URI, e.g. https://ns.adobe.com/{TENANT_ID}/schemas/{hex}.';

const ResourceType = Type.Union(
  [Type.Literal('schemas'), Type.Literal('classes'), Type.Literal('mixins'), Type.Literal('datatypes'), Type.Literal('behaviors'), Type.Literal('unions')],
  { description: 'The kind of resource; field groups are `mixins`' },
);

const envelope = {
  'meta:altId': Type.String({ description: 'The dotted form of `$id`, e.g. _{TENANT_ID}.schemas.{hex}; usable wherever an id is' }),
  'meta:resourceType': ResourceType,
  version: Type.String({ description: 'major.minor; every update raises the minor version' }),
  type: Type.Literal('object'),
};

const text = {
  title: Type.Optional(Type.String({ description: 'Unique among a sandbox\'s resources of one type; absent in the -notext forms' })),
  description: Type.Optional(Type.String({ description: 'Absent in the -notext forms' })),
};

const AllOfEntry = objectAlsoRequiring({}, ['$ref'], { description: '{"$ref": "<$id of a component, or #/definitions/<name>>"}' });

const composition = {
  allOf: Type.Optional(Type.Array(AllOfEntry, { description: 'The components it is built from (not in the -full forms, which inline them into `properties`)' })),
  definitions: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Named field trees (classes, field groups)' })),
  properties: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Fields: a data type\'s own, or every field of the resource in the -full forms' })),
  // Other resources keep a `meta:class` a client sent as it was sent, whatever its type.
  'meta:class': Type.Optional(Type.Unknown({ description: 'Schemas and unions: the $id of their class' })),
  'meta:extends': Type.Optional(Type.Array(Type.String(), { description: 'Every component it builds on, directly or not' })),
  'meta:extensible': Type.Optional(Type.Boolean()),
  'meta:abstract': Type.Optional(Type.Boolean()),
  'meta:xdmType': Type.Optional(Type.String()),
  'meta:containerId': Type.Optional(Type.Union([Type.Literal('global'), Type.Literal('tenant')])),
  'meta:descriptors': Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'The descriptors of a schema, in the -desc forms' })),
};

/** A resource in any XED form (`xed`, `xed-full`, `-notext`, `-desc`), from either container. */
export const XdmResource = objectAlsoRequiring({ ...envelope, ...text, ...composition }, ['$id'], { description: `An XDM resource; fields beyond the envelope are its own. ${idText}` });

const RegistryMetadata = Type.Object(
  {
    'repo:createdDate': Type.Integer({ description: 'Epoch milliseconds' }),
    'repo:lastModifiedDate': Type.Integer({ description: 'Epoch milliseconds' }),
    'xdm:createdClientId': Type.String(),
    'xdm:lastModifiedClientId': Type.String(),
    'xdm:createdUserId': Type.String(),
    'xdm:lastModifiedUserId': Type.String(),
    eTag: Type.String({ description: 'Changes with every change to the resource' }),
    'meta:globalLibVersion': Type.String({ description: 'The XDM release of the standard library' }),
  },
  { additionalProperties: true },
);

/** A sandbox's own resource as the registry stored it (answers to create and update), in `xed` form. */
export const TenantXdmResource = objectAlsoRequiring(
  {
    ...envelope,
    ...composition,
    title: Type.String(),
    description: Type.String(),
    imsOrg: Type.String(),
    'meta:xdmType': Type.Literal('object'),
    'meta:registryMetadata': RegistryMetadata,
    'meta:containerId': Type.Literal('tenant'),
    'meta:tenantNamespace': Type.String({ description: '_{TENANT_ID}: the field custom fields are nested under' }),
    'meta:sandboxId': Type.String(),
    'meta:sandboxType': Type.Union([Type.Literal('production'), Type.Literal('development')]),
    refs: Type.Optional(Type.Array(Type.String(), { description: 'A schema\'s class and field groups' })),
    'meta:intendedToExtend': Type.Optional(Type.Unknown({ description: 'Field groups: the $ids of the classes it is meant for (other resources keep what was sent)' })),
    'meta:immutableTags': Type.Optional(Type.Unknown({ description: 'e.g. ["union"]: the schema takes part in its class\'s union (Profile)' })),
  },
  ['$id'],
  { description: `A tenant XDM resource; fields beyond the envelope are its own. ${idText}` },
);

/** What the `xed-id` forms show of a resource. */
export const XdmResourceSummary = objectAlsoRequiring(
  {
    'meta:altId': Type.String(),
    version: Type.String(),
    title: Type.String(),
  },
  ['$id'],
  { description: `The \`xed-id\` form of a resource: \`$id\`, \`meta:altId\`, \`version\` and \`title\`. ${idText}` },
);

const accepted = '`application/vnd.adobe.xed-id+json` (or no Accept, `*/*`, `application/json`) lists summaries; `application/vnd.adobe.xed+json` and its `-full`, `-notext`, `-desc` forms list documents';

/** One page of a container's resources of one type. */
export const XdmResourceList = Type.Object(
  {
    results: Type.Array(Type.Union([XdmResourceSummary, XdmResource]), { description: accepted }),
    _page: Type.Object({
      orderby: Type.String({ description: 'The sort the page follows (default `title`)' }),
      next: Type.Union([Type.String(), Type.Null()], { description: 'The sort value the next page starts at (pass it as `start`); null on the last page' }),
      count: Type.Integer({ description: 'Items on this page' }),
    }),
    _links: Type.Object({
      next: Type.Union([Type.Object({ href: Type.String() }), Type.Null()]),
      global_schemas: Type.Object({ href: Type.String() }),
    }),
  },
  { description: 'One page of the resources, sorted by `orderby`' },
);

/** The XED media types a lookup answers with, by the Accept it was sent: the flags come in this order. */
function xedMediaTypes(): string[] {
  const types: string[] = [];
  for (const full of ['', '-full']) for (const notext of ['', '-notext']) for (const desc of ['', '-desc']) types.push(`application/vnd.adobe.xed${full}${notext}${desc}+json`);
  return types;
}

/** The 200 answer of a lookup: its media type, and so its body, follows the Accept header. */
export function lookupAnswer(): { description: string; content: Record<string, { schema: TSchema }> } {
  const content: Record<string, { schema: TSchema }> = { 'application/vnd.adobe.xed-id+json': { schema: XdmResourceSummary } };
  for (const mediaType of xedMediaTypes()) content[mediaType] = { schema: XdmResource };
  return {
    description: 'The resource in the form the Accept header names (e.g. `application/vnd.adobe.xed-full+json; version=1`); `xed-id` gives its summary. The answer\'s Content-Type names the form, with `version`.',
    content,
  };
}

/**
 * A class, field group, data type or schema to create or replace. The registry checks the fields itself and
 * answers with every problem at once: types (and the `$ref` of an `allOf` entry) are given here only where it
 * refuses anything else, and no field is required here (it says what is missing). What it computes ($id, version,
 * meta:registryMetadata...) may be sent and is ignored.
 */
export const XdmResourceBody = Type.Object(
  {
    title: Type.Optional(Type.String({ description: 'Required: not blank, unique among the sandbox\'s resources of this type' })),
    description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    type: Type.Optional(Type.Literal('object')),
    allOf: Type.Optional(
      Type.Array(AllOfEntry, {
        description: 'Required for schemas, classes and field groups. A schema names one class and its field groups; a class names a behavior (and may add its own `#/definitions/...`); a field group its own `#/definitions/...`',
      }),
    ),
    definitions: Type.Optional(
      Type.Object({}, { additionalProperties: Type.Object({}, { additionalProperties: true }), description: 'Classes and field groups: named field trees, `{name: {properties: {...}}}`; custom fields go under `_{TENANT_ID}`' }),
    ),
    properties: Type.Optional(Type.Object({}, { additionalProperties: Type.Object({}, { additionalProperties: true }), description: 'Data types only: the fields' })),
    'meta:intendedToExtend': Type.Optional(Type.Unknown({ description: 'Field groups: an array of the $ids of the classes it is meant for' })),
    'meta:class': Type.Optional(Type.Unknown({ description: 'Schemas: the class its allOf names ($id or meta:altId)' })),
    'meta:extensible': Type.Optional(Type.Unknown({ description: 'Classes and field groups: false closes it to extension' })),
    'meta:abstract': Type.Optional(Type.Unknown({ description: 'Classes: true makes it abstract' })),
    'meta:immutableTags': Type.Optional(Type.Unknown({ description: 'Schemas: ["union"] enables it for Profile; a tag once set cannot be removed' })),
  },
  { additionalProperties: true, description: 'Other `meta:` fields are kept as sent' },
);

/**
 * A JSON Patch (RFC 6902) to apply to a tenant resource in `xed` form. The registry reads the operations itself
 * and names the one at fault, so only the array of objects is checked before it.
 */
export const XdmResourcePatch = Type.Array(
  Type.Object(
    {
      op: Type.Optional(Type.Unknown({ description: 'Required: add, remove, replace, move, copy or test, in any letter case' })),
      path: Type.Optional(Type.Unknown({ description: 'Required: a JSON Pointer into the resource, e.g. /definitions/customFields/properties/_{TENANT_ID}/properties/loyaltyId' })),
      value: Type.Optional(Type.Unknown({ description: 'Required for add, replace and test' })),
      from: Type.Optional(Type.Unknown({ description: 'Required for move and copy: a JSON Pointer' })),
    },
    { additionalProperties: true },
  ),
  { description: 'At least one operation; the patched resource is checked as a replacement is' },
);
