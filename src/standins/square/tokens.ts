import type http from 'node:http';
import { Rng, deriveSeed } from '../seeded-rng.js';
import { bearerToken, type StandInClock } from '../standin-server.js';
import { BASE62 } from './ids.js';
import { formatRfc3339Seconds } from './rfc3339.js';
import { unauthorized } from './square-errors.js';

/**
 * Square's OAuth tokens: access tokens expire (30 days by default, judged by the stand-in clock), refresh
 * tokens are single-use here (each refresh hands out a new one and retires the one sent), and any number of
 * access tokens may be alive at once.
 */
export interface SquareCredentialOptions {
  /** Access token valid from start (default: generated from the seed). */
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of every access token, from the clock (default 30 days; Infinity: never expires). */
  accessTokenTtlMs?: number;
}

export const DEFAULT_ACCESS_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

export interface IssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_at: string;
  merchant_id: string;
  refresh_token: string;
  short_lived: false;
}

interface AccessTokenState {
  expiresAt: number;
  revoked: boolean;
}

export class SquareTokens {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly ttlMs: number;
  private readonly rng: Rng;
  private readonly accessTokens = new Map<string, AccessTokenState>();
  private liveRefreshToken: string;
  private readonly usedRefreshTokens = new Set<string>();
  /** The access token handed out at start, for tests. */
  readonly initialAccessToken: string;

  constructor(
    private readonly clock: StandInClock,
    private readonly merchantId: string,
    seed: number,
    options: SquareCredentialOptions = {},
  ) {
    this.rng = new Rng(deriveSeed(seed, 'square-tokens'));
    this.clientId = options.clientId ?? 'sq0idp-standin-application';
    this.clientSecret = options.clientSecret ?? 'sq0csp-standin-application-secret';
    this.ttlMs = options.accessTokenTtlMs ?? DEFAULT_ACCESS_TOKEN_TTL_MS;
    this.initialAccessToken = options.accessToken ?? this.newToken('EAAA');
    this.liveRefreshToken = options.refreshToken ?? this.newToken('EQAA');
    this.accessTokens.set(this.initialAccessToken, { expiresAt: clock.now() + this.ttlMs, revoked: false });
  }

  /** The refresh token that works now (it changes with every refresh). */
  get refreshToken(): string {
    return this.liveRefreshToken;
  }

  /** Throws Square's 401 unless the request carries a live access token. */
  authenticate(headers: http.IncomingHttpHeaders): void {
    if (headers.authorization === undefined) {
      throw unauthorized('UNAUTHORIZED', 'Your request did not include an `Authorization` http header with an access token; expected "Bearer TOKEN".');
    }
    const token = bearerToken(headers);
    if (token === null) throw unauthorized('UNAUTHORIZED', 'The `Authorization` http header of your request was malformed; expected "Bearer TOKEN".');
    const state = this.accessTokens.get(token);
    if (!state) throw unauthorized('UNAUTHORIZED', 'This request could not be authorized.');
    if (state.revoked) throw unauthorized('ACCESS_TOKEN_REVOKED', 'The access token has been revoked.');
    if (this.clock.now() >= state.expiresAt) throw unauthorized('ACCESS_TOKEN_EXPIRED', 'The access token has expired.');
  }

  /** Trades the live refresh token for a new pair; null for an unknown or already used refresh token. */
  refresh(refreshToken: string): IssuedToken | null {
    if (refreshToken !== this.liveRefreshToken) return null;
    this.usedRefreshTokens.add(refreshToken);
    this.liveRefreshToken = this.newToken('EQAA');
    const accessToken = this.newToken('EAAA');
    const expiresAt = this.clock.now() + this.ttlMs;
    this.accessTokens.set(accessToken, { expiresAt, revoked: false });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_at: formatRfc3339Seconds(Number.isFinite(expiresAt) ? expiresAt : Date.UTC(9999, 0, 1)),
      merchant_id: this.merchantId,
      refresh_token: this.liveRefreshToken,
      short_lived: false,
    };
  }

  /** Whether a refresh token was good once and has been used up (tests assert rotation with it). */
  wasUsed(refreshToken: string): boolean {
    return this.usedRefreshTokens.has(refreshToken);
  }

  /** Every access token issued so far stops working (the `expired-token` fault, or a test's own call). */
  expireAll(): void {
    const now = this.clock.now();
    for (const state of this.accessTokens.values()) state.expiresAt = Math.min(state.expiresAt, now);
  }

  revoke(accessToken: string): void {
    const state = this.accessTokens.get(accessToken);
    if (state) state.revoked = true;
  }

  private newToken(prefix: string): string {
    let token = prefix;
    for (let i = 0; i < 60; i += 1) token += BASE62[this.rng.int(0, BASE62.length - 1)];
    return token;
  }
}
