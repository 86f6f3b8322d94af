import type { ConnectionSpec } from './connection-spec.js';
import { cloudStorageToAepFlowSpec } from './cloud-storage-to-aep.flow-spec.js';
import { localFilesConnectionSpec } from './local-files.connection-spec.js';
import { crmToAepFlowSpec } from './crm-to-aep.flow-spec.js';
import { dataLakeConnectionSpec } from './data-lake.connection-spec.js';
import type { FlowSpec } from './flow-spec.js';
import { postgresqlConnectionSpec } from './postgresql.connection-spec.js';
import { paypalConnectionSpec } from './paypal.connection-spec.js';
import { restStorageToAepFlowSpec } from './rest-storage-to-aep.flow-spec.js';
import { squareConnectionSpec } from './square.connection-spec.js';
import { stripeConnectionSpec } from './stripe.connection-spec.js';
import { httpApiConnectionSpec } from './http-api.connection-spec.js';
import { streamWithTransformationFlowSpec, streamWithoutTransformationFlowSpec } from './streaming.flow-specs.js';

export const connectionSpecs: readonly ConnectionSpec[] = [paypalConnectionSpec, stripeConnectionSpec, squareConnectionSpec, localFilesConnectionSpec, dataLakeConnectionSpec, httpApiConnectionSpec, postgresqlConnectionSpec];
export const flowSpecs: readonly FlowSpec[] = [crmToAepFlowSpec, restStorageToAepFlowSpec, cloudStorageToAepFlowSpec, streamWithTransformationFlowSpec, streamWithoutTransformationFlowSpec];

export function findConnectionSpec(id: string): ConnectionSpec | undefined {
  return connectionSpecs.find((spec) => spec.id === id);
}

export function findFlowSpec(id: string): FlowSpec | undefined {
  return flowSpecs.find((spec) => spec.id === id);
}

export { dataLakeConnectionSpec, httpApiConnectionSpec, localFilesConnectionSpec };
