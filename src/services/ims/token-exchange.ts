import { HashingBusyError } from '../../secrets/hashing-pool.js';
import { AttemptLimiter } from './attempt-limiter.js';
import type { Credentials } from './credentials.js';
import type { TokenEndpointLimits } from './token-endpoint-limits.js';
import { VerifiedSecrets } from './verified-secrets.js';

export type ExchangeOutcome =
  | { kind: 'issued'; accessToken: string }
  | { kind: 'unknownClient' }
  | { kind: 'wrongSecret' }
  /** Too many failures lately for this client id or this address. */
  | { kind: 'limited'; retryAfterSeconds: number }
  /** Secret hashing is saturated server-wide. */
  | { kind: 'busy'; retryAfterSeconds: number };

/**
 * Keys each limiter tracks at most: a few hundred kilobytes, and more distinct attackers than one server can
 * feel before its hashing queue is what refuses them.
 */
const maxTrackedKeys = 10_000;

/**
 * The client-credentials grant with its guards, cheapest first: a secret remembered from a recent success is
 * answered at once; a limited address or client id, and an unknown client, are refused before any hash; only
 * then does one scrypt run, on the hashing pool. Attempts are counted before the hash and taken back when it succeeds, so a
 * burst of concurrent guesses is bounded by the limit too, not only the guesses that have finished failing.
 */
export class TokenExchange {
  private readonly byClient: AttemptLimiter;
  private readonly byAddress: AttemptLimiter;
  private readonly verified = new VerifiedSecrets(maxTrackedKeys);

  constructor(private readonly credentials: Credentials, limits: TokenEndpointLimits, now: () => number) {
    const windowMs = limits.windowSeconds * 1000;
    this.byClient = new AttemptLimiter({ attempts: limits.failuresPerClient, windowMs, maxKeys: maxTrackedKeys }, now);
    this.byAddress = new AttemptLimiter({ attempts: limits.failuresPerAddress, windowMs, maxKeys: maxTrackedKeys }, now);
  }

  async exchange(request: { clientId: string; clientSecret: string; address: string }): Promise<ExchangeOutcome> {
    const client = await this.credentials.findClient(request.clientId);
    // Before the limits, so that failures by others (on this address or this client id) never lock out a
    // client presenting the secret that worked a moment ago.
    if (client && this.verified.matches(client, request.clientSecret)) return { kind: 'issued', accessToken: await this.credentials.issueToken(client) };
    const wait = Math.max(this.byAddress.retryAfterSeconds(request.address), client ? this.byClient.retryAfterSeconds(client.clientId) : 0);
    if (wait > 0) return { kind: 'limited', retryAfterSeconds: wait };
    if (!client) {
      // Free to answer, but counted: an address cycling through ids is still an address sending bad credentials.
      // Unknown ids are not tracked per client, or a stream of made-up ids would push real ones out.
      this.byAddress.record(request.address);
      return { kind: 'unknownClient' };
    }
    this.byAddress.record(request.address);
    this.byClient.record(client.clientId);
    let matches: boolean;
    try {
      matches = await this.credentials.secretMatches(client, request.clientSecret);
    } catch (error) {
      if (!(error instanceof HashingBusyError)) throw error;
      this.forgive(request.address, client.clientId);
      return { kind: 'busy', retryAfterSeconds: 1 };
    }
    if (!matches) return { kind: 'wrongSecret' };
    this.forgive(request.address, client.clientId);
    this.verified.remember(client, request.clientSecret);
    return { kind: 'issued', accessToken: await this.credentials.issueToken(client) };
  }

  private forgive(address: string, clientId: string): void {
    this.byAddress.forgive(address);
    this.byClient.forgive(clientId);
  }
}
