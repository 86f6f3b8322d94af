import { localFilesConnector, localFilesSpecId } from '../connectors/local-files/local-files-connector.js';
import type { SourceConnector } from '../connectors/source-connector.js';
import { uploadedFilesConnector, uploadedFilesSpecId } from '../connectors/uploaded-files/uploaded-files-connector.js';

/** The connector that reads each connection spec's sources. */
const connectors = new Map<string, SourceConnector>([
  [localFilesSpecId, localFilesConnector],
  [uploadedFilesSpecId, uploadedFilesConnector],
]);

export function connectorFor(specId: string): SourceConnector | undefined {
  return connectors.get(specId);
}
