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
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key; restore it from a backup or set TRIBUTARY_SECRET_KEY`);
    return new MasterKey(key);
  }

  /** A separate key per purpose, so a token key can never decrypt credentials. */
  derive(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.material, Buffer.alloc(0), `tributary:${purpose}`, 32));
  }
}
