import { postgresSpecId } from '../../../connectors/database/postgres/postgres-source.js';
import { dataLakeConnectionSpec } from './data-lake.connection-spec.js';
import {
  adhocRunSpec,
  copyTransformationSpec,
  ingestionOptionSpec,
  mappingTransformationSpec,
  periodicScheduleSpec,
  sourceFlowAttributes,
  type FlowSpec,
} from './flow-spec.js';
import { paypalConnectionSpec } from './paypal.connection-spec.js';
import { squareConnectionSpec } from './square.connection-spec.js';
import { sourcePermissions } from './connection-spec.js';

/** The flow spec of table-based sources (PayPal, Square) into the Data Lake. */
export const crmToAepFlowSpec: FlowSpec = {
  id: '14518937-270c-4525-bdec-c2ba7cce3860',
  name: 'CRMToAEP',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: sourceFlowAttributes,
  sourceConnectionSpecIds: [paypalConnectionSpec.id, squareConnectionSpec.id, postgresSpecId],
  targetConnectionSpecIds: [dataLakeConnectionSpec.id],
  transformationSpecs: [copyTransformationSpec, mappingTransformationSpec],
  scheduleSpec: periodicScheduleSpec,
  optionSpec: ingestionOptionSpec,
  runSpec: adhocRunSpec,
  permissionsInfo: sourcePermissions,
};
