import type { ExplorableSource } from '../../explorable-source.js';
import type { SourceConnector } from '../../source-connector.js';
import { DatabaseSource, type DatabaseSourceOptions } from '../database-source.js';
import { postgresDialect } from './postgres-dialect.js';

/** AEP's PostgreSQL connection spec. */
export const postgresSpecId = '74a1c565-4e59-48d7-9d67-7c03b8a13137';

/** PostgreSQL tables and views, read with `COPY … TO STDOUT` in keyset pages (see `DatabaseSource`). */
export function postgresSource(options: DatabaseSourceOptions = {}): SourceConnector & ExplorableSource {
  return new DatabaseSource(postgresDialect, options);
}
