import { destinationString, plainString, secretString, sourcePermissions, tabularExploreSpec, tabularSourceSpec, type ConnectionSpec } from './connection-spec.js';

export const squareConnectionSpec: ConnectionSpec = {
  id: '2acf109f-9b66-4d5e-bc18-ebb2adcff8d5',
  name: 'Square',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'payments', isSource: true, documentationLink: 'README.md#payments-sources' },
  authSpec: [
    {
      name: 'OAuth2 Refresh Code',
      type: 'OAuth2RefreshCode',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'Square OAuth application and tokens',
        properties: {
          host: destinationString('Square API host: connect.squareup.com (production) or connect.squareupsandbox.com', { default: 'connect.squareup.com' }),
          clientId: plainString('Application ID'),
          clientSecret: secretString('Application secret, used to refresh the access token'),
          accessToken: secretString('OAuth access token'),
          refreshToken: secretString('OAuth refresh token'),
        },
        required: ['clientId', 'clientSecret', 'accessToken', 'refreshToken'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: tabularSourceSpec,
  exploreSpec: tabularExploreSpec,
  permissionsInfo: sourcePermissions,
  changeCapture: 'connector-state',
};
