import { ApiError } from '../errors/api-error.js';

/** A continuation token: the listing's position as JSON, in base64url, so it travels in a URL as it is. */
export function writeContinuationToken(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * The position a token holds, as `accept` reads it from the parsed JSON (undefined: not a position of this
 * listing). Anything else, a token that is not base64url JSON included, is the client's 400 naming the field.
 */
export function readContinuationToken<T>(token: string, accept: (parsed: unknown) => T | undefined, problem: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const position = parsed === undefined ? undefined : accept(parsed);
  if (position !== undefined) return position;
  throw new ApiError('badContinuationToken', 'The continuationToken is not one this server issued; start the listing again without it.', {
    problems: [{ in: 'query', path: 'continuationToken', message: problem }],
  });
}
