import type { Service } from './service.js';

/**
 * Every place where the official AEP specs are known to be wrong, in one file.
 *
 * - `specAllowList`: validation errors that are dropped (and reported in `ContractResult.allowed`).
 * - `specFixUps`: typos normalised in the loader before anything is compiled (code in `spec-fix-ups.ts`).
 * - `specDefectsNeedingNoAllowance`: defects that cannot produce a response-validation error.
 *
 * Only add an entry when the AEP docs or `shared/reference/notes` show the spec is wrong,
 * not merely because our server answers differently.
 */

export interface AllowListEntry {
  readonly service: Service;
  /** `'METHOD /template'` exactly as `ContractResult.operation` reports it, or `'*'` for every operation of the service. */
  readonly operation: string;
  /**
   * Either a JSON-pointer pattern into the response body (`''` is the root), e.g. `/_links/next` or `/items/**`,
   * or a spec schema location starting with `#/` that matches itself and everything below it, e.g.
   * `#/components/schemas/SimpleRepresentation`. In both, a `*` segment matches one segment and `**` any number.
   */
  readonly pointer: string;
  /** Optional Ajv keyword (`type`, `format`, `required`, ...) so an entry tolerates only that kind of mismatch. */
  readonly keyword?: string;
  readonly reason: string;
}

const uiAttributeObjects = ['category', 'icon', 'description', 'label'].map(
  (name): AllowListEntry => ({
    service: 'flowservice',
    operation: '*',
    pointer: `#/components/schemas/SourceSpecDTO/properties/attributes/properties/uiAttributes/properties/${name}`,
    keyword: 'type',
    reason: `Typed string, but connection specs carry \`uiAttributes.${name}: {"key": "..."}\` objects (docs sources/sources-sdk/config/sourcespec.md, and the spec's own POST/PUT /connectionSpecs examples).`,
  }),
);

const epochMillisDates = ['createdDate', 'modifiedDate'].map(
  (name): AllowListEntry => ({
    service: 'conversion',
    operation: '*',
    pointer: `#/components/schemas/*/properties/${name}`,
    keyword: 'type',
    reason: `Typed \`string, date-time\`, but mapping sets and mappings carry \`${name}\` as epoch milliseconds (docs data-prep/api/mapping-set.md, the payments tutorial, notes aep-behaviour.md 1.1/3.1, and the spec's own examples).`,
  }),
);

const jsonSchemaKeywords = ['default', 'minimum', 'maximum', 'enum'].map(
  (name): AllowListEntry => ({
    service: 'conversion',
    operation: '*',
    pointer: `#/components/schemas/JsonSchema/properties/${name}`,
    keyword: 'type',
    reason: `The generated JsonSchema model types \`${name}\` as an object (enum items as objects); the expanded output schema in docs data-prep/api/mapping-set.md has \`"default": "not_specified"\`, \`"minimum": 1\` and string enums.`,
  }),
);

