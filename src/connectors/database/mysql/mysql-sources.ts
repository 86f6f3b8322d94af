import type { ExplorableSource } from '../../explorable-source.js';
import type { SourceConnector } from '../../source-connector.js';
import { DatabaseSource, type DatabaseSourceOptions } from '../database-source.js';
import { MysqlDialect } from './mysql-dialect.js';

/** AEP's connection spec of its MySQL source. */
export const mysqlSpecId = '26d738e0-8963-47ea-aadf-c60de735468a';
/** AEP's connection spec of its MariaDB source. */
export const mariadbSpecId = '3000eb99-cd47-43f3-827c-43caf170f015';

/** The MySQL source: `DatabaseSource` over mysql2. */
export function mysqlSource(options: DatabaseSourceOptions = {}): SourceConnector & ExplorableSource {
  return new DatabaseSource(new MysqlDialect('MySQL'), options);
}

/** The MariaDB source: the same reader (MariaDB speaks MySQL's protocol), under MariaDB's name in messages. */
export function mariadbSource(options: DatabaseSourceOptions = {}): SourceConnector & ExplorableSource {
  return new DatabaseSource(new MysqlDialect('MariaDB'), options);
}
