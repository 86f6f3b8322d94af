import type { FieldProblem } from './errors/api-error.js';

/**
 * How long a string in a JSON request body may be. Any string or property name is held to `anyString` (the
 * longest one a route takes on purpose is a query's SQL statement); the free-text fields people type into
 * a console are held to tighter caps, so that a 15 MB `description` is not stored and answered on every list.
 */
export const stringLimits = {
  anyString: 1_000_000,
  freeText: { name: 256, title: 1024, description: 4096 },
} as const;

/**
 * Where the free-text caps apply:
 * - `top`: the resource's own `name`, `title` and `description` (its top-level fields). Deeper fields may be a
 *   client's records (a mapping preview's sample rows), which keep only the general cap.
 * - `deep`: also every nested `title` and `description` (a Schema Registry resource's fields).
 * - `none`: the general cap only (record payloads such as streaming inlets).
 */
export type FreeTextScope = 'top' | 'deep' | 'none';

/** Problems reported at most; a body with more is refused all the same, and the answer says so. */
const maxProblems = 20;

type FreeTextField = keyof typeof stringLimits.freeText;

/**
 * The strings of a request body that are too long, by JSON pointer. A JSON Patch (an array of `{op, path, value}`)
 * is read as the fields it writes: the `value` of `{"op": "replace", "path": "/description"}` is a description.
 * The walk uses its own stack: the body parser has already bounded the nesting, and the body limit its size.
 */
export function stringLengthProblems(body: unknown, scope: FreeTextScope): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // [value, where it is in the body, where it lands in the resource]
  const stack: [unknown, string, string][] = isJsonPatch(body)
    ? body.map((op, i): [unknown, string, string] => [op.value, `/${i}/value`, op.path]).reverse()
    : [[body, '', '']];
  while (stack.length > 0 && problems.length <= maxProblems) {
    const [value, path, target] = stack.pop() as [unknown, string, string];
    if (typeof value === 'string') {
      const limit = freeTextLimit(target, scope) ?? stringLimits.anyString;
      if (value.length > limit) problems.push({ in: 'body', path, message: `is ${value.length} characters long; at most ${limit} are accepted here` });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const entries = Array.isArray(value) ? value.map((v, i): [string, unknown] => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries.reverse()) {
      const step = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key.length > stringLimits.anyString) {
        problems.push({ in: 'body', path: `${path}/${key.slice(0, 32)}…`, message: `is a property name ${key.length} characters long; at most ${stringLimits.anyString} are accepted` });
        continue;
      }
      stack.push([child, `${path}${step}`, `${target}${step}`]);
    }
  }
  if (problems.length > maxProblems) {
    problems.length = maxProblems;
    problems.push({ in: 'body', path: '', message: `more strings are too long; the first ${maxProblems} are listed` });
  }
  return problems;
}

function freeTextLimit(target: string, scope: FreeTextScope): number | undefined {
  if (scope === 'none') return undefined;
  const segments = target.split('/').slice(1);
  const field = segments[segments.length - 1];
  if (field === undefined || !Object.hasOwn(stringLimits.freeText, field)) return undefined;
  if (segments.length === 1 || (scope === 'deep' && field !== 'name')) return stringLimits.freeText[field as FreeTextField];
  return undefined;
}

function isJsonPatch(body: unknown): body is { op: string; path: string; value?: unknown }[] {
  return Array.isArray(body) && body.length > 0 && body.every((op) => op !== null && typeof op === 'object' && typeof (op as Record<string, unknown>).op === 'string' && typeof (op as Record<string, unknown>).path === 'string');
}
