import { localFilesConnector, localFilesSpecId } from '../connectors/local-files/local-files-connector.js';
import type { SourceConnector } from '../connectors/source-connector.js';

/** The connector that reads each connection spec's sources. */
const connectors = new Map<string, SourceConnector>([[localFilesSpecId, localFilesConnector]]);

export function connectorFor(specId: string): SourceConnector | undefined {
  return connectors.get(specId);
}
