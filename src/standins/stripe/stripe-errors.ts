/**
 * Stripe's error bodies: `{error: {type, message, code?, param?, doc_url?}}`. The 2022 spec's `api_errors.type`
 * enum has no rate-limit type: Stripe words a 429 as `invalid_request_error` with code `rate_limit`.
 */

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
}

/** Thrown by request parsing and routing; the server turns it into the HTTP answer. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

const DOCS = 'https://stripe.com/docs/error-codes/';

export function invalidRequest(message: string, param?: string, code?: string, status = 400): StripeApiError {
  return new StripeApiError(status, {
    type: 'invalid_request_error',
    message,
    ...(code ? { code, doc_url: DOCS + code.replace(/_/g, '-') } : {}),
    ...(param !== undefined ? { param } : {}),
  });
}

/** `No such charge: 'ch_x'` — 404 on retrieve, 400 when the id came in a parameter (a paging cursor). */
export function resourceMissing(objectName: string, id: string, param: string, status: 404 | 400): StripeApiError {
  return invalidRequest(`No such ${objectName}: '${id}'`, param, 'resource_missing', status);
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return invalidRequest(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, undefined, undefined, 404);
}

export const MISSING_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** Stripe shows a rejected key with its first 8 and last 4 characters and stars in between. */
export function maskApiKey(key: string): string {
  if (key.length <= 12) return key;
  return key.slice(0, 8) + '*'.repeat(key.length - 12) + key.slice(-4);
}

export function rateLimitedBody(): { error: StripeErrorBody } {
  return {
    error: {
      type: 'invalid_request_error',
      code: 'rate_limit',
      doc_url: `${DOCS}rate-limit`,
      message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
  };
}

export function serverErrorBody(): { error: StripeErrorBody } {
  return { error: { type: 'api_error', message: 'An unknown error occurred' } };
}
