import type { TestApi } from './test-api.js';
import { str } from './test-api.js';

export const registry = '/data/foundation/schemaregistry';

/** The gateway headers of a second org, for calls that must come from elsewhere. */
export async function otherOrg(api: TestApi, org: string): Promise<{ tenantId: string; orgId: string; headers: Record<string, string> }> {
  const other = await api.app.credentials.create(org);
  return {
    tenantId: other.tenant_id,
    orgId: other.ims_org,
    headers: { authorization: `Bearer ${other.access_token}`, 'x-api-key': other.client_id, 'x-gw-ims-org-id': other.ims_org },
  };
}

/** A tenant data type, a field group using it under the tenant namespace, and a Profile schema with both. */
export async function loyaltyResources(api: TestApi, title = 'Loyalty'): Promise<{ dataTypeId: string; fieldGroupId: string; schemaId: string; schemaAltId: string }> {
  const dataType = await api.request('POST', `${registry}/tenant/datatypes`, {
    body: {
      title: `${title} card`,
      type: 'object',
      properties: {
        cardNumber: { type: 'string', pattern: '^[A-Z]{2}[0-9]{6}$' },
        tier: { type: 'string', enum: ['bronze', 'silver', 'gold'] },
        points: { type: 'integer', minimum: 0, maximum: 1000000 },
      },
    },
  });
  const dataTypeId = str(dataType.json, '$id');
  const fieldGroup = await api.request('POST', `${registry}/tenant/fieldgroups`, {
    body: {
      title: `${title} details`,
      type: 'object',
      'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/profile'],
      definitions: {
        loyalty: {
          properties: {
            [`_${api.tenantId}`]: {
              type: 'object',
              properties: {
                loyalty: { $ref: dataTypeId },
                memberSince: { type: 'string', format: 'date' },
              },
            },
          },
        },
      },
      allOf: [{ $ref: '#/definitions/loyalty' }],
    },
  });
  const fieldGroupId = str(fieldGroup.json, '$id');
  const schema = await api.request('POST', `${registry}/tenant/schemas`, {
    body: {
      title: `${title} members`,
      type: 'object',
      allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' }, { $ref: fieldGroupId }],
    },
  });
  return { dataTypeId, fieldGroupId, schemaId: str(schema.json, '$id'), schemaAltId: str(schema.json, 'meta:altId') };
}
