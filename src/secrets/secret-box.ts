import crypto from 'node:crypto';
import type { MasterKey } from './master-key.js';

/** `v1`: the value alone. `v2`: the value and what it is bound to, authenticated together. */
const plain = 'v1';
const bound = 'v2';

/** A sealed value, and what it was bound to when sealed (undefined for a value sealed without a binding). */
export interface OpenedSecret {
  value: unknown;
  boundTo: unknown;
}

/**
 * Authenticated encryption of small JSON values (connection credentials) for storage at rest.
 *
 * A value can be sealed together with what it is bound to, such as the host the credentials were given for:
 * the binding cannot be changed without the master key, so a row edited in the database cannot move a secret
 * unnoticed.
 * ```ts
 * const sealed = box.seal({ clientSecret: 's3cret' }, { host: 'api.paypal.com' });
 * box.openBound(sealed); // { value: { clientSecret: 's3cret' }, boundTo: { host: 'api.paypal.com' } }
 * box.open(sealed); // { clientSecret: 's3cret' }
 * ```
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: MasterKey) {
    this.key = masterKey.derive('credentials');
  }

  seal(value: unknown, boundTo?: unknown): string {
    return boundTo === undefined ? this.encrypt(plain, value) : this.encrypt(bound, { value, boundTo });
  }

  /** The value alone, whether it was sealed with a binding or not. */
  open(sealed: string): unknown {
    return this.openBound(sealed).value;
  }

  openBound(sealed: string): OpenedSecret {
    const [tag, iv, authTag, data] = sealed.split('.');
    if ((tag !== plain && tag !== bound) || !iv || !authTag || data === undefined) throw new Error('unrecognised sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    // v2 authenticates its tag too: relabelled v1 to drop its binding, it no longer opens. (v1, stored before
    // bindings existed, was sealed without one.)
    if (tag === bound) decipher.setAAD(Buffer.from(tag, 'utf8'));
    decipher.setAuthTag(Buffer.from(authTag, 'base64'));
    const opened = JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8')) as unknown;
    if (tag === plain) return { value: opened, boundTo: undefined };
    const envelope = opened as { value?: unknown; boundTo?: unknown };
    return { value: envelope.value, boundTo: envelope.boundTo };
  }

  private encrypt(tag: string, value: unknown): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    if (tag === bound) cipher.setAAD(Buffer.from(tag, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [tag, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join('.');
  }
}
