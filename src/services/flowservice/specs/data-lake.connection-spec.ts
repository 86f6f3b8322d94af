import type { ConnectionSpec } from './connection-spec.js';

export const dataLakeConnectionSpec: ConnectionSpec = {
  id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c',
  name: 'Data Lake',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  type: 'Destination',
  attributes: { isSource: false, isDestination: true, category: 'datalake' },
  authSpec: [],
  targetSpec: {
    attributes: { isDestination: true },
    spec: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      description: 'The dataset the flow writes to',
      properties: {
        dataSetId: { type: 'string', minLength: 1, description: 'Catalog dataset id (without "@/dataSets/")' },
      },
      required: ['dataSetId'],
    },
  },
  permissionsInfo: {
    view: [{ '@type': 'lowLevel', name: 'Datasets', permissions: ['read'] }],
    manage: [{ '@type': 'lowLevel', name: 'Datasets', permissions: ['write'] }],
  },
};
