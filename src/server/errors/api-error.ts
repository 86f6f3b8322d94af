import { errorCatalog, type ErrorKey } from './error-catalog.js';

/** One problem with one part of a request, e.g. `{ in: 'body', path: '/scheduleParams/interval', message: ... }`. */
export interface FieldProblem {
  in: 'body' | 'query' | 'path' | 'header';
  path: string;
  message: string;
}

/** A client-facing service error; the root error handler alone turns it into AEP's error body. */
export class ApiError extends Error {
  readonly key: ErrorKey;
  readonly status: number;
  readonly problems: FieldProblem[];
  readonly report: Record<string, unknown>;
  /** Headers the answer carries besides the body, e.g. `Retry-After` on a 429. */
  readonly headers: Record<string, string>;

  constructor(key: ErrorKey, message: string, options: { problems?: FieldProblem[]; report?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.key = key;
    this.status = errorCatalog[key].status;
    this.problems = options.problems ?? [];
    this.report = options.report ?? {};
    this.headers = options.headers ?? {};
  }
}

export function invalid(problems: FieldProblem[], summary?: string): ApiError {
  const message = summary ?? problems.map((p) => `${p.in} ${p.path || '/'}: ${p.message}`).join('; ');
  return new ApiError('validation', message, { problems });
}

export function bodyInvalid(path: string, message: string): ApiError {
  return invalid([{ in: 'body', path, message }]);
}

export function notFound(resource: string, id: string): ApiError {
  return new ApiError('notFound', `The requested ${resource} resource ${id} is not found. Verify the resource ID before trying again.`, {
    report: { id, type: resource },
  });
}