export const specAllowList: readonly AllowListEntry[] = [
  {
    service: 'import',
    operation: '*',
    pointer: '#/components/schemas/Batch/properties/inputFormat/properties/format',
    keyword: 'enum',
    reason:
      'The enum lists parquet and json only, but Batch Ingestion takes CSV too: the docs (ingestion/batch-ingestion/api-overview.md, "Ingest CSV files") create batches with `"inputFormat": {"format": "csv"}` (notes aep-wire-conventions.md 1.1).',
  },
  {
    service: 'schemaregistry',
    operation: 'GET /{CONTAINER_ID}/descriptors',
    pointer: '/*/*',
    keyword: 'type',
    reason:
      'The list response is typed as descriptor objects for every Accept type, but with the default `application/vnd.adobe.xdm-id+json` (and `xdm-link+json`) the docs (xdm/api/descriptors.md, "List descriptors") show arrays of descriptor ids (or links) grouped by @type.',
  },
  {
    service: 'flowservice',
    operation: 'GET /connections/{BASE_CONNECTION_ID}/explore',
    pointer: '',
    keyword: 'type',
    reason:
      'The spec models only `objectType=root` (an array of tables). `objectType=table&object=...` returns an object `{format, schema: {columns}}` (docs sources/tutorials/api/explore/payments.md and tabular.md; notes aep-behaviour.md 1.2).',
  },
  ...uiAttributeObjects,
  {
    service: 'flowservice',
    operation: '*',
    pointer: '#/components/schemas/FlowSpecItemDTO/properties/transformationSpecs',
    keyword: 'type',
    reason:
      'Typed as one object, but flow specs carry an array of `{name, spec}` (Copy, Mapping): the CRMToAEP response in docs sources/tutorials/api/collect/payments.md and every flow-spec example in the Sources docs.',
  },
  {
    service: 'schemaregistry',
    operation: '*',
    pointer: '#/definitions/listResponseBasic/properties/_page/properties/next',
    keyword: 'type',
    reason: 'Typed string, but the last page has `"_page": {"next": null}` (every list example in docs xdm/api/*.md; notes 4.3).',
  },
  {
    service: 'schemaregistry',
    operation: '*',
    pointer: '#/definitions/linksBasic/properties/next',
    keyword: 'type',
    reason: 'Typed string, but lists return `"_links": {"next": null}` on the last page and `{href}` otherwise (docs xdm/api/*.md; notes 4.3).',
  },
  {
    service: 'schemaregistry',
    operation: '*',
    pointer: '#/definitions/createDescriptor/properties/xdm:sourceVersion',
    keyword: 'type',
    reason:
      'Typed string, but descriptors carry `"xdm:sourceVersion": 1` (docs xdm/api/descriptors.md, the XDM descriptor schemas, the spec\'s own examples, and its lookupDescriptorResponse which says integer).',
  },
  {
    service: 'schemaregistry',
    operation: '*',
    pointer: '#/definitions/relationshipDescriptorResponse/allOf/1/properties/xdm:destinationVersion',
    keyword: 'type',
    reason:
      'Typed string, but relationship descriptors carry `"xdm:destinationVersion": 1` as `xdm:sourceVersion` does (docs xdm/api/descriptors.md and xdm/tutorials/relationship-api.md, every relationship example; Adobe\'s CDP collection sends an integer).',
  },
  {
    service: 'schemaregistry',
    operation: 'GET /stats',
    pointer: '#/definitions/statsResponse/properties/classUsage',
    keyword: 'type',
    reason: 'Typed array, but `classUsage` is an object keyed by class `$id`, each value an array of `{$id, title, description}` (docs xdm/api/getting-started.md, GET /stats; notes 5).',
  },
  ...epochMillisDates,
  ...jsonSchemaKeywords,
  {
    service: 'conversion',
    operation: '*',
    pointer: '#/components/schemas/ValidationResponse/properties/errors',
    keyword: 'type',
    reason: 'Typed array, but a valid mapping reports `"errors": null` (docs data-prep/api/mapping-set.md and the spec\'s own example).',
  },
  {
    service: 'conversion',
    operation: 'POST /mappingSets/preview',
    pointer: '',
    keyword: 'type',
    reason: 'The spec declares one PreviewResponse object; the docs return an array `[{data, errors: null}]`, one entry per input row (docs data-prep/api/mapping-set.md; notes aep-behaviour.md 3.1).',
  },
  {
    service: 'conversion',
    operation: 'GET /mappingSets/{MAPPING_SET_ID}/mappings',
    pointer: '',
    keyword: 'type',
    reason: 'The spec declares one MappingOperation; the docs return an array of all mappings in the set (docs data-prep/api/mapping-set.md).',
  },
  {
    service: 'conversion',
    operation: '*',
    pointer: '#/components/schemas/SourceType',
    keyword: 'enum',
    reason:
      'Enum ATTRIBUTE|EXPRESSION|STATIC, but stored mappings come back with `"sourceType": "text/x.schema-path"` (docs data-prep/api/mapping-set.md GET/PUT responses, notes aep-behaviour.md 3.2, the spec\'s own MappingOperation example).',
  },
  {
    service: 'import',
    operation: '*',
    pointer: '#/components/schemas/Batch/properties/status',
    keyword: 'enum',
    reason:
      'The enum lacks the lifecycle states: `POST /batches` returns `"status": "loading"` (docs ingestion/batch-ingestion/api-overview.md), later loaded, staging, staged, aborted, abandoned, inactive, deleted (notes aep-behaviour.md 5.2; catalog.yaml lists them).',
  },
];

