import { sourcePermissions } from './connection-spec.js';
import { dataLakeConnectionSpec } from './data-lake.connection-spec.js';
import { ingestionOptionSpec, mappingTransformationSpec, periodicScheduleSpec, sourceFlowAttributes, type FlowSpec } from './flow-spec.js';
import { stripeConnectionSpec } from './stripe.connection-spec.js';

/** The generic REST flow spec (Stripe) into the Data Lake; REST sources keep their own cursor, so no Copy step. */
export const restStorageToAepFlowSpec: FlowSpec = {
  id: '6499120c-0b15-42dc-936e-847ea3c24d72',
  name: 'RestStorageToAEP',
  providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
  version: '1.0',
  attributes: sourceFlowAttributes,
  sourceConnectionSpecIds: [stripeConnectionSpec.id],
  targetConnectionSpecIds: [dataLakeConnectionSpec.id],
  transformationSpecs: [mappingTransformationSpec],
  scheduleSpec: periodicScheduleSpec,
  optionSpec: ingestionOptionSpec,
  permissionsInfo: sourcePermissions,
};
