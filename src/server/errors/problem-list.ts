import { ApiError, type FieldProblem } from './api-error.js';
import type { ErrorKey } from './error-catalog.js';

/**
 * Collects every problem in a request body before answering, so the client hears about all bad fields at once
 * rather than one per round trip.
 */
export class ProblemList {
  private readonly problems: FieldProblem[] = [];
  private key: ErrorKey = 'validation';

  add(path: string, message: string, key?: ErrorKey): void {
    this.problems.push({ in: 'body', path, message });
    // The first specific error code wins; plain validation problems do not override it.
    if (key && this.key === 'validation') this.key = key;
  }

  addAll(problems: FieldProblem[]): void {
    this.problems.push(...problems);
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  /** A required or optional string field; returns it when valid. */
  string(source: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const value = source[key];
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, `must be a string, got ${describe(value)}`);
      return undefined;
    }
    if (required && value.trim() === '') {
      this.add(path, 'must not be empty');
      return undefined;
    }
    return value;
  }

  object(source: Record<string, unknown>, key: string, path: string, required: boolean): Record<string, unknown> | undefined {
    const value = source[key];
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (!isRecord(value)) {
      this.add(path, `must be an object, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  stringArray(source: Record<string, unknown>, key: string, path: string, required: boolean): string[] | undefined {
    const value = source[key];
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      this.add(path, 'must be an array of non-empty strings');
      return undefined;
    }
    if (required && value.length === 0) {
      this.add(path, 'must not be empty');
      return undefined;
    }
    return value as string[];
  }

  throwIfAny(summary: string): void {
    if (this.problems.length === 0) return;
    const detail = this.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new ApiError(this.key, `${summary}: ${detail}`, { problems: this.problems });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The kind of a value, never the value itself: it may be a credential sent in the wrong place. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
