import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors/api-error.js';

/** JSON media types AEP clients send: plain JSON, JSON Patch, and the registry's vendor types. */
export const jsonContentTypes = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

/**
 * Parses JSON bodies and, when they are malformed, says where (line and column), so a user can find the
 * stray brace in a pasted curl command.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(jsonContentTypes, { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Some clients send `Content-Type: application/json` with an empty body on DELETE and actions;
    // routes that need a body reject its absence themselves.
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ApiError('invalidJson', describeJsonError(text, error)), undefined);
    }
  });
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
