import crypto from 'node:crypto';
import type { ApiClient } from './api-clients.repository.js';

/**
 * Client secrets that passed scrypt recently, remembered as an HMAC under a key that lives only in this process,
 * so a client presenting the same secret again is recognised without another scrypt. This is what lets a
 * client whose id is being attacked (and so rate-limited) still get its token: the attacker's failures do not
 * lock the holder of the secret out. The stored hash is part of the message, so a changed secret never matches.
 * Bounded: past `maxEntries` the client remembered longest ago is forgotten (it pays one scrypt next time).
 */
export class VerifiedSecrets {
  private readonly key = crypto.randomBytes(32);
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly maxEntries: number) {}

  matches(client: ApiClient, secret: string): boolean {
    const known = this.entries.get(client.clientId);
    return known !== undefined && crypto.timingSafeEqual(known, this.digest(client, secret));
  }

  remember(client: ApiClient, secret: string): void {
    this.entries.delete(client.clientId);
    this.entries.set(client.clientId, this.digest(client, secret));
    while (this.entries.size > this.maxEntries) {
      const stalest = this.entries.keys().next();
      if (stalest.done) break;
      this.entries.delete(stalest.value);
    }
  }

  private digest(client: ApiClient, secret: string): Buffer {
    return crypto.createHmac('sha256', this.key).update(client.secretHash).update('\0').update(secret, 'utf8').digest();
  }
}
