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
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another start created it first: use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return new MasterKey(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
  }

  /** A separate key per purpose, so a token key can never decrypt credentials. */
  derive(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.material, Buffer.alloc(0), `tributary:${purpose}`, 32));
  }
}
