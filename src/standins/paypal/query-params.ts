import type { ErrorDetail } from './paypal-errors.js';
import { parseDateTime } from './wire-format.js';

/**
 * Reads and validates query parameters the way PayPal's gateway does before an operation runs: every problem
 * becomes one `details[]` entry `{field, value, location: "query", issue, description}`, and a request with
 * any problem is answered 400 `INVALID_REQUEST` as a whole.
 */

export interface IssueStyle {
  /** Set when an API words every parameter problem the same way (catalog products: `INVALID_PARAMETER_VALUE`). */
  uniform?: { issue: string; description: string };
}

export class QueryReader {
  readonly details: ErrorDetail[] = [];

  constructor(
    private readonly params: URLSearchParams,
    private readonly style: IssueStyle = {},
  ) {}

  get ok(): boolean {
    return this.details.length === 0;
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  raw(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  fail(field: string, value: string | undefined, issue: string, description: string): void {
    const worded = this.style.uniform ?? { issue, description };
    this.details.push({ field, ...(value === undefined ? {} : { value }), location: 'query', ...worded });
  }

  /** An integer within [min, max]; the default when absent. */
  integer(name: string, range: { min: number; max: number; fallback: number }): number {
    const value = this.raw(name);
    if (value === undefined) return range.fallback;
    if (!/^-?[0-9]+$/.test(value)) {
      this.fail(name, value, 'INVALID_PARAMETER_SYNTAX', `${name} must be an integer.`);
      return range.fallback;
    }
    const n = Number(value);
    if (n < range.min || n > range.max) {
      this.fail(name, value, 'INVALID_PARAMETER_VALUE', `${name} must be between ${range.min} and ${range.max}.`);
      return range.fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    this.fail(name, value, 'INVALID_PARAMETER_SYNTAX', `${name} must be true or false.`);
    return fallback;
  }

  /** A string with length bounds and an optional pattern; undefined when absent (or reported missing). */
  string(name: string, rules: { required?: boolean; minLength?: number; maxLength?: number; pattern?: RegExp } = {}): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (rules.required) this.fail(name, undefined, 'MISSING_REQUIRED_PARAMETER', `${name} is a required parameter.`);
      return undefined;
    }
    if (rules.minLength !== undefined && value.length < rules.minLength) {
      this.fail(name, value, 'INVALID_STRING_LENGTH', `${name} must be at least ${rules.minLength} characters long.`);
      return undefined;
    }
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      this.fail(name, value, 'INVALID_STRING_LENGTH', `${name} must be at most ${rules.maxLength} characters long.`);
      return undefined;
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      this.fail(name, value, 'INVALID_PARAMETER_SYNTAX', `${name} does not match the required pattern.`);
      return undefined;
    }
    return value;
  }

  /** A date-time in the specs' `date_time` format, as epoch ms. */
  dateTime(name: string, required = false): number | undefined {
    const value = this.string(name, { required });
    if (value === undefined) return undefined;
    const ms = parseDateTime(value);
    if (ms === null) {
      this.fail(
        name,
        value,
        'INVALID_PARAMETER_SYNTAX',
        `${name} must be an Internet date and time (RFC 3339) with seconds, e.g. 2024-01-31T23:59:59Z.`,
      );
      return undefined;
    }
    return ms;
  }

  /** One of a fixed set of values. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, value, 'INVALID_PARAMETER_VALUE', `${name} must be one of ${allowed.join(', ')}.`);
    return fallback;
  }
}
