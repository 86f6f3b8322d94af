import { amazonS3SpecId } from '../../../connectors/amazon-s3/amazon-s3-connector.js';
import { defaultRegion } from '../../../connectors/amazon-s3/s3-settings.js';
import { destinationString, fileExploreSpec, fileSourceSpec, plainString, secretString, sourcePermissions, type ConnectionSpec } from './connection-spec.js';

/**
 * Amazon S3 and S3-compatible stores, with AEP's connection spec id and its "Access Key" auth params, so AEP
 * scripts create the same connections. `region` is Tributary's own, for buckets outside us-east-1 when no
 * serviceUrl names the region.
 */
export const amazonS3ConnectionSpec: ConnectionSpec = {
  id: amazonS3SpecId,
  name: 'Amazon S3',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'cloudStorage', isSource: true, documentationLink: 'README.md#amazon-s3' },
  authSpec: [
    {
      name: 'Access Key',
      type: 'KeyBased',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'An access key pair (and session token, for temporary credentials) that may list and read the bucket',
        properties: {
          s3AccessKey: plainString('Access key id, e.g. AKIA...'),
          s3SecretKey: secretString('Secret access key'),
          s3SessionToken: secretString('Session token of temporary credentials (optional)'),
          serviceUrl: destinationString('Endpoint, e.g. https://s3.eu-west-1.amazonaws.com; any other host (an S3-compatible store) is addressed path-style (optional)', { pattern: '^https?://' }),
          bucketName: plainString('Bucket to read; without it, paths start with the bucket name (optional)', { pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
          folderPath: plainString('Folder (key prefix) in the bucket that paths are relative to (optional)'),
          region: plainString(`Tributary: the bucket's region when serviceUrl does not name it (default ${defaultRegion})`, { pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
        },
        required: ['s3AccessKey', 's3SecretKey'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: fileSourceSpec("An object, a folder or a glob below the connection's bucket and folderPath", 'e.g. settlements/2026-12-01.csv, settlements/ or settlements/*.csv.gz'),
  exploreSpec: fileExploreSpec,
  permissionsInfo: sourcePermissions,
  changeCapture: 'file-modification-time',
};
