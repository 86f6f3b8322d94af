import { dataLakeConnectionSpec } from './data-lake.connection-spec.js';
import { sourcePermissions } from './connection-spec.js';
import { ingestionOptionSpec, mappingTransformationSpec, type FlowSpec } from './flow-spec.js';
import { httpApiConnectionSpec } from './http-api.connection-spec.js';

const streamingFlowAttributes = { isSourceFlow: true, flacValidationSupported: true, frequency: 'streaming', notification: { category: 'sources', flowRun: { enabled: true } } };

/** Streaming into the Data Lake with a Mapping: raw records, or XDM mapped onto another schema. */
export const streamWithTransformationFlowSpec: FlowSpec = {
  id: 'c1a19761-d2c7-4702-b9fa-fe91f0613e81',
  name: 'Steam data with transformation',
  providerId: httpApiConnectionSpec.providerId,
  version: '1.0',
  attributes: streamingFlowAttributes,
  sourceConnectionSpecIds: [httpApiConnectionSpec.id],
  targetConnectionSpecIds: [dataLakeConnectionSpec.id],
  transformationSpecs: [mappingTransformationSpec],
  optionSpec: ingestionOptionSpec,
  permissionsInfo: sourcePermissions,
};

/** Streaming XDM records into the Data Lake as they are. */
export const streamWithoutTransformationFlowSpec: FlowSpec = {
  id: 'd8a6f005-7eaf-4153-983e-e8574508b877',
  name: 'Stream data without transformation',
  providerId: httpApiConnectionSpec.providerId,
  version: '1.0',
  attributes: streamingFlowAttributes,
  sourceConnectionSpecIds: [httpApiConnectionSpec.id],
  targetConnectionSpecIds: [dataLakeConnectionSpec.id],
  transformationSpecs: [],
  optionSpec: ingestionOptionSpec,
  permissionsInfo: sourcePermissions,
};
