import { mariadbSpecId, mysqlSpecId } from '../../../connectors/database/mysql/mysql-sources.js';
import { connectionStringAuthSpec, databaseSourceSpec, sourcePermissions, tabularExploreSpec, type ConnectionSpec } from './connection-spec.js';

/**
 * AEP's MySQL and MariaDB sources: one auth spec each, "Connection String Based Authentication", whose
 * `connectionString` (a secret: it holds the password) reads `Server=…;Port=…;Database=…;UID=…;PWD=…`, with TLS
 * by `SslMode=None|Preferred|Required|VerifyCA|VerifyFull` (or `EncryptionMethod`/`ValidateServerCertificate`).
 */
function mysqlFamilySpec(id: string, name: 'MySQL' | 'MariaDB', pattern: string): ConnectionSpec {
  return {
    id,
    name,
    providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
    version: '1.0',
    attributes: { category: 'database', isSource: true, documentationLink: 'README.md#mysql-and-mariadb' },
    authSpec: [connectionStringAuthSpec(`Connection string of the ${name} database`, `${pattern}; TLS: append SslMode=Preferred, Required, VerifyCA or VerifyFull`)],
    sourceSpec: databaseSourceSpec(`The ${name} table or view to read`, 'A table or view of the database, or database.table, as explore lists it'),
    exploreSpec: tabularExploreSpec,
    permissionsInfo: sourcePermissions,
  };
}

export const mysqlConnectionSpec = mysqlFamilySpec(mysqlSpecId, 'MySQL', 'Server={SERVER};Port={PORT};Database={DATABASE};UID={USERNAME};PWD={PASSWORD}');
export const mariadbConnectionSpec = mysqlFamilySpec(mariadbSpecId, 'MariaDB', 'Server={HOST};Port={PORT};Database={DATABASE};UID={USERNAME};PWD={PASSWORD}');
