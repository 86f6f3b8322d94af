import { destinationString, secretString, sourcePermissions, type ConnectionSpec } from './connection-spec.js';

export const stripeConnectionSpec: ConnectionSpec = {
  id: 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3',
  name: 'Stripe',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'payments', isSource: true, isBeta: true, documentationLink: 'README.md#payments-sources' },
  authSpec: [
    {
      name: 'OAuth2 Refresh Code',
      type: 'OAuth2RefreshCode',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'Stripe secret or restricted API key',
        properties: {
          host: destinationString('Stripe API host', { default: 'api.stripe.com' }),
          accessToken: secretString('Stripe secret key (sk_...) or restricted key (rk_...)'),
        },
        required: ['accessToken'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: {
    attributes: { uiAttributes: { isSource: true, isPreview: true, category: { key: 'payments' } } },
    spec: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      description: 'Defines the Stripe resource to read',
      properties: {
        resourcePath: { type: 'string', minLength: 1, description: 'Stripe resource, e.g. charges, customers, refunds' },
        tableName: { type: 'string', minLength: 1, description: 'Table path as listed by explore, e.g. Stripe.Charges' },
      },
      anyOf: [{ required: ['resourcePath'] }, { required: ['tableName'] }],
    },
  },
  exploreSpec: {
    name: 'Rest',
    type: 'Rest',
    requestSpec: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
    responseSpec: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
  },
  permissionsInfo: sourcePermissions,
  changeCapture: 'connector-state',
};
