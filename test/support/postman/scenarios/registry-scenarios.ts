import type { Scenario } from '../plain-collection.js';
import type { TestApi } from '../../test-api.js';
import { json, once, post, str, tenantSchema, unique } from './fixtures.js';

const registry = '/data/foundation/schemaregistry';
const profile = 'https://ns.adobe.com/xdm/context/profile';
const record = 'https://ns.adobe.com/xdm/data/record';

function fieldGroupBody(api: TestApi): Record<string, unknown> {
  return {
    title: unique('collection field group'),
    type: 'object',
    'meta:intendedToExtend': [profile],
    definitions: { extra: { properties: { [`_${api.tenantId}`]: { type: 'object', properties: { loyaltyLevel: { type: 'string' } } } } } },
    allOf: [{ $ref: '#/definitions/extra' }],
  };
}

const classBody = () => ({ title: unique('collection class'), type: 'object', allOf: [{ $ref: record }] });
const dataTypeBody = () => ({ title: unique('collection data type'), type: 'object', properties: { code: { type: 'string' } } });
const schemaBody = () => ({ title: unique('collection schema'), type: 'object', allOf: [{ $ref: profile }, { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' }] });

/** A new tenant resource, its alt id. */
async function created(api: TestApi, type: string, body: unknown): Promise<string> {
  return post(api, `${registry}/tenant/${type}`, body, 'meta:altId');
}

async function schemaAltId(api: TestApi): Promise<string> {
  const id = await tenantSchema(api);
  return str((await api.request('GET', `${registry}/tenant/schemas/${encodeURIComponent(id)}`, { headers: { accept: 'application/vnd.adobe.xed-id+json' } })).json, 'meta:altId');
}

function identityBody(schemaId: string): Record<string, unknown> {
  return { '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': schemaId, 'xdm:sourceVersion': 1, 'xdm:sourceProperty': '/person/name/fullName', 'xdm:namespace': 'Email', 'xdm:property': 'xdm:code', 'xdm:isPrimary': false };
}

/** A schema enabled for Profile, so that the Profile class has a union. */
function union(api: TestApi): Promise<string> {
  return once(api, 'union', async () => {
    await post(api, `${registry}/tenant/schemas`, { ...schemaBody(), allOf: [{ $ref: profile }, { $ref: 'https://ns.adobe.com/xdm/context/identitymap' }], 'meta:immutableTags': ['union'] }, '$id');
    return '_xdm.context.profile__union';
  });
}

const patchDescription = json([{ op: 'replace', path: '/description', value: 'changed through the collection' }]);
const forEachType = (type: string, singular: string, body: (api: TestApi) => Record<string, unknown>, lookup: { container: string; id: (api: TestApi) => Promise<string> }): Record<string, Scenario> => ({
  [`GET /schemaregistry/:CONTAINER_ID/${type}`]: { vars: async () => ({ CONTAINER_ID: lookup.container }) },
  [`GET /schemaregistry/:CONTAINER_ID/${type}/:${singular}`]: { vars: async (api) => ({ CONTAINER_ID: lookup.container, [singular]: await lookup.id(api) }) },
  [`POST /schemaregistry/tenant/${type}`]: { vars: async (api) => ({ payload: json(body(api)) }) },
  [`PUT /schemaregistry/tenant/${type}/:${singular}`]: { vars: async (api) => ({ [singular]: await created(api, type, body(api)), payload: json(body(api)) }) },
  [`PATCH /schemaregistry/tenant/${type}/:${singular}`]: { vars: async (api) => ({ [singular]: await created(api, type, body(api)), payload: patchDescription }) },
  [`DELETE /schemaregistry/tenant/${type}/:${singular}`]: { vars: async (api) => ({ [singular]: await created(api, type, body(api)) }) },
});

/** Adobe's "Schema Registry API" collection, request by request. */
export const registryScenarios: Record<string, Scenario> = {
  'GET /schemaregistry/stats': {},
  ...forEachType('fieldgroups', 'FIELD_GROUP_ID', fieldGroupBody, { container: 'global', id: async () => '_xdm.context.profile-person-details' }),
  ...forEachType('mixins', 'MIXIN_ID', fieldGroupBody, { container: 'global', id: async () => '_experience.campaign.experienceevent-all' }),
  ...forEachType('schemas', 'SCHEMA_ID', schemaBody, { container: 'tenant', id: schemaAltId }),
  ...forEachType('classes', 'CLASS_ID', classBody, { container: 'global', id: async () => '_xdm.classes.opportunity-person' }),
  ...forEachType('datatypes', 'DATA_TYPE_ID', dataTypeBody, { container: 'global', id: async () => '_xdm.context.person' }),
  'GET /schemaregistry/global/behaviors': {},
  'GET /schemaregistry/global/behaviors/:BEHAVIOR_ID': { vars: async () => ({ BEHAVIOR_ID: '_xdm.data.record' }) },
  'GET /schemaregistry/:CONTAINER_ID/descriptors': { vars: async () => ({ CONTAINER_ID: 'tenant' }) },
  'GET /schemaregistry/:CONTAINER_ID/descriptors/:DESCRIPTOR_ID': {
    vars: async (api) => ({ CONTAINER_ID: 'tenant', DESCRIPTOR_ID: await post(api, `${registry}/tenant/descriptors`, identityBody(await tenantSchema(api)), '@id') }),
  },
  'POST /schemaregistry/tenant/descriptors': { vars: async (api) => ({ descriptorPayload: json(identityBody(await tenantSchema(api))) }) },
  'PUT /schemaregistry/tenant/descriptors/:DESCRIPTOR_ID': {
    vars: async (api) => {
      const schemaId = await tenantSchema(api);
      return { DESCRIPTOR_ID: await post(api, `${registry}/tenant/descriptors`, identityBody(schemaId), '@id'), descriptorPayload: json({ ...identityBody(schemaId), 'xdm:namespace': 'Phone' }) };
    },
    status: 201,
    reason: 'The docs (xdm/api/descriptors.md, "Update a descriptor") answer a PUT with 201 Created and the @id; the OpenAPI file says 200.',
  },
  'DELETE /schemaregistry/tenant/descriptors/:DESCRIPTOR_ID': {
    vars: async (api) => ({ DESCRIPTOR_ID: await post(api, `${registry}/tenant/descriptors`, identityBody(await tenantSchema(api)), '@id') }),
  },
  'GET /schemaregistry/tenant/unions': { vars: async (api) => (await union(api), {}) },
  'GET /schemaregistry/tenant/unions/:UNION_ID': { vars: async (api) => ({ UNION_ID: await union(api) }) },
  'GET /schemaregistry/rpc/export/:RESOURCE_ID': { vars: async (api) => ({ RESOURCE_ID: await schemaAltId(api) }) },
  'POST /schemaregistry/rpc/import': {
    vars: async (api) => {
      const exported = await api.request('GET', `${registry}/rpc/export/${await created(api, 'datatypes', dataTypeBody())}`);
      // Imported into the same sandbox it needs a title of its own (titles are unique), as a user would rename it.
      const payload = (exported.json as Record<string, unknown>[]).map((resource) => ({ ...resource, title: unique('imported data type') }));
      await api.request('DELETE', `${registry}/tenant/datatypes/${encodeURIComponent(String((payload[0] as Record<string, unknown> | undefined)?.$id).replace('<XDM_TENANTID_PLACEHOLDER>', api.tenantId))}`);
      return { body: json(payload) };
    },
  },
  'GET /schemaregistry/rpc/sampledata/:SCHEMA_ID': { vars: async (api) => ({ SCHEMA_ID: await schemaAltId(api) }) },
  'GET /schemaregistry/rpc/auditlog/:RESOURCE_ID': { vars: async (api) => ({ RESOURCE_ID: await schemaAltId(api) }) },
};
