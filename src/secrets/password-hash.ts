import crypto from 'node:crypto';
import { promisify } from 'node:util';

/** `crypto.scrypt` at Node's default cost, however it is run (see `HashingPool`). */
export type Scrypt = (secret: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/**
 * scrypt on libuv's shared thread pool: fine for one-shot commands (`credentials create`), not for a server,
 * where it competes with file and DNS work (the server uses `HashingPool`).
 */
export const threadPoolScrypt = promisify(crypto.scrypt) as Scrypt;

/** Client secrets are stored as salted scrypt hashes: `scrypt$<salt>$<hash>`. */
export async function hashSecret(secret: string, scrypt: Scrypt): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(secret, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string, scrypt: Scrypt): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length);
  return crypto.timingSafeEqual(expected, actual);
}
