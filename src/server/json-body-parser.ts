import type { FastifyInstance } from 'fastify';
import { ApiError, invalid } from './errors/api-error.js';
import { serviceOfUrl } from './errors/service-of-url.js';
import { stringLengthProblems, type FreeTextScope } from './string-lengths.js';

/** JSON media types AEP clients send: plain JSON, JSON Patch, and the registry's vendor types. */
export const jsonContentTypes = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

/**
 * The body limit of JSON requests (files are uploaded as octet streams and have their own). The largest JSON
 * bodies clients send on purpose are Schema Registry imports and mapping sets with hundreds of rules, far below it.
 */
export const jsonBodyLimit = 4 * 1024 * 1024;

/**
 * Parses JSON bodies and, when they are malformed, says where (line and column), so a user can find the
 * stray brace in a pasted curl command. Every string is held to the limits of `stringLengthProblems`, here
 * and once for all services, so that a route whose handler validates its body by hand, or a JSON Patch, cannot
 * store one of any length.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(jsonContentTypes, { parseAs: 'string', bodyLimit: jsonBodyLimit }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Some clients send `Content-Type: application/json` with an empty body on DELETE and actions;
    // routes that need a body reject its absence themselves.
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      done(new ApiError('invalidJson', describeJsonError(text, error)), undefined);
      return;
    }
    // Every later step walks bodies recursively; a pathologically deep one is refused up front.
    if (depthOf(parsed) > maxDepth) {
      done(new ApiError('validation', `The request body nests deeper than ${maxDepth} levels.`), undefined);
      return;
    }
    const tooLong = stringLengthProblems(parsed, freeTextScope(request.routeOptions.url));
    if (tooLong.length > 0) {
      done(invalid(tooLong), undefined);
      return;
    }
    done(null, parsed);
  });
}

const maxDepth = 64;

/** Schema Registry resources have titles and descriptions on every field; import routes carry a client's records. */
function freeTextScope(route: string | undefined): FreeTextScope {
  const service = route === undefined ? undefined : serviceOfUrl(route);
  if (service === 'schemaregistry') return 'deep';
  if (service === 'import') return 'none';
  return 'top';
}

/** Nesting depth, counted without recursion so that the check itself cannot overflow the stack. */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > maxDepth) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function describeJsonError(text: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(reason);
  if (!position?.[1]) return `The request body is not valid JSON: ${reason}`;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const near = text.slice(Math.max(0, offset - 20), offset + 20).replace(/\s+/g, ' ');
  return `The request body is not valid JSON: unexpected character at line ${line}, column ${column} (near "${near}")`;
}
