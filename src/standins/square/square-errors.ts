import type { FaultResponses, StandInResponse } from '../standin-server.js';

/**
 * Square's error envelope: every failure is `{ errors: [{ category, code, detail?, field? }] }`, whatever the
 * endpoint (spec `#/components/schemas/Error`). Handlers throw `SquareApiError`; the router turns it into the body.
 */
export type SquareErrorCategory =
  | 'API_ERROR'
  | 'AUTHENTICATION_ERROR'
  | 'INVALID_REQUEST_ERROR'
  | 'RATE_LIMIT_ERROR'
  | 'PAYMENT_METHOD_ERROR'
  | 'REFUND_ERROR';

export interface SquareErrorEntry {
  category: SquareErrorCategory;
  code: string;
  detail?: string;
  field?: string;
}

export class SquareApiError extends Error {
  constructor(
    readonly status: number,
    readonly entry: SquareErrorEntry,
  ) {
    super(`${status} ${entry.code}: ${entry.detail ?? ''}`);
  }

  toResponse(): StandInResponse {
    return errorResponse(this.status, this.entry);
  }
}

export function errorResponse(status: number, entry: SquareErrorEntry, headers?: Record<string, string>): StandInResponse {
  return { status, body: { errors: [entry] }, ...(headers ? { headers } : {}) };
}

/** 400 INVALID_REQUEST_ERROR, the category of every parameter problem. */
export function invalidRequest(code: string, detail: string, field?: string): SquareApiError {
  return new SquareApiError(400, { category: 'INVALID_REQUEST_ERROR', code, detail, ...(field === undefined ? {} : { field }) });
}

export function notFound(detail: string): SquareApiError {
  return new SquareApiError(404, { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail });
}

export function unauthorized(code: 'UNAUTHORIZED' | 'ACCESS_TOKEN_EXPIRED' | 'ACCESS_TOKEN_REVOKED', detail: string): SquareApiError {
  return new SquareApiError(401, { category: 'AUTHENTICATION_ERROR', code, detail });
}

/** Square answers a location outside the seller's account with 403 FORBIDDEN (seen on SearchOrders). */
export function forbiddenLocation(resource: string, locationId: string): SquareApiError {
  return new SquareApiError(403, {
    category: 'AUTHENTICATION_ERROR',
    code: 'FORBIDDEN',
    detail: `Not authorized to access ${resource} with location_id=${locationId}`,
  });
}

export function squareFaultResponses(expireTokens: () => void): FaultResponses {
  return {
    rateLimited: (retryAfterSeconds) =>
      errorResponse(
        429,
        { category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'Rate limit exceeded. Please slow down and retry later.' },
        { 'retry-after': String(retryAfterSeconds) },
      ),
    serverError: () => errorResponse(500, { category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR', detail: 'An internal error has occurred, and the API was unable to service your request.' }),
    expireTokens,
  };
}
