import { isRecord } from '../../server/errors/problem-list.js';

/*
 * A stored flow keeps the numbers its schedule and runs compute with: `scheduleParams.interval`,
 * `scheduleParams.startTime` and a transformation's `params.mappingVersion` are integers, whatever a request sent
 * (`"30"` or 30). Adobe's flow-service.yaml answers them typed differently: ScheduleSpecDTO has `interval` as a
 * string and `startTime` as an integer, TransformationSpecDTO has `mappingVersion` as a string. Clients generated
 * from that file parse answers with those types, so answers carry them; this module is the only place that
 * turns the stored form into the wire form.
 */

/** A flow's stored body as Flow Service answers it, with `lastOperation.ops` echoing the patched values alike. */
export function flowOnWire(body: Record<string, unknown>): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...body };
  if (body.scheduleParams !== undefined) wire.scheduleParams = scheduleParamsOnWire(body.scheduleParams);
  if (Array.isArray(body.transformations)) wire.transformations = body.transformations.map(transformationOnWire);
  const last = body.lastOperation;
  if (isRecord(last) && Array.isArray(last.ops)) wire.lastOperation = { ...last, ops: last.ops.map(patchOperationOnWire) };
  return wire;
}

function scheduleParamsOnWire(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const wire: Record<string, unknown> = { ...value };
  if ('startTime' in value) wire.startTime = integerOnWire(value.startTime);
  if ('interval' in value) wire.interval = stringOnWire(value.interval);
  return wire;
}

function transformationOnWire(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.params)) return value;
  return { ...value, params: transformationParamsOnWire(value.params) };
}

function transformationParamsOnWire(value: unknown): unknown {
  if (!isRecord(value) || !('mappingVersion' in value)) return value;
  return { ...value, mappingVersion: stringOnWire(value.mappingVersion) };
}

/** Where a JSON Patch operation puts its value decides its wire form (paths as `flows.patchable` allows them). */
const valueOnWireByPath: [RegExp, (value: unknown) => unknown][] = [
  [/^\/scheduleParams$/, scheduleParamsOnWire],
  [/^\/scheduleParams\/startTime$/, integerOnWire],
  [/^\/scheduleParams\/interval$/, stringOnWire],
  [/^\/transformations$/, (value) => (Array.isArray(value) ? value.map(transformationOnWire) : value)],
  [/^\/transformations\/(\d+|-)$/, transformationOnWire],
  [/^\/transformations\/(\d+|-)\/params$/, transformationParamsOnWire],
  [/^\/transformations\/(\d+|-)\/params\/mappingVersion$/, stringOnWire],
];

function patchOperationOnWire(op: unknown): unknown {
  if (!isRecord(op) || typeof op.path !== 'string' || !('value' in op)) return op;
  const path = op.path;
  const convert = valueOnWireByPath.find(([pattern]) => pattern.test(path))?.[1];
  return convert ? { ...op, value: convert(op.value) } : op;
}

function stringOnWire(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

/** Older stored rows and patch operations may hold the request's digit strings. */
function integerOnWire(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}
