import { postgresSpecId } from '../../../connectors/database/postgres/postgres-source.js';
import { secretString, sourcePermissions, tabularExploreSpec, type ConnectionSpec } from './connection-spec.js';

/** AEP's PostgreSQL source: one connection string, tables named `schema.table`, read with the CRMToAEP flow spec. */
export const postgresqlConnectionSpec: ConnectionSpec = {
  id: postgresSpecId,
  name: 'PostgreSQL',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'database', isSource: true, documentationLink: 'README.md#database-sources' },
  authSpec: [
    {
      name: 'Connection String Based Authentication',
      type: 'ConnectionStringBasedAuthentication',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'Server, database and credentials; append EncryptionMethod=1 (or 6) and ValidateServerCertificate=0|1 for TLS',
        properties: {
          connectionString: secretString('Server={SERVER};Database={DATABASE};Port={PORT};UID={USERNAME};Password={PASSWORD}'),
        },
        required: ['connectionString'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: {
    attributes: { uiAttributes: { isSource: true, isPreview: true, category: { key: 'database' } } },
    spec: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      description: 'The table or view to read',
      properties: { tableName: { type: 'string', minLength: 1, description: 'schema.table, as explore lists it (e.g. public.orders)' } },
      required: ['tableName'],
    },
  },
  exploreSpec: tabularExploreSpec,
  permissionsInfo: sourcePermissions,
};
