import { sftpBasicAuthName, sftpKeyAuthName, sftpSpecId } from '../../../connectors/sftp/sftp-settings.js';
import { credentialDestination, destinationString, fileExploreSpec, fileSourceSpec, plainString, secretString, sourcePermissions, type ConnectionSpec, type JsonSchema } from './connection-spec.js';

/** The params both of AEP's SFTP auth specs share: where the server is, who logs in, and the folder to read below. */
const serverParams: Record<string, JsonSchema> = {
  host: destinationString('Name or IP address of the SFTP server'),
  port: { type: 'integer', minimum: 1, maximum: 65535, default: 22, description: 'Port of the SFTP server', [credentialDestination]: true },
  userName: plainString('User with access to the SFTP server'),
  maxConcurrentConnections: { type: 'integer', minimum: 1, description: 'Accepted for AEP compatibility; Tributary reads one file at a time over one connection' },
  folderPath: plainString('Folder the connection may read below (relative to the login folder, or absolute); every path is relative to it', { default: '.' }),
  disableChunking: { type: 'boolean', description: 'Accepted for AEP compatibility; reads resume from an offset either way' },
  // Tributary's own: AEP has no host-key setting and takes whatever key the server shows.
  hostKeyFingerprint: destinationString('Pins the server host key: SHA256:… as ssh-keygen -l prints it. Unset, any host key is accepted'),
};

/** AEP's SFTP source (`b7bf2577-…`), with its basic and SSH public key auth specs. */
export const sftpConnectionSpec: ConnectionSpec = {
  id: sftpSpecId,
  name: 'SFTP',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: { category: 'cloudStorage', isSource: true, documentationLink: 'README.md#sftp-and-amazon-s3-sources' },
  authSpec: [
    {
      name: sftpBasicAuthName,
      type: 'SFTPBasicAuth',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'User name and password',
        properties: { ...serverParams, password: secretString('Password of the user') },
        required: ['host', 'userName', 'password'],
        additionalProperties: false,
      },
    },
    {
      name: sftpKeyAuthName,
      type: 'SFTPPublicKeyAuth',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'User name and SSH private key',
        properties: {
          ...serverParams,
          privateKeyContent: secretString('The private key file (OpenSSH or PEM; RSA, ECDSA or ed25519), base64-encoded'),
          passPhrase: secretString('Passphrase of the private key, when it has one'),
        },
        required: ['host', 'userName', 'privateKeyContent'],
        additionalProperties: false,
      },
    },
  ],
  sourceSpec: fileSourceSpec('A file, a folder or a glob below folderPath', 'e.g. settlements/2024-01.csv, settlements/ or settlements/*.csv.gz'),
  exploreSpec: fileExploreSpec,
  permissionsInfo: sourcePermissions,
  changeCapture: 'file-modification-time',
};
