import { SignJWT, jwtVerify, errors } from 'jose';
import type { MasterKey } from '../../secrets/master-key.js';

export interface TokenClaims {
  clientId: string;
  orgId: string;
}

const issuer = 'tributary-ims';

/** Signed, expiring bearer tokens bound to one API client and one IMS org. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(masterKey: MasterKey, private readonly ttlSeconds: number, private readonly now: () => number) {
    this.key = masterKey.derive('access-tokens');
  }

  /** How long a token issued now stays valid, in seconds: what IMS v3 reports as `expires_in`. */
  get lifetimeSeconds(): number {
    return this.ttlSeconds;
  }

  async issue(claims: TokenClaims): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({ org: claims.orgId, type: 'access_token' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setSubject(claims.clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
  }

  /** Undefined for any token we did not sign, that was altered, or that has expired. */
  async verify(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') return undefined;
      return { clientId: payload.sub, orgId: payload.org };
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}
