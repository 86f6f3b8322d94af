import { basicCredentials, bearerToken, type StandInClock, type StandInRequest, type StandInResponse } from '../standin-server.js';
import { hashOf } from './hash.js';
import { oauthError } from './paypal-errors.js';
import { isoSeconds } from './wire-format.js';

/**
 * `POST /v1/oauth2/token` (client credentials) and the bearer check of every other route. Tokens expire after
 * `expires_in` seconds on the stand-in clock. Like PayPal, asking again while the client's token is still
 * valid returns that same token with the seconds it has left, so a client cannot force a fresh token early.
 */

export interface TokenOptions {
  clientId: string;
  clientSecret: string;
  /** `expires_in` of a new token; PayPal issues 32400 s (9 h). */
  lifetimeSeconds: number;
  clock: StandInClock;
  seed: number;
}

interface IssuedToken {
  token: string;
  expiresAt: number;
}

const SCOPES = [
  'https://uri.paypal.com/services/reporting/search/read',
  'https://uri.paypal.com/services/reporting/balances/read',
  'https://uri.paypal.com/services/disputes/read-seller',
  'https://uri.paypal.com/services/disputes/read-buyer',
  'https://uri.paypal.com/services/catalog/products/read',
].join(' ');

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export class OAuthTokens {
  private readonly valid = new Map<string, IssuedToken>();
  private current: IssuedToken | null = null;
  private issued = 0;

  constructor(private readonly options: TokenOptions) {}

  /** How many distinct tokens were minted (a reused token does not count). */
  get issuedCount(): number {
    return this.issued;
  }

  handleTokenRequest(request: StandInRequest): StandInResponse {
    const credentials = basicCredentials(request.headers);
    if (!credentials || credentials.user !== this.options.clientId || credentials.password !== this.options.clientSecret) {
      return oauthError(401, 'invalid_client', 'Client Authentication failed');
    }
    const grantType = new URLSearchParams(request.body).get('grant_type');
    if (grantType === null || grantType === '') return oauthError(400, 'unsupported_grant_type', 'Grant Type is NULL');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'unsupported grant_type');

    const now = this.options.clock.now();
    let token = this.current && this.current.expiresAt > now && this.valid.has(this.current.token) ? this.current : null;
    if (!token) {
      token = { token: this.mint(), expiresAt: now + this.options.lifetimeSeconds * 1000 };
      this.valid.set(token.token, token);
      this.current = token;
    }
    return {
      status: 200,
      body: {
        scope: SCOPES,
        access_token: token.token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
        nonce: `${isoSeconds(now)}${this.randomText(43, 7)}`,
      },
    };
  }

  /** True when the request carries a token this stand-in issued and that has not expired on its clock. */
  authenticate(request: StandInRequest): boolean {
    const token = bearerToken(request.headers);
    if (token === null) return false;
    const issued = this.valid.get(token);
    if (!issued) return false;
    if (issued.expiresAt <= this.options.clock.now()) {
      this.valid.delete(token);
      return false;
    }
    return true;
  }

  /** Invalidates every token issued so far; the next token request mints a new one. */
  expireAll(): void {
    this.valid.clear();
    this.current = null;
  }

  private mint(): string {
    this.issued += 1;
    // PayPal access tokens start with "A21AA" and run to about 97 characters.
    return `A21AA${this.randomText(92, this.issued)}`;
  }

  private randomText(length: number, salt: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) {
      out += TOKEN_ALPHABET[hashOf(this.options.seed, salt, i, this.issued) % TOKEN_ALPHABET.length];
    }
    return out;
  }
}
