import type { FieldProblem } from './api-error.js';

/** What Ajv reports for one failed keyword (Fastify passes the same objects on as `error.validation`). */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

/** How a caller words a keyword its own way (a spec's `not`, say); undefined keeps the common wording. */
export type Wording = (error: ValidationIssue) => string | undefined;

/**
 * Ajv's errors as problems a person can act on, one per field and reason:
 * - a value outside an `enum`, or outside a union of constants (TypeBox's `Union([Literal(...), ...])`, which Ajv
 *   reports as one "must be equal to constant" per branch and an `anyOf`), says `must be one of: a, b, c`;
 * - a missing or extra property is named itself, not its parent;
 * - the errors of an `if`/`then`/`else` branch are left out when a field below it has a value that is not allowed:
 *   the branch was picked from that value, so its demands (say, an `interval` for an unknown frequency) mislead.
 *
 * @example
 *   validationProblems(validate.errors ?? [], 'body')
 *   // [{ in: 'body', path: '/scheduleParams/frequency', message: 'must be one of: once, minute, hour, day, week' }]
 */
export function validationProblems(errors: readonly ValidationIssue[], part: FieldProblem['in'], options: { prefix?: string; wording?: Wording } = {}): FieldProblem[] {
  const { kept, choices } = collapseAlternatives(errors);
  const notAllowed = kept.filter((e) => e.keyword === 'enum' || e.keyword === 'const' || choices.has(e)).map((e) => e.instancePath);
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of kept) {
    if (error.keyword === 'if') continue;
    if (isConditional(error) && notAllowed.some((path) => path.startsWith(`${error.instancePath}/`))) continue;
    const values = choices.get(error);
    const message = values ? oneOf(values) : (options.wording?.(error) ?? messageOf(error));
    const problem = { in: part, path: `${options.prefix ?? ''}${fieldPath(error)}`, message };
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/**
 * Finds the `anyOf`/`oneOf` errors whose failed branches are all constants (or enums, or the type those carry)
 * at the same field: their branch errors are dropped, and each such error comes back with the values it allows.
 */
function collapseAlternatives(errors: readonly ValidationIssue[]): { kept: ValidationIssue[]; choices: Map<ValidationIssue, unknown[]> } {
  const dropped = new Set<ValidationIssue>();
  const choices = new Map<ValidationIssue, unknown[]>();
  for (const error of errors) {
    if (!isAlternatives(error)) continue;
    const branches = errors.filter((e) => e.schemaPath.startsWith(`${error.schemaPath}/`));
    const values = branches.flatMap(allowedValues);
    const onlyValues = branches.every((e) => e.instancePath === error.instancePath && (e.keyword === 'const' || e.keyword === 'enum' || e.keyword === 'type'));
    if (branches.length === 0 || values.length === 0 || !onlyValues) continue;
    for (const branch of branches) dropped.add(branch);
    choices.set(error, [...new Set(values)]);
  }
  return { kept: errors.filter((e) => !dropped.has(e)), choices };
}

function isAlternatives(error: ValidationIssue): boolean {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

/** An error from inside a `then` or `else` branch. */
function isConditional(error: ValidationIssue): boolean {
  return /\/(then|else)(\/|$)/.test(error.schemaPath);
}

function allowedValues(error: ValidationIssue): unknown[] {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'const') return [params.allowedValue];
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) return params.allowedValues as unknown[];
  return [];
}

function messageOf(error: ValidationIssue): string {
  if (error.keyword === 'enum' || error.keyword === 'const') return oneOf(allowedValues(error));
  return error.message ?? 'is invalid';
}

function oneOf(values: unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return values.length === 1 ? `must be ${shown}` : `must be one of: ${shown}`;
}

/** Ajv reports a missing or extra property on its parent; name the property itself. */
function fieldPath(error: ValidationIssue): string {
  const params = error.params as Record<string, unknown>;
  const named = params.missingProperty ?? params.additionalProperty;
  return typeof named === 'string' ? `${error.instancePath}/${named}` : error.instancePath;
}
