/**
 * The request bodies of the payments tutorial (shared/seed/collect-payments-tutorial.md), as the user
 * would paste them, with the ids of earlier steps filled in by the caller.
 */
export const paypalBaseConnection = {
  name: 'Connection for PayPal',
  description: 'Connection for PayPal account',
  auth: {
    specName: 'Client-Id-Secret Based Authentication',
    params: { host: 'api.sandbox.paypal.com', clientId: 'paypal-client-id', clientSecret: 'paypal-client-secret-value' },
  },
  connectionSpec: { id: '221c7626-58f6-4eec-8ee2-042b0226f03b', version: '1.0' },
};

/** Verbatim, including the stray `}` that makes it invalid JSON (tutorial note 1). */
export function malformedSourceConnection(connectionId: string): string {
  return `{
        "name": "PayPal source connection",
        "connectionId": "${connectionId}",
        "description": "PayPal source connection",
        "data": {
            "format": "tabular",
            }
        },
        "params": {
            "path": "PayPal.Catalog_Products"
        },
        "connectionSpec": {
            "id": "221c7626-58f6-4eec-8ee2-042b0226f03b",
            "version": "1.0"
        }
    }`;
}

export function sourceConnection(connectionId: string) {
  return {
    name: 'PayPal source connection',
    connectionId,
    description: 'PayPal source connection',
    data: { format: 'tabular' },
    params: { path: 'PayPal.Catalog_Products' },
    connectionSpec: { id: '221c7626-58f6-4eec-8ee2-042b0226f03b', version: '1.0' },
  };
}

export const targetSchema = {
  type: 'object',
  title: 'PayPal target XDM schema',
  description: 'PayPal target XDM schema',
  allOf: [
    { $ref: 'https://ns.adobe.com/xdm/context/profile' },
    { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' },
    { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' },
    { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' },
  ],
  'meta:containerId': 'tenant',
  'meta:resourceType': 'schemas',
  'meta:xdmType': 'object',
  'meta:class': 'https://ns.adobe.com/xdm/context/profile',
};

/** The replay's correction (tutorial note 5): a tenant field group carrying the product fields the mapping writes. */
export function productFieldGroup(tenantId: string) {
  return {
    title: 'PayPal product details',
    description: 'Product fields collected from PayPal',
    type: 'object',
    'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/profile'],
    definitions: {
      product: {
        properties: {
          [`_${tenantId}`]: {
            type: 'object',
            properties: {
              product: {
                type: 'object',
                properties: { name: { type: 'string' }, description: { type: 'string' }, type: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    allOf: [{ $ref: '#/definitions/product' }],
  };
}

export function dataSet(schemaId: string) {
  return {
    name: 'PayPal target dataset',
    schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full-notext+json; version=1' },
  };
}

/** As in the tutorial: with the PayPal spec id, which tutorial note 3 says must be rejected. */
export function targetConnection(schemaId: string, dataSetId: string, specId = '221c7626-58f6-4eec-8ee2-042b0226f03b') {
  return {
    name: 'Target Connection for payments',
    description: 'Target Connection for payments',
    data: { schema: { id: schemaId, version: 'application/vnd.adobe.xed-full+json;version=1.0' } },
    params: { dataSetId },
    connectionSpec: { id: specId, version: '1.0' },
  };
}

export function mappingSet(schemaId: string, productPrefix = '') {
  const rule = (destinationXdmPath: string, sourceAttribute: string) => ({
    destinationXdmPath,
    sourceAttribute,
    identity: false,
    identityGroup: null,
    namespaceCode: null,
    version: 0,
  });
  return {
    version: 0,
    xdmSchema: schemaId,
    xdmVersion: '1.0',
    id: null,
    mappings: [
      rule('_id', 'Product_Id'),
      rule(`${productPrefix}product.name`, 'Product_Name'),
      rule(`${productPrefix}product.description`, 'Description'),
      rule(`${productPrefix}product.type`, 'Type'),
    ],
  };
}

export function flow(sourceConnectionId: string, targetConnectionId: string, mappingId: string) {
  return {
    name: 'Dataflow between payments Platform',
    description: 'Inbound data to Platform',
    flowSpec: { id: '14518937-270c-4525-bdec-c2ba7cce3860', version: '1.0' },
    sourceConnectionIds: [sourceConnectionId],
    targetConnectionIds: [targetConnectionId],
    transformations: [
      { name: 'Copy', params: { deltaColumn: { name: 'updatedAt', dateFormat: 'YYYY-MM-DD', timezone: 'UTC' } } },
      { name: 'Mapping', params: { mappingId, mappingVersion: '0' } },
    ],
    scheduleParams: { startTime: '1567411548', frequency: 'minute', interval: '30' },
  };
}
