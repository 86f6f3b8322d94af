import type { ErrorObject } from 'ajv';
import { escapePointerSegment } from './json-record.js';
import type { Service } from './service.js';
import type { AllowListEntry } from './spec-allow-list.js';

/** One response-validation failure, kept structured so the allow-list can match it. */
export interface ContractError {
  /** JSON pointer into the response body; for `required` it points at the missing property itself. */
  readonly pointer: string;
  readonly keyword: string;
  /** Location in the spec of the schema that failed, e.g. `#/components/schemas/FlowItemDTO/properties/id`. */
  readonly schemaLocation: string | null;
  /** `<jsonPointer> <message>`, plus the spec location so a failure says which part of the spec disagrees. */
  readonly text: string;
}

export function toContractError(error: ErrorObject, locations: WeakMap<object, string>, file: string): ContractError {
  const parent: unknown = error.parentSchema;
  const schemaLocation = typeof parent === 'object' && parent !== null ? (locations.get(parent) ?? null) : null;
  const { pointer, message } = describe(error);
  const where = schemaLocation === null ? '' : ` (spec: ${file}${schemaLocation})`;
  return { pointer, keyword: error.keyword, schemaLocation, text: `${pointer === '' ? '(root)' : pointer} ${message}${where}` };
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params: Record<string, unknown> = error.params;
  const base = error.message ?? error.keyword;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${escapePointerSegment(String(params.missingProperty))}`, message: 'is required but missing' };
    case 'additionalProperties':
      return {
        pointer: `${error.instancePath}/${escapePointerSegment(String(params.additionalProperty))}`,
        message: 'is not allowed (additionalProperties: false)',
      };
    case 'type':
      return { pointer: error.instancePath, message: `${base}, got ${jsonTypeOf(error.data)}` };
    case 'enum':
      return { pointer: error.instancePath, message: `${base}: ${JSON.stringify(params.allowedValues)}, got ${JSON.stringify(error.data)}` };
    case 'format':
      return { pointer: error.instancePath, message: `${base}, got ${JSON.stringify(error.data)}` };
    default:
      return { pointer: error.instancePath, message: base };
  }
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function findAllowance(
  entries: readonly AllowListEntry[],
  service: Service,
  operation: string,
  error: ContractError,
): AllowListEntry | undefined {
  return entries.find(
    (entry) =>
      entry.service === service &&
      (entry.operation === '*' || entry.operation === operation) &&
      (entry.keyword === undefined || entry.keyword === error.keyword) &&
      (entry.pointer.startsWith('#')
        ? schemaLocationMatches(entry.pointer, error.schemaLocation)
        : pointerPatternMatches(entry.pointer, error.pointer)),
  );
}

/** A schema-location pattern matches that location and everything below it; `*` stands for one segment. */
function schemaLocationMatches(pattern: string, location: string | null): boolean {
  return location !== null && segmentsMatch([...splitPointer(pattern.slice(1)), '**'], splitPointer(location.slice(1)));
}

function pointerPatternMatches(pattern: string, pointer: string): boolean {
  return segmentsMatch(splitPointer(pattern), splitPointer(pointer));
}

function splitPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.replace(/^\//, '').split('/');
}

function segmentsMatch(pattern: readonly string[], actual: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return actual.length === 0;
  if (head === '**') return actual.some((_, index) => segmentsMatch(rest, actual.slice(index))) || segmentsMatch(rest, []);
  const [first, ...remaining] = actual;
  return first !== undefined && (head === '*' || head === first) && segmentsMatch(rest, remaining);
}
