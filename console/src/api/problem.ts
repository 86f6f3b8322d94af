/** An answer that was not a success, as the console shows it: AEP's own words, and the field they name. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field the server names (`/auth/params/host`), when it names one. */
    readonly field?: string,
    /** AEP's error code (`FLOW-1001-400`), when the answer has one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

interface ProblemBody {
  type?: unknown;
  title?: unknown;
  detail?: unknown;
  message?: unknown;
  error_description?: unknown;
  report?: { errors?: { path?: unknown; message?: unknown }[] };
}

/** Reads AEP's problem shape (or IMS's OAuth error) from an answer's body; a body that is neither is quoted. */
export function problemOf(status: number, body: unknown, fallback: string): ApiProblem {
  if (body === null || typeof body !== 'object') return new ApiProblem(status, typeof body === 'string' && body.trim() !== '' ? body.slice(0, 300) : fallback);
  const problem = body as ProblemBody;
  const first = problem.report?.errors?.[0];
  const text = [problem.detail, problem.title, problem.message, problem.error_description].find((value) => typeof value === 'string' && value !== '') as string | undefined;
  const code = typeof problem.type === 'string' ? /\/([A-Z]+-\d+-\d+)$/.exec(problem.type)?.[1] : undefined;
  return new ApiProblem(status, text ?? fallback, typeof first?.path === 'string' ? first.path : undefined, code);
}
