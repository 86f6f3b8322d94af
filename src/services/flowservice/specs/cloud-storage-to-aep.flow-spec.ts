import { sourcePermissions } from './connection-spec.js';
import { dataLakeConnectionSpec } from './data-lake.connection-spec.js';
import { copyTransformationSpec, ingestionOptionSpec, mappingTransformationSpec, periodicScheduleSpec, sourceFlowAttributes, adhocRunSpec, type FlowSpec } from './flow-spec.js';
import { localFilesConnectionSpec } from './local-files.connection-spec.js';
import { amazonS3SpecId } from '../../../connectors/amazon-s3/amazon-s3-connector.js';
import { sftpConnectionSpec } from './sftp.connection-spec.js';

/** File sources into the Data Lake (AEP's cloud-storage flow spec). */
export const cloudStorageToAepFlowSpec: FlowSpec = {
  id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876',
  name: 'CloudStorageToAEP',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: sourceFlowAttributes,
  sourceConnectionSpecIds: [localFilesConnectionSpec.id, sftpConnectionSpec.id, amazonS3SpecId],
  targetConnectionSpecIds: [dataLakeConnectionSpec.id],
  transformationSpecs: [copyTransformationSpec, mappingTransformationSpec],
  scheduleSpec: periodicScheduleSpec,
  optionSpec: ingestionOptionSpec,
  runSpec: adhocRunSpec,
  permissionsInfo: sourcePermissions,
};
