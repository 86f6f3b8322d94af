import { postgresSpecId } from '../../../connectors/database/postgres/postgres-source.js';
import { connectionStringAuthSpec, databaseSourceSpec, sourcePermissions, tabularExploreSpec, type ConnectionSpec } from './connection-spec.js';

/** AEP's PostgreSQL source: one connection string, tables named `schema.table`, read with the CRMToAEP flow spec. */
export const postgresqlConnectionSpec: ConnectionSpec = {
  id: postgresSpecId,
  name: 'PostgreSQL',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'database', isSource: true, documentationLink: 'README.md#database-sources' },
  authSpec: [
    connectionStringAuthSpec(
      'Server, database and credentials; append EncryptionMethod=1 (or 6) and ValidateServerCertificate=0|1 for TLS',
      'Server={SERVER};Database={DATABASE};Port={PORT};UID={USERNAME};Password={PASSWORD}',
    ),
  ],
  sourceSpec: databaseSourceSpec('The table or view to read', 'schema.table, as explore lists it (e.g. public.orders)'),
  exploreSpec: tabularExploreSpec,
  permissionsInfo: sourcePermissions,
};
