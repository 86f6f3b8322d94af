import crypto from 'node:crypto';
import { isObject } from '../../xdm/component-lookup.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';
import { sampleMatching, type Random } from './pattern-sample.js';

/** The integer range of each XDM integer type; `long` stops at what a JSON number holds exactly. */
const integerRanges: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  integer: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
/** Far deeper than any resolved schema nests; a guard, not a limit real schemas meet. */
const maxDepth = 64;
/** Arrays get one element, or `minItems` when the schema asks for more, up to this many. */
const maxItems = 100;
const day = 86_400_000;
const sampleEpoch = Date.UTC(2015, 0, 1);

/**
 * One record for a fully resolved schema, as the registry's /rpc/sampledata answers: every field the schema has,
 * with a value of its type that keeps its constraints (enum, const, format, pattern, lengths, bounds, item
 * counts). A field no value can be found for (a pattern with lookaround, bounds that exclude each other) is left
 * out when it is optional, so the record stays one the schema accepts. The same schema always gives the same
 * record: the values are drawn from a generator seeded with its `$id` and version.
 */
export function sampleData(full: JsonObject): JsonObject {
  const random = seededRandom(`${String(full.$id)}@${String(full.version)}`);
  const value = sampleObject(full, random, 0);
  return value ?? {};
}

function sampleValue(field: JsonObject, random: Random, depth: number): JsonValue | undefined {
  if (depth > maxDepth) return undefined;
  if (field.const !== undefined) return ofType(field.const, field) ? field.const : undefined;
  if (Array.isArray(field.enum)) {
    // Some standard fields are typed object with a list of strings (XDM's loanStatus): nothing satisfies both.
    const allowed = field.enum.filter((value) => ofType(value, field));
    return allowed.length > 0 ? allowed[Math.floor(random() * allowed.length)] : undefined;
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = field[key];
    if (!Array.isArray(options)) continue;
    const { [key]: _options, ...base } = field;
    for (const option of options) {
      const value = isObject(option) ? sampleValue({ ...base, ...option }, random, depth + 1) : undefined;
      if (value !== undefined) return value;
    }
    return undefined;
  }
  const xdmType = String(field['meta:xdmType'] ?? typeOf(field));
  if (xdmType in integerRanges) return sampleInteger(field, integerRanges[xdmType] as [number, number], random);
  switch (typeOf(field)) {
    case 'string':
      return sampleString(field, xdmType, random);
    case 'number':
      return sampleNumber(field, random);
    case 'integer':
      return sampleInteger(field, integerRanges.long as [number, number], random);
    case 'boolean':
      return random() < 0.5;
    case 'array':
      return sampleArray(field, random, depth);
    case 'object':
      return isObject(field.properties) ? sampleObject(field, random, depth) : sampleMap(field, random, depth);
    default:
      return undefined;
  }
}

/**
 * Every field that has a value; undefined when a required one has none, or nothing is left. Of optional fields
 * whose names differ only in letter case (XDM's POI detail has `POIID` and `poiID`) only the first is filled:
 * readers that match names case-insensitively, DuckDB's JSON reader among them, refuse a record with both.
 */
