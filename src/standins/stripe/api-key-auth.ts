import type http from 'node:http';
import { basicCredentials, bearerToken } from '../standin-server.js';
import { MISSING_KEY_MESSAGE, StripeApiError, maskApiKey } from './stripe-errors.js';

/**
 * Stripe authenticates with the secret key itself, sent as `Authorization: Bearer sk_...` or as the Basic-auth
 * user name (curl's `-u sk_test_...:`). Keys do not expire, so there is no token refresh to simulate.
 */
export function authenticate(headers: http.IncomingHttpHeaders, validKeys: ReadonlySet<string>): void {
  const key = bearerToken(headers) ?? basicCredentials(headers)?.user ?? null;
  if (key === null || key === '') throw new StripeApiError(401, { type: 'invalid_request_error', message: MISSING_KEY_MESSAGE });
  if (!validKeys.has(key)) throw new StripeApiError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${maskApiKey(key)}` });
}
