import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The one key everything secret derives from: connection credentials (AES-GCM) and access tokens (HMAC).
 * From TRIBUTARY_SECRET_KEY when set (so several processes share it), else a file created once in the data dir.
 */
export class MasterKey {
  private constructor(private readonly material: Buffer) {}

  static fromSecret(secret: string): MasterKey {
    return new MasterKey(crypto.createHash('sha256').update(secret, 'utf8').digest());
  }

  static loadOrCreate(dataDir: string): MasterKey {
    const file = path.join(dataDir, 'secret.key');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(file)) {
      // Written whole to a temporary file, then linked into place: a concurrent start either wins the
      // link or reads the complete winner, never a half-written key.
      const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
      fs.writeFileSync(temporary, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
      try {
        fs.linkSync(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        fs.unlinkSync(temporary);
      }
    }
    return MasterKey.fromKeyFile(fs.readFileSync(file, 'utf8'), file);
  }

  /** A key file's text (base64 of 32 bytes, as `secret.key` holds it); `origin` names the file in the error. */
  static fromKeyFile(text: string, origin: string): MasterKey {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32) throw new Error(`${origin} does not hold a 32-byte key; restore it from a backup or set TRIBUTARY_SECRET_KEY`);
    return new MasterKey(key);
  }

  /**
   * The key as a `secret.key` file holds it. A key given as TRIBUTARY_SECRET_KEY has one too: the file holds the
   * material the secret hashes to, so a server reading the file derives the same keys.
   */
  toKeyFile(): string {
    return this.material.toString('base64');
  }

  /** Tells two keys apart without revealing either: a one-way derivation, safe to print and to store beside data. */
  fingerprint(): string {
    return this.derive('key-fingerprint').subarray(0, 16).toString('hex');
  }

  /** A separate key per purpose, so a token key can never decrypt credentials. */
  derive(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.material, Buffer.alloc(0), `tributary:${purpose}`, 32));
  }
}
