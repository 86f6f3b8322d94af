import { Type, type Static, type TSchema } from 'typebox';
import { errorAnswers, mergeAnswers, type DocumentedAnswer } from '../../server/api-reference/error-answers.js';
import { ApiError, type FieldProblem } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import { valueText } from '../../server/listing/value-text.js';
import { jsonAnswer } from './catalog-answers.schema.js';
import { stringLengthProblems } from '../../server/string-lengths.js';
import type { CatalogAnswer, CatalogCall, CatalogOperation } from './catalog-operation.js';
import { schemaProblems } from './schema-check.js';

const SubRequest = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 256, description: 'Yours: it comes back with the answer, and `<<id.attribute>>` refers to it' })),
    resource: Type.String({ pattern: '^/', maxLength: 4096, description: 'A path below /data/foundation/catalog, e.g. /dataSets/{id}' }),
    method: Type.String({ description: 'GET, POST, PUT, PATCH or DELETE' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'e.g. {"if-match": "1.0.6"}' })),
    body: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);

/** At most 100 sub-requests, like every other Catalog page. */
const BatchedRequests = Type.Array(SubRequest, { minItems: 1, maxItems: 100 });

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const template = /<<([^<>.]+)\.([^<>]+)>>/g;

/** A mistake in the batched request itself (a template, a resource, a sub-request's shape), located in its body already. */
class SubRequestError extends ApiError {}

/**
 * `POST /`: several Catalog requests in one call, run in order in one transaction. Each answer comes back as
 * `{id, code, body}` in a 200. A read that fails is answered in its place; a write that fails reverts every
 * change of the call (as AEP documents) and the call fails with that write's error, naming the sub-request.
 */
export function batchedRequestOperation(operations: readonly CatalogOperation[]): CatalogOperation {
  return {
    method: 'POST',
    path: '/',
    summary: 'Run several Catalog requests in one call; writes succeed or fail together',
    schema: { body: BatchedRequests },
    response: { 200: jsonAnswer("Each sub-request's answer, in order; a read that fails is answered here with its error, a write that fails fails the call", subRequestAnswers(operations)), ...writeErrors(operations) },
    run: async (call) => {
      const items = call.body as Static<typeof BatchedRequests>;
      const problems = items.flatMap((item, index): FieldProblem[] => (methods.has(item.method.toUpperCase()) ? [] : [{ in: 'body', path: `/${index}/method`, message: 'must be GET, POST, PUT, PATCH or DELETE' }]));
      if (problems.length > 0) throw new ApiError('validation', `The batched request is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { problems });
      const results: Record<string, unknown>[] = [];
      const earlier = new Map<string, unknown>();
      for (const [index, item] of items.entries()) {
        const method = item.method.toUpperCase();
        const own = item.id !== undefined ? { id: item.id } : {};
        try {
          // In a path, a value goes in percent-encoded: a name with "&" or "/" must stay one value.
          const resource = item.resource.replace(template, (_text, id: string, attribute: string) => encodeURIComponent(valueText(lookUp(earlier, id, attribute, `/${index}/resource`))));
          const body = item.body === undefined ? undefined : resolveTemplates(item.body, earlier, `/${index}/body`);
          const answer = await runSubRequest(operations, call, { method, resource, body, headers: item.headers ?? {} }, index);
          results.push({ ...own, code: answer.status, body: answer.body });
          if (item.id !== undefined) earlier.set(item.id, attributesOf(answer.body));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          if (method !== 'GET') {
            const named = item.id !== undefined ? `"${item.id}" ` : '';
            throw new ApiError(error.key, `Sub-request ${index} ${named}(${method} ${item.resource}) failed, so none of this call's changes were kept: ${error.message}`, {
              problems: error instanceof SubRequestError ? error.problems : error.problems.map((p) => placed(p, index)),
              report: error.report,
            });
          }
          results.push({ ...own, code: error.status, body: call.errorBody(error) });
        }
      }
      return { status: 200, body: results };
    },
  };
}

/** `{id, code, body}` per sub-request: `body` is what the operation answers on its own, or a failed read's error. */
function subRequestAnswers(operations: readonly CatalogOperation[]): TSchema {
  const bodies = new Set<TSchema | { $ref: string }>();
  for (const op of operations) {
    for (const [status, answer] of Object.entries(op.response)) {
      if (status.startsWith('2')) Object.values(answer.content).forEach((media) => bodies.add(media.schema));
    }
  }
  return Type.Array(
    Type.Object(
      {
        id: Type.Optional(Type.String({ description: "The sub-request's id, when it has one" })),
        code: Type.Integer({ description: 'The HTTP status the sub-request got' }),
        body: Type.Union([...bodies, Type.Ref('ServiceError#', { description: 'The error of a read that failed' })]),
      },
      { additionalProperties: false },
    ),
  );
}

/**
 * A write that fails fails the whole call, with the write's own error; so does a batched request whose shape,
 * template or resource is wrong (`routeNotFound` for a path no operation serves).
 */
