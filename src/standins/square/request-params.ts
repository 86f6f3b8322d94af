import { parseRfc3339 } from './rfc3339.js';
import { invalidRequest } from './square-errors.js';

/**
 * Reads and checks request parameters the way Square reports problems: one error, INVALID_REQUEST_ERROR,
 * with the code for the kind of problem (EXPECTED_INTEGER, INVALID_TIME, INVALID_ENUM_VALUE, ...) and the
 * offending field.
 */
export class QueryParams {
  constructor(private readonly url: URL) {}

  string(name: string): string | undefined {
    return this.url.searchParams.get(name) ?? undefined;
  }

  integer(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) throw invalidRequest('EXPECTED_INTEGER', `Expected \`${name}\` to be an integer, got \`${text}\`.`, name);
    return Number(text);
  }

  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw invalidRequest('EXPECTED_BOOLEAN', `Expected \`${name}\` to be a boolean, got \`${text}\`.`, name);
    return text === 'true';
  }

  time(name: string): number | undefined {
    const text = this.string(name);
    return text === undefined ? undefined : parseTime(text, name);
  }

  enumValue<T extends string>(name: string, allowed: readonly T[], code = 'INVALID_ENUM_VALUE'): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    return checkEnum(text, allowed, name, code);
  }
}

export function parseTime(text: string, field: string): number {
  const ms = parseRfc3339(text);
  if (ms === null) throw invalidRequest('INVALID_TIME', `\`${field}\` must be an RFC 3339 timestamp, got \`${text}\`.`, field);
  return ms;
}

export function checkEnum<T extends string>(value: string, allowed: readonly T[], field: string, code = 'INVALID_ENUM_VALUE'): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(code, `\`${value}\` is not a valid value for \`${field}\`; expected one of ${allowed.join(', ')}.`, field);
  }
  return value as T;
}

/** begin must not be after end. */
export function checkRange(begin: number | undefined, end: number | undefined, field: string): void {
  if (begin !== undefined && end !== undefined && begin > end) {
    throw invalidRequest('INVALID_TIME_RANGE', `The start of the \`${field}\` range is after its end.`, field);
  }
}

export function parseJsonBody(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('EXPECTED_JSON_BODY', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidRequest('EXPECTED_JSON_BODY', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Typed reads from a JSON body, each failing with the field's dotted path. */
export class BodyReader {
  constructor(
    private readonly value: Record<string, unknown>,
    private readonly path = '',
  ) {}

  private field(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  has(name: string): boolean {
    return this.value[name] !== undefined && this.value[name] !== null;
  }

  object(name: string): BodyReader | undefined {
    const raw = this.value[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('EXPECTED_OBJECT', `Expected \`${this.field(name)}\` to be an object.`, this.field(name));
    return new BodyReader(raw as Record<string, unknown>, this.field(name));
  }

  string(name: string): string | undefined {
    const raw = this.value[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string') throw invalidRequest('EXPECTED_STRING', `Expected \`${this.field(name)}\` to be a string.`, this.field(name));
    return raw;
  }

  integer(name: string): number | undefined {
    const raw = this.value[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'number' || !Number.isInteger(raw)) throw invalidRequest('EXPECTED_INTEGER', `Expected \`${this.field(name)}\` to be an integer.`, this.field(name));
    return raw;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.value[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'boolean') throw invalidRequest('EXPECTED_BOOLEAN', `Expected \`${this.field(name)}\` to be a boolean.`, this.field(name));
    return raw;
  }

  time(name: string): number | undefined {
    const text = this.string(name);
    return text === undefined ? undefined : parseTime(text, this.field(name));
  }

  stringArray(name: string): string[] | undefined {
    const raw = this.value[name];
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) throw invalidRequest('EXPECTED_ARRAY', `Expected \`${this.field(name)}\` to be an array.`, this.field(name));
    return raw.map((item, index) => {
      if (typeof item !== 'string') throw invalidRequest('EXPECTED_STRING', `Expected \`${this.field(name)}[${index}]\` to be a string.`, `${this.field(name)}[${index}]`);
      return item;
    });
  }

  enumArray<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    return this.stringArray(name)?.map((item, index) => checkEnum(item, allowed, `${this.field(name)}[${index}]`));
  }

  enumValue<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    return text === undefined ? undefined : checkEnum(text, allowed, this.field(name));
  }

  /** Filters this stand-in does not model: refusing them beats silently returning unfiltered records. */
  rejectUnsupported(names: readonly string[]): void {
    for (const name of names) {
      if (this.has(name)) throw invalidRequest('BAD_REQUEST', `The Square stand-in does not support \`${this.field(name)}\`.`, this.field(name));
    }
  }

  /** The raw value, for fingerprinting a query. */
  raw(): Record<string, unknown> {
    return this.value;
  }
}