export interface SpecFixUpNote {
  readonly id: string;
  readonly service: Service;
  /** Where in the spec file the defect is. */
  readonly location: string;
  readonly reason: string;
}

export const specFixUps = [
  {
    id: 'trim-trailing-space-keys',
    service: 'schemaregistry',
    location: "142 keys such as '$ref ' and 'allOf '; 5 in schemas: definitions/{createSchema,singleSchemaResponse,replaceSchema,createClass,replaceClass} .../allOf/items/properties",
    reason:
      "YAML keys with a trailing space ('$ref ', 'allOf '). The wire uses '$ref' (notes aep-wire-conventions.md 1.3), so the keys are trimmed; otherwise the schemas describe a property literally named '$ref '.",
  },
  {
    id: 'patch-op-any-case',
    service: 'flowservice',
    location: '#/components/schemas/PatchInstruction/properties/op',
    reason:
      'The enum is ADD|REPLACE|REMOVE, but the Flow Service docs and clients send add|replace|remove (aepp sends "Add"); notes 1.3 and 4.5 say to accept either case. Lower-case values are added to the enum. (Request-body schema only; no response uses it.)',
  },
  {
    id: 'runs-activities-spelling',
    service: 'flowservice',
    location: '#/components/schemas/FlowRunItemDTO/properties/activites',
    reason:
      "The runs DTO spells the property 'activites' (sic); the docs (monitor.md) and the wire use 'activities'. The same schema is added under 'activities' so a run's activities are actually validated.",
  },
] as const satisfies readonly SpecFixUpNote[];

export type SpecFixUpId = (typeof specFixUps)[number]['id'];

export interface SpecDefectNote {
  readonly service: Service;
  readonly location: string;
  readonly reason: string;
  /** Why no allow-list entry or fix-up is needed. */
  readonly handling: string;
}

export const specDefectsNeedingNoAllowance: readonly SpecDefectNote[] = [
  {
    service: 'flowservice',
    location: '#/components/schemas/FlowItemDTO/properties/flowSpec',
    reason: 'Declared `type: object` but its example is a string id. The docs show `flowSpec: {id, version}`, so the type is right and the example is wrong.',
    handling: 'Examples are never used for validation.',
  },
  {
    service: 'flowservice',
    location: "#/paths/~1connections~1{BASE_CONNECTION_ID}~1 (PATCH, DELETE)",
    reason: 'Declared with a trailing slash next to `GET /connections/{BASE_CONNECTION_ID}`; the docs call `PATCH /connections/{id}`.',
    handling: 'The path matcher ignores a trailing slash on both the template and the request.',
  },
  {
    service: 'flowservice',
    location: "#/paths/~1targetConnections~1{TARGET_CONNECTION_ID}/get/parameters",
    reason: '`retrieveTargetConnection` omits the x-sandbox-name header parameter.',
    handling: 'Request-side only; responses are unaffected.',
  },
  {
    service: 'flowservice',
    location: 'most 4xx/5xx responses (403, 503, 401, 500)',
    reason: 'Error responses declare an empty `content`, although the service returns the RFC-7807-like error body (notes 4.2).',
    handling: 'No body schema, so those responses come back `checked: false`.',
  },
  {
    service: 'catalog',
    location: 'every 4xx/5xx/default response',
    reason: 'Catalog (and Data Prep) declare no error body schema (notes 1.3).',
    handling: 'No body schema, so those responses come back `checked: false`.',
  },
];
