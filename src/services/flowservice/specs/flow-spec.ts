import type { JsonSchema } from './connection-spec.js';

/** A built-in flow spec, in the shape GET /flowSpecs returns. */
export interface FlowSpec {
  id: string;
  name: string;
  providerId: string;
  version: string;
  attributes: Record<string, unknown>;
  sourceConnectionSpecIds: string[];
  targetConnectionSpecIds: string[];
  transformationSpecs: { name: string; spec: JsonSchema }[];
  /** Absent for streaming flows, which run as records arrive rather than on a schedule. */
  scheduleSpec?: { name: string; type: string; spec: JsonSchema };
  optionSpec: { name: string; type: string; spec: JsonSchema };
  runSpec?: { name: string; spec: JsonSchema };
  permissionsInfo: Record<string, unknown>;
}

const draft07 = 'http://json-schema.org/draft-07/schema#';

/** AEP's periodic schedule: `interval` is required except for `once`, at least 15 for `minute`, else at least 1. */
export const periodicScheduleSpec: FlowSpec['scheduleSpec'] = {
  name: 'PeriodicSchedule',
  type: 'Periodic',
  spec: {
    $schema: draft07,
    type: 'object',
    properties: {
      startTime: { description: 'epoch time in seconds', type: 'integer', minimum: 0 },
      endTime: { description: 'epoch time in seconds', type: 'integer', minimum: 0 },
      interval: { type: 'integer' },
      frequency: { type: 'string', enum: ['once', 'minute', 'hour', 'day', 'week'] },
      backfill: { type: 'boolean', default: true },
    },
    required: ['startTime', 'frequency'],
    if: { properties: { frequency: { const: 'once' } } },
    then: { not: { anyOf: [{ required: ['interval'] }, { required: ['backfill'] }] } },
    else: {
      required: ['interval'],
      if: { properties: { frequency: { const: 'minute' } } },
      then: { properties: { interval: { minimum: 15 } } },
      else: { properties: { interval: { minimum: 1 } } },
    },
  },
};

export const mappingTransformationSpec = {
  name: 'Mapping',
  spec: {
    $schema: draft07,
    type: 'object',
    description: 'defines various params required for different mapping from source to target',
    properties: {
      mappingId: { type: 'string', minLength: 1 },
      mappingVersion: { type: 'integer', minimum: 0, description: 'mapping set version; a string of digits is accepted' },
    },
    required: ['mappingId'],
  },
};

export const copyTransformationSpec = {
  name: 'Copy',
  spec: {
    $schema: draft07,
    type: 'object',
    properties: {
      deltaColumn: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1 },
          dateFormat: { type: 'string', minLength: 1 },
          timezone: { type: 'string', minLength: 1 },
        },
        required: ['name'],
      },
    },
    required: ['deltaColumn'],
  },
};

export const ingestionOptionSpec: FlowSpec['optionSpec'] = {
  name: 'OptionSpec',
  type: 'OptionSpec',
  spec: {
    $schema: draft07,
    type: 'object',
    properties: {
      errorDiagnosticsEnabled: { type: 'boolean', default: false },
      partialIngestionPercent: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 100,
        description: 'Percentage of failed records allowed before the run is marked as failed',
      },
    },
  },
};

export const adhocRunSpec: NonNullable<FlowSpec['runSpec']> = {
  name: 'ProviderParams',
  spec: {
    $schema: draft07,
    type: 'object',
    properties: {
      startTime: { type: 'integer', description: 'epoch time in seconds' },
      windowStartTime: { type: 'integer', description: 'epoch time in seconds' },
      windowEndTime: { type: 'integer', description: 'epoch time in seconds' },
      deltaColumn: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
    required: ['startTime', 'windowStartTime', 'windowEndTime', 'deltaColumn'],
  },
};

export const sourceFlowAttributes = {
  isSourceFlow: true,
  flacValidationSupported: true,
  frequency: 'batch',
  notification: { category: 'sources', flowRun: { enabled: true } },
};