function sampleObject(field: JsonObject, random: Random, depth: number): JsonObject | undefined {
  const properties = isObject(field.properties) ? field.properties : {};
  const required = Array.isArray(field.required) ? field.required : [];
  const out: JsonObject = {};
  const taken = new Set<string>();
  for (const [name, child] of Object.entries(properties)) {
    if (taken.has(name.toLowerCase()) && !required.includes(name)) continue;
    const value = isObject(child) ? sampleValue(child, random, depth + 1) : undefined;
    if (value === undefined) continue;
    out[name] = value;
    taken.add(name.toLowerCase());
  }
  if (required.some((name) => typeof name === 'string' && !(name in out))) return undefined;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A map (`additionalProperties`) with one entry, keyed as the schema's `patternProperties` allow, else "key". */
function sampleMap(field: JsonObject, random: Random, depth: number): JsonObject | undefined {
  const patterns = isObject(field.patternProperties) ? Object.entries(field.patternProperties) : [];
  for (const [pattern, valueSchema] of patterns) {
    const key = sampleMatching(pattern, random);
    const value = isObject(valueSchema) ? sampleValue(valueSchema, random, depth + 1) : undefined;
    if (key !== undefined && value !== undefined) return { [key]: value };
  }
  if (!isObject(field.additionalProperties)) return undefined;
  const value = sampleValue(field.additionalProperties, random, depth + 1);
  return value === undefined ? undefined : { key: value };
}

function sampleArray(field: JsonObject, random: Random, depth: number): JsonValue[] | undefined {
  if (!isObject(field.items)) return undefined;
  const min = typeof field.minItems === 'number' ? field.minItems : 0;
  const max = typeof field.maxItems === 'number' ? field.maxItems : Infinity;
  const count = Math.max(1, min);
  if (count > max || count > maxItems) return min === 0 && max === 0 ? [] : undefined;
  const items: JsonValue[] = [];
  // A few draws per element, for arrays whose items must differ from one another.
  for (let draw = 0; items.length < count && draw < count * 5; draw += 1) {
    const item = sampleValue(field.items, random, depth + 1);
    if (item === undefined) return undefined;
    if (field.uniqueItems === true && items.some((existing) => JSON.stringify(existing) === JSON.stringify(item))) continue;
    items.push(item);
  }
  return items.length === count ? items : undefined;
}

function sampleString(field: JsonObject, xdmType: string, random: Random): string | undefined {
  const minLength = typeof field.minLength === 'number' ? field.minLength : 0;
  const maxLength = typeof field.maxLength === 'number' ? field.maxLength : Infinity;
  if (typeof field.pattern === 'string') {
    return sampleMatching(field.pattern, random, { minLength, ...(Number.isFinite(maxLength) ? { maxLength } : {}) });
  }
  const format = typeof field.format === 'string' ? field.format : xdmType === 'date' || xdmType === 'date-time' ? xdmType : undefined;
  const value = format ? formatted(format, random) : 'string';
  if (value === undefined) return undefined;
  if (format === undefined) {
    // Plain text is stretched or cut to the lengths the field allows.
    const text = value.repeat(Math.ceil(Math.max(minLength, 1) / value.length));
    return text.slice(0, Math.min(Math.max(minLength, value.length), maxLength));
  }
  return value.length >= minLength && value.length <= maxLength ? value : undefined;
}

function formatted(format: string, random: Random): string | undefined {
  const n = Math.floor(random() * 10_000);
  const instant = new Date(sampleEpoch + Math.floor(random() * 3650) * day + Math.floor(random() * day / 1000) * 1000).toISOString();
  switch (format) {
    case 'date-time':
      return `${instant.slice(0, 19)}Z`;
    case 'date':
      return instant.slice(0, 10);
    case 'time':
      // RFC 3339 full-time, as JSON Schema's format reads it: with its offset.
      return `${instant.slice(11, 19)}Z`;
    case 'email':
    case 'idn-email':
      return `user${n}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
      return `https://example.com/resource/${n}`;
    case 'uri-reference':
    case 'iri-reference':
      return `/uri-reference/${n}`;
    case 'uuid':
      return `${hex(8, random)}-${hex(4, random)}-4${hex(3, random)}-${'89ab'[Math.floor(random() * 4)] ?? '8'}${hex(3, random)}-${hex(12, random)}`;
    case 'ipv4':
      return `192.0.2.${1 + (n % 254)}`;
    case 'ipv6':
      return `2001:db8::${(n % 0xffff).toString(16)}`;
    case 'hostname':
    case 'idn-hostname':
      return `host${n}.example.com`;
    case 'regex':
      return '^[a-z]+$';
    case 'json-pointer':
      return `/path/${n}`;
    case 'uri-template':
      return `https://example.com/{id}`;
    default:
      return undefined;
  }
}

function sampleInteger(field: JsonObject, [typeMin, typeMax]: [number, number], random: Random): number | undefined {
  const bound = (key: string) => (typeof field[key] === 'number' && Number.isFinite(field[key]) ? (field[key] as number) : undefined);
  const lowBound = bound('minimum');
  const highBound = bound('maximum');
  const exclusiveLow = bound('exclusiveMinimum');
  const exclusiveHigh = bound('exclusiveMaximum');
  let low = Math.max(typeMin, lowBound === undefined ? -Infinity : Math.ceil(lowBound), exclusiveLow === undefined ? -Infinity : Math.floor(exclusiveLow) + 1);
  let high = Math.min(typeMax, highBound === undefined ? Infinity : Math.floor(highBound), exclusiveHigh === undefined ? Infinity : Math.ceil(exclusiveHigh) - 1);
  // An unbounded side reads best as a modest number near the other side (or near zero).
  if (lowBound === undefined && exclusiveLow === undefined) low = Math.max(low, Math.min(high - 10_000, 0));
  if (highBound === undefined && exclusiveHigh === undefined) high = Math.min(high, Math.max(low + 10_000, 10_000));
  const step = typeof field.multipleOf === 'number' && Number.isInteger(field.multipleOf) && field.multipleOf > 0 ? field.multipleOf : 1;
  const first = Math.ceil(low / step) * step;
  if (first > high) return undefined;
  const steps = Math.floor((high - first) / step);
  return first + Math.floor(random() * (steps + 1)) * step;
}

function sampleNumber(field: JsonObject, random: Random): number | undefined {
  const bound = (key: string) => (typeof field[key] === 'number' && Number.isFinite(field[key]) ? (field[key] as number) : undefined);
  const low = bound('minimum') ?? bound('exclusiveMinimum');
  const high = bound('maximum') ?? bound('exclusiveMaximum');
  const from = low ?? (high === undefined ? 0 : Math.min(high - 10_000, 0));
  const to = high ?? from + 10_000;
  if (from > to) return undefined;
  const inside = (v: number) =>
    (bound('minimum') === undefined || v >= (bound('minimum') as number)) &&
    (bound('maximum') === undefined || v <= (bound('maximum') as number)) &&
    (bound('exclusiveMinimum') === undefined || v > (bound('exclusiveMinimum') as number)) &&
    (bound('exclusiveMaximum') === undefined || v < (bound('exclusiveMaximum') as number));
  for (let draw = 0; draw < 10; draw += 1) {
    const value = Math.round((from + random() * (to - from)) * 100) / 100;
    if (inside(value)) return value;
  }
  const middle = (from + to) / 2;
  return inside(middle) ? middle : undefined;
}

/** Whether a listed value (enum, const) is of the field's declared type, when it declares one. */
function ofType(value: JsonValue, field: JsonObject): boolean {
  const type = typeOf(field);
  if (type === undefined) return true;
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'object') return isObject(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'null') return value === null;
  return typeof value === type;
}

function hex(length: number, random: Random): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

function typeOf(field: JsonObject): string | undefined {
  if (typeof field.type === 'string') return field.type;
  if (Array.isArray(field.type)) return field.type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return isObject(field.properties) ? 'object' : undefined;
}

/** mulberry32 over a hash of `seed`: reproducible, and plenty for sample values. */
function seededRandom(seed: string): Random {
  let state = crypto.createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
