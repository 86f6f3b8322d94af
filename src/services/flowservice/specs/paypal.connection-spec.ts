import { destinationString, plainString, secretString, sourcePermissions, tabularExploreSpec, tabularSourceSpec, type ConnectionSpec } from './connection-spec.js';

export const paypalConnectionSpec: ConnectionSpec = {
  id: '221c7626-58f6-4eec-8ee2-042b0226f03b',
  name: 'PayPal',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'payments', isSource: true, isBeta: true, documentationLink: 'README.md#payments-sources' },
  authSpec: [
    {
      name: 'Client-Id-Secret Based Authentication',
      type: 'ClientIdSecret',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'PayPal REST app credentials',
        properties: {
          host: destinationString('PayPal API host: api.sandbox.paypal.com (sandbox) or api.paypal.com (live)', { default: 'api.sandbox.paypal.com' }),
          clientId: plainString('Client ID of the PayPal REST app'),
          clientSecret: secretString('Secret of the PayPal REST app'),
        },
        required: ['clientId', 'clientSecret'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: tabularSourceSpec,
  exploreSpec: tabularExploreSpec,
  permissionsInfo: sourcePermissions,
  changeCapture: 'connector-state',
};
