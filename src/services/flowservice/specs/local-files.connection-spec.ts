import { localFilesSpecId } from '../../../connectors/local-files/local-files-connector.js';
import { fileExploreSpec, fileSourceSpec, plainString, sourcePermissions, type ConnectionSpec } from './connection-spec.js';

/** Files on the machine Tributary runs on, below one root folder per connection. */
export const localFilesConnectionSpec: ConnectionSpec = {
  id: localFilesSpecId,
  name: 'Local Files',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'cloudStorage', isSource: true, documentationLink: 'README.md#local-files-and-runs' },
  authSpec: [
    {
      name: 'Local Directory',
      type: 'LocalDirectory',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'The folder whose files this connection may read; nothing outside it is reachable',
        properties: { rootPath: plainString('Absolute path of the root folder') },
        required: ['rootPath'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: fileSourceSpec('A file, a folder or a glob below the root', 'e.g. payments/2024-01.csv, payments/ or payments/*.csv.gz'),
  exploreSpec: fileExploreSpec,
  permissionsInfo: sourcePermissions,
  changeCapture: 'file-modification-time',
};
