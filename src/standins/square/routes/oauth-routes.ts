import type { StandInRequest, StandInResponse } from '../../standin-server.js';
import { BodyReader, parseJsonBody } from '../request-params.js';
import { SquareApiError, invalidRequest } from '../square-errors.js';
import type { SquareTokens } from '../tokens.js';

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'migration_token'] as const;

/**
 * POST /oauth2/token (ObtainToken) with `grant_type: refresh_token`: the client id and secret must match,
 * and the refresh token must be the live one; the answer carries a new access token and a new refresh token.
 * Authorization codes and migration tokens are never valid here (the stand-in issues none).
 */
export function obtainToken(request: StandInRequest, tokens: SquareTokens): StandInResponse {
  const body = new BodyReader(parseJsonBody(request.body));
  const clientId = body.string('client_id');
  if (clientId === undefined) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Missing required parameter `client_id`.', 'client_id');
  const grantType = body.string('grant_type');
  if (grantType === undefined) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Missing required parameter `grant_type`.', 'grant_type');
  body.enumValue('grant_type', GRANT_TYPES);
  const clientSecret = body.string('client_secret');
  if (clientId !== tokens.clientId) throw authFailure('Not Authorized: unknown `client_id`.');
  if (clientSecret !== tokens.clientSecret) throw authFailure('Not Authorized: invalid `client_secret`.');
  if (grantType === 'authorization_code') {
    if (body.string('code') === undefined) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Missing required parameter `code`.', 'code');
    throw authFailure('Invalid authorization code.');
  }
  if (grantType === 'migration_token') throw authFailure('Invalid migration token.');
  const refreshToken = body.string('refresh_token');
  if (refreshToken === undefined) throw invalidRequest('MISSING_REQUIRED_PARAMETER', 'Missing required parameter `refresh_token`.', 'refresh_token');
  const issued = tokens.refresh(refreshToken);
  if (!issued) throw authFailure(tokens.wasUsed(refreshToken) ? 'Invalid refresh token: it was already used.' : 'Invalid refresh token.');
  return { status: 200, body: issued };
}

function authFailure(detail: string): SquareApiError {
  return new SquareApiError(401, { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail });
}
