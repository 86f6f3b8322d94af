/**
 * Response bodies copied from the payments tutorial (AdobeDocs/experience-platform.en
 * `help/sources/tutorials/api/collect/payments.md` @ 0085306a), used as known-good inputs for the validator.
 * The CRMToAEP `sourceConnectionSpecIds` list is shortened; everything else is verbatim.
 */
export const paymentsTutorialBodies = {
  createFlow: {
    id: 'e0bd8463-0913-4ca1-bd84-6309134ca1f6',
    etag: '"04004fe9-0000-0200-0000-5ebc4c8b0000"',
  },
  createSourceConnection: {
    id: '2c48a152-3d49-43cb-88a1-523d49e3cbcb',
    etag: '"8000c843-0000-0200-0000-5e8917ea0000"',
  },
  createDataset: ['@/dataSets/5e8918669cbbee18ad9771f3'],
  createMapping: {
    id: 'b54a8dc38e8d4e31a2dc096e413ae8e5',
    version: 0,
    createdDate: 1586043319604,
    modifiedDate: 1586043319604,
    createdBy: '{CREATED_BY}',
    modifiedBy: '{MODIFIED_BY}',
  },
  createSchema: {
    $id: 'https://ns.adobe.com/{TENANT_ID}/schemas/14d89c5bb88e2ff488f23db896be469e7e30bb166bda8722',
    'meta:altId': '_{TENANT_ID}.schemas.14d89c5bb88e2ff488f23db896be469e7e30bb166bda8722',
    'meta:resourceType': 'schemas',
    version: '1.0',
    title: 'PayPal target XDM schema',
    type: 'object',
    description: 'PayPal target XDM',
    allOf: [
      { $ref: 'https://ns.adobe.com/xdm/context/profile', type: 'object', 'meta:xdmType': 'object' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details', type: 'object', 'meta:xdmType': 'object' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details', type: 'object', 'meta:xdmType': 'object' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details', type: 'object', 'meta:xdmType': 'object' },
    ],
    refs: [
      'https://ns.adobe.com/xdm/context/profile-person-details',
      'https://ns.adobe.com/xdm/context/profile-personal-details',
      'https://ns.adobe.com/xdm/context/profile',
    ],
    imsOrg: '{IMS_ORG}',
    'meta:extensible': false,
    'meta:abstract': false,
    'meta:extends': [
      'https://ns.adobe.com/xdm/context/profile-person-details',
      'https://ns.adobe.com/xdm/context/profile-personal-details',
      'https://ns.adobe.com/xdm/common/auditable',
      'https://ns.adobe.com/xdm/data/record',
      'https://ns.adobe.com/xdm/context/profile',
    ],
    'meta:xdmType': 'object',
    'meta:registryMetadata': {
      'repo:createdDate': 1586042956286,
      'repo:lastModifiedDate': 1586042956286,
      'xdm:createdClientId': '{CREATED_CLIENT_ID}',
      'xdm:lastModifiedClientId': '{LAST_MODIFIED_CLIENT_ID}',
      'xdm:createdUserId': '{CREATED_USER_ID}',
      'xdm:lastModifiedUserId': '{LAST_MODIFIED_USER_ID}',
      eTag: '952e8912724d7f43cbc1471e3987bc5b6899519c186126b7c50619f2dddf8650',
    },
    'meta:class': 'https://ns.adobe.com/xdm/context/profile',
    'meta:containerId': 'tenant',
    'meta:tenantNamespace': '_{TENANT_ID}',
  },
  flowSpecs: {
    items: [
      {
        id: '14518937-270c-4525-bdec-c2ba7cce3860',
        name: 'CRMToAEP',
        providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
        version: '1.0',
        sourceConnectionSpecIds: ['3416976c-a9ca-4bba-901a-1f08f66978ff', '221c7626-58f6-4eec-8ee2-042b0226f03b'],
        targetConnectionSpecIds: ['c604ff05-7f1a-43c0-8e18-33bf874cb11c'],
        optionSpec: {
          name: 'OptionSpec',
          spec: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: {
              errorDiagnosticsEnabled: { title: 'Error diagnostics.', type: 'boolean', default: false },
              partialIngestionPercent: { title: 'Partial ingestion threshold.', type: 'number', exclusiveMinimum: 0 },
            },
          },
        },
        transformationSpecs: [
          {
            name: 'Copy',
            spec: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              properties: {
                deltaColumn: {
                  type: 'object',
                  properties: { name: { type: 'string' }, dateFormat: { type: 'string' }, timezone: { type: 'string' } },
                  required: ['name'],
                },
              },
              required: ['deltaColumn'],
            },
          },
          {
            name: 'Mapping',
            spec: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              description: 'defines various params required for different mapping from source to target',
              properties: { mappingId: { type: 'string' }, mappingVersion: { type: 'string' } },
            },
          },
        ],
        scheduleSpec: {
          name: 'PeriodicSchedule',
          type: 'Periodic',
          spec: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: {
              startTime: { description: 'epoch time', type: 'integer' },
              frequency: { type: 'string', enum: ['once', 'minute', 'hour', 'day', 'week'] },
              interval: { type: 'integer' },
              backfill: { type: 'boolean', default: true },
            },
            required: ['startTime', 'frequency'],
            if: { properties: { frequency: { const: 'once' } } },
            then: { allOf: [{ not: { required: ['interval'] } }, { not: { required: ['backfill'] } }] },
            else: {
              required: ['interval'],
              if: { properties: { frequency: { const: 'minute' } } },
              then: { properties: { interval: { minimum: 15 } } },
              else: { properties: { interval: { minimum: 1 } } },
            },
          },
        },
        attributes: { notification: { category: 'sources', flowRun: { enabled: true } } },
        permissionsInfo: {
          view: [{ '@type': 'lowLevel', name: 'EnterpriseSource', permissions: ['read'] }],
          manage: [{ '@type': 'lowLevel', name: 'EnterpriseSource', permissions: ['write'] }],
        },
      },
    ],
  },
} as const;
