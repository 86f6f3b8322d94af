import { describe, expect, it } from 'vitest';
import { parseConnectionString } from '../src/connectors/database/connection-string.js';
import { parseTableName } from '../src/connectors/database/table-name.js';

describe("AEP's database connection string", () => {
  it('reads the documented form, keys in any case, PWD and User Id, braces around a value with a semicolon', () => {
    expect(parseConnectionString('Server=db.local;Database=shop;Port=6543;UID=app;Password=s3cret')).toEqual({
      host: 'db.local', port: 6543, database: 'shop', user: 'app', password: 's3cret', tls: { mode: 'off', validateCertificate: true },
    });
    const other = parseConnectionString(' server = h ; DATABASE=d;User Id=u;PWD={a;b=c};EncryptionMethod=1;ValidateServerCertificate=0;');
    expect(other).toMatchObject({ host: 'h', port: undefined, database: 'd', user: 'u', password: 'a;b=c', tls: { mode: 'require', validateCertificate: false } });
    expect(parseConnectionString('Server=h;Database=d;UID=u;Password=p;EncryptionMethod=6').tls).toEqual({ mode: 'request', validateCertificate: true });
  });

  it('names the key at fault and never repeats the password', () => {
    const failures = [
      ['Server=h;Database=d;Password=hunter2', /no UID=/],
      ['Server=h;Database=d;UID=u;Password=hunter2;Port=x', /Port must be a number/],
      ['Server=h;Database=d;UID=u;Password=hunter2;EncryptionMethod=3', /EncryptionMethod must be 0/],
      ['Server=h;Database=d;UID=u;Password=hun;ter2', /without =value after Password/],
      ['Server=h;Database=d;UID=u;Password={hunter2', /Password value opens with \{ but never closes/],
      ['Server=h;Database=d;UID=u;UID=v;Password=hunter2', /sets UID twice/],
    ] as const;
    for (const [text, message] of failures) {
      let thrown: unknown;
      try {
        parseConnectionString(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, text).toBeInstanceOf(Error);
      expect((thrown as Error).name).toBe('SourceConfigError');
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toMatch(/hunter|ter2/);
    }
    expect(() => parseConnectionString(undefined)).toThrow(/no connectionString/);
  });

  it('reads table names with and without a schema, quoted parts holding dots', () => {
    expect(parseTableName('public.orders')).toEqual({ schema: 'public', name: 'orders' });
    expect(parseTableName('orders')).toEqual({ schema: undefined, name: 'orders' });
    expect(parseTableName('"my.schema"."Or""ders"')).toEqual({ schema: 'my.schema', name: 'Or"ders' });
    expect(() => parseTableName('a.b.c')).toThrow(/3 parts/);
    expect(() => parseTableName('')).toThrow(/names no table/);
  });
});
