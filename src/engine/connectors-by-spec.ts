import { localFilesConnector, localFilesSpecId } from '../connectors/local-files/local-files-connector.js';
import { postgresSource, postgresSpecId } from '../connectors/database/postgres/postgres-source.js';
import { paypalDefinition, paypalSpecId } from '../connectors/paypal/paypal.connector.js';
import { squareDefinition, squareSpecId } from '../connectors/square/square.connector.js';
import { stripeDefinition, stripeSpecId } from '../connectors/stripe/stripe.connector.js';
import { RestConnector, type RestConnectorOptions } from '../connectors/rest/rest-connector.js';
import type { SourceConnector } from '../connectors/source-connector.js';
import { uploadedFilesConnector, uploadedFilesSpecId } from '../connectors/uploaded-files/uploaded-files-connector.js';

export interface ConnectorRegistryOptions extends RestConnectorOptions {
  /** Rows per keyset page of a database read (TRIBUTARY_DB_PAGE_ROWS); `defaultPageRows` otherwise. */
  databasePageRows?: number | undefined;
}

export type ConnectorLookup = (specId: string) => SourceConnector | undefined;

/**
 * The connector that reads each connection spec's sources. API connectors share the app's clock, so their
 * windows follow the same time as the scheduler's.
 */
export function connectorRegistry(options: ConnectorRegistryOptions = {}): ConnectorLookup {
  const connectors = new Map<string, SourceConnector>([
    [localFilesSpecId, localFilesConnector],
    [uploadedFilesSpecId, uploadedFilesConnector],
    [paypalSpecId, new RestConnector(paypalDefinition, options)],
    [stripeSpecId, new RestConnector(stripeDefinition, options)],
    [squareSpecId, new RestConnector(squareDefinition, options)],
    [postgresSpecId, postgresSource({ pageRows: options.databasePageRows })],
  ]);
  return (specId) => connectors.get(specId);
}