function writeErrors(operations: readonly CatalogOperation[]): Record<number, DocumentedAnswer> {
  const answers: Record<number, DocumentedAnswer> = errorAnswers('validation', 'routeNotFound');
  for (const op of operations.filter((o) => o.method !== 'GET')) {
    // Each description lists the titles of the errors of that status: the call can fail with any of them.
    mergeAnswers(answers, Object.fromEntries(Object.entries(op.response).filter(([status]) => Number(status) >= 400)));
  }
  return answers;
}

interface SubRequestInput {
  method: string;
  resource: string;
  body: unknown;
  headers: Record<string, string>;
}

async function runSubRequest(operations: readonly CatalogOperation[], call: CatalogCall, input: SubRequestInput, index: number): Promise<CatalogAnswer> {
  const url = new URL(input.resource, 'http://catalog.invalid');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const match = operations
    .filter((op) => op.method === input.method)
    .map((op) => ({ op, params: matchPath(op.path, segments) }))
    .find((m) => m.params !== undefined);
  if (!match?.params) {
    throw new SubRequestError('routeNotFound', `No Catalog API at ${input.method} ${url.pathname}.`, { problems: [{ in: 'body', path: `/${index}/resource`, message: 'not a Catalog resource for this method' }] });
  }
  const query: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const { op, params } = match;
  const found = [
    ...(op.schema.params ? schemaProblems(op.schema.params, params, 'query').map((p) => ({ ...p, in: 'path' as const })) : []),
    ...(op.schema.querystring ? schemaProblems(op.schema.querystring, query, 'query') : []),
    ...(op.schema.body ? (input.body === undefined ? [{ in: 'body' as const, path: '', message: 'is required' }] : schemaProblems(op.schema.body, input.body, 'body')) : []),
    // The body parser held the batched body to the general cap; each sub-request's body is a resource of its own.
    ...stringLengthProblems(input.body, 'top'),
  ];
  if (found.length > 0) {
    const problems = found.map((p) => placed(p, index));
    throw new SubRequestError('validation', `Sub-request ${index} is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { problems });
  }
  const header = (name: string) => Object.entries(input.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return op.run({ ...call, params, query, body: input.body, headers: { ifMatch: header('if-match'), ifNoneMatch: header('if-none-match'), origin: call.headers.origin } });
}

/** The parameters of `pattern` (`/batches/:id`) in a request path, or undefined if the path is not of that form. */
function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((s) => s !== '');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decode(segment);
    else if (part !== segment) return undefined;
  }
  return params;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError('validation', `"${segment}" is not a valid path segment`, { problems: [{ in: 'path', path: segment, message: 'has a bad percent-encoding' }] });
  }
}

/** A sub-request's problem, located in the batched body: its body's fields under `/{index}/body`, the rest at its resource. */
function placed(problem: FieldProblem, index: number): FieldProblem {
  if (problem.in === 'body') return { in: 'body', path: `/${index}/body${problem.path}`, message: problem.message };
  const where = problem.in === 'header' ? `/${index}/headers/${problem.path}` : `/${index}/resource`;
  return { in: 'body', path: where, message: `${problem.in} ${problem.path}: ${problem.message}` };
}

/**
 * What `<<id.attribute>>` reads from an earlier answer: a reference answer (`["@/dataSets/5be2..."]`) is aliased
 * to `id`, and a lookup answer keyed by one id is that object, with its `id`.
 */
function attributesOf(body: unknown): unknown {
  if (Array.isArray(body) && typeof body[0] === 'string' && body[0].startsWith('@/')) return { id: body[0].split('/').pop() };
  if (isRecord(body)) {
    const entries = Object.entries(body);
    if (entries.length === 1 && isRecord(entries[0]?.[1])) return { ...(entries[0][1] as Record<string, unknown>), id: entries[0][0] };
  }
  return body;
}

function resolveTemplates(value: unknown, earlier: Map<string, unknown>, where: string): unknown {
  if (typeof value === 'string') {
    const whole = /^<<([^<>.]+)\.([^<>]+)>>$/.exec(value);
    if (whole) return lookUp(earlier, whole[1] as string, whole[2] as string, where);
    return value.replace(template, (_text, id: string, attribute: string) => valueText(lookUp(earlier, id, attribute, where)));
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveTemplates(item, earlier, `${where}/${i}`));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveTemplates(item, earlier, `${where}/${key}`)]));
  return value;
}

function lookUp(earlier: Map<string, unknown>, id: string, attribute: string, where: string): unknown {
  const fail = (message: string) => new SubRequestError('validation', `${where}: ${message}`, { problems: [{ in: 'body', path: where, message }] });
  if (!earlier.has(id)) throw fail(`<<${id}.${attribute}>> names no earlier sub-request that succeeded with id "${id}"`);
  let current = earlier.get(id);
  for (const key of attribute.split('.')) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) throw fail(`the answer of sub-request "${id}" has no attribute "${attribute}"`);
    current = current[key];
  }
  return current;
}
