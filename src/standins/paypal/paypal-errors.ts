import type { StandInResponse } from '../standin-server.js';
import { hashOf } from './hash.js';

/**
 * PayPal's error bodies. REST APIs answer `{name, message, debug_id, details?, links}` (the shapes `error_400`,
 * `error_401`, `error_404`, `error_500` of the specs, whose `message` texts are fixed enums); the OAuth token
 * endpoint answers the OAuth 2 style `{error, error_description}`.
 */

export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query';
  issue: string;
  description?: string;
}

/** PayPal's `debug_id`: 13 lowercase hex digits, unique per response (deterministic per stand-in seed). */
export class DebugIds {
  private counter = 0;
  constructor(private readonly seed: number) {}
  next(): string {
    this.counter += 1;
    const high = hashOf(this.seed, this.counter, 1).toString(16).padStart(8, '0');
    const low = hashOf(this.seed, this.counter, 2).toString(16).padStart(8, '0');
    return (high + low).slice(0, 13);
  }
}

const DOCS = 'https://developer.paypal.com/docs/api/reference/api-responses';

function informationLink(name: string) {
  return [{ href: `${DOCS}/#${name}`, rel: 'information_link', method: 'GET' }];
}

function errorResponse(status: number, body: Record<string, unknown>, headers?: Record<string, string>): StandInResponse {
  return { status, body, ...(headers ? { headers } : {}) };
}

export const INVALID_REQUEST_MESSAGE = 'Request is not well-formed, syntactically incorrect, or violates schema.';

export function invalidRequest(debugId: string, details: ErrorDetail[]): StandInResponse {
  return errorResponse(400, {
    name: 'INVALID_REQUEST',
    message: INVALID_REQUEST_MESSAGE,
    debug_id: debugId,
    details,
    links: informationLink('INVALID_REQUEST'),
  });
}

/**
 * Transaction search for a start date the reporting store has not loaded yet (after `last_refreshed_datetime`).
 * The body is the one PayPal answers in that case (paypal/PayPal-node-SDK#452): same name, its own message,
 * empty details and links.
 */
export function dataNotAvailable(debugId: string): StandInResponse {
  return errorResponse(400, {
    name: 'INVALID_REQUEST',
    message: 'Data for the given start date is not available.',
    debug_id: debugId,
    details: [],
    links: [],
  });
}

/** More than `maximum` matches: the caller must narrow the window; no page is served. */
export function resultSetTooLarge(debugId: string, totalItems: number, maximum: number): StandInResponse {
  return errorResponse(400, {
    name: 'RESULTSET_TOO_LARGE',
    message: 'Result set size is greater than the maximum limit. Change the filter criteria and try again.',
    debug_id: debugId,
    total_items: totalItems,
    maximum_items: maximum,
    links: informationLink('RESULTSET_TOO_LARGE'),
  });
}

/** Missing, unknown or expired bearer token (the specs' `error_401`). */
export function authenticationFailure(debugId: string): StandInResponse {
  return errorResponse(401, {
    name: 'AUTHENTICATION_FAILURE',
    message: 'Authentication failed due to missing authorization header, or invalid authentication credentials.',
    debug_id: debugId,
    links: informationLink('AUTHENTICATION_FAILURE'),
  });
}

/** Unknown resource id (the specs' `error_404` with the `INVALID_RESOURCE_ID` detail). */
export function resourceNotFound(debugId: string, field?: string, value?: string): StandInResponse {
  return errorResponse(404, {
    name: 'RESOURCE_NOT_FOUND',
    message: 'The specified resource does not exist.',
    debug_id: debugId,
    details: [
      {
        ...(field ? { field, value, location: 'path' } : {}),
        issue: 'INVALID_RESOURCE_ID',
        description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
      },
    ],
    links: informationLink('RESOURCE_NOT_FOUND'),
  });
}

export function methodNotSupported(debugId: string): StandInResponse {
  return errorResponse(405, {
    name: 'METHOD_NOT_SUPPORTED',
    message: 'The server does not implement the requested HTTP method.',
    debug_id: debugId,
    links: informationLink('METHOD_NOT_SUPPORTED'),
  });
}

export function internalServerError(debugId: string): StandInResponse {
  return errorResponse(500, {
    name: 'INTERNAL_SERVER_ERROR',
    message: 'An internal server error occurred.',
    debug_id: debugId,
    links: informationLink('INTERNAL_SERVER_ERROR'),
  });
}

export function rateLimitReached(debugId: string, retryAfterSeconds: number): StandInResponse {
  return errorResponse(
    429,
    {
      name: 'RATE_LIMIT_REACHED',
      message: 'Too many requests. Blocked due to rate limiting.',
      debug_id: debugId,
      links: informationLink('RATE_LIMIT_REACHED'),
    },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** OAuth 2 errors of `POST /v1/oauth2/token`. */
export function oauthError(status: 400 | 401, error: string, description: string): StandInResponse {
  return errorResponse(status, { error, error_description: description });
}
