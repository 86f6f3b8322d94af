import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3StoreOpener } from '../src/connectors/amazon-s3/s3-file-store.js';
import { defaultS3ClientPolicy } from '../src/connectors/amazon-s3/s3-client.js';
import { SourceConfigError } from '../src/connectors/source-connector.js';
import type { RemoteFileStore } from '../src/connectors/remote-files/remote-file-store.js';
import { S3TestServer, testAccessKey, testSecretKey } from './support/s3-server.js';

/**
 * The S3 store under the remote-files connector, against s3rver through the test server's gate: folders from key
 * prefixes, listings paged with continuation tokens, ranged reads, and each refusal as a message naming the
 * setting to fix (never the secret).
 */
describe('S3 store', () => {
  let s3: S3TestServer;
  const quick = { ...defaultS3ClientPolicy, maxAttempts: 1 };
  const open = (auth: Record<string, unknown> = {}, pageSize = 2) =>
    s3StoreOpener(quick, { pageSize, maxEmptyPages: 5 })({ s3AccessKey: testAccessKey, s3SecretKey: testSecretKey, serviceUrl: s3.endpoint, bucketName: 'settlements', ...auth });
  const failure = async (work: (store: RemoteFileStore) => Promise<unknown>, auth: Record<string, unknown> = {}) => {
    const store = await open(auth);
    try {
      await work(store);
    } catch (error) {
      return error as Error;
    } finally {
      await store.close();
    }
    throw new Error('expected a failure');
  };

  beforeAll(async () => {
    s3 = await S3TestServer.start();
    await s3.createBucket('settlements');
    await s3.createBucket('archive');
    for (const name of ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv']) await s3.put('settlements', `inbox/${name}`, `id\n${name}\n`);
    await s3.put('settlements', 'inbox/2026/f.csv', 'id\nf\n');
    await s3.put('settlements', 'inbox/', '');
    await s3.put('settlements', 'top.json', '{"id":1}\n');
    await s3.put('settlements', 'odd names/März + Überweisung (1).csv', 'id\nü\n');
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('lists a folder page by page, with its subfolders, and skips folder markers', async () => {
    const store = await open();
    try {
      const names: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('inbox', next);
        names.push(...page.entries.map((e) => `${e.type}:${e.name}`));
        next = page.next;
        pages += 1;
      } while (next !== undefined && pages < 10);
      expect(pages).toBeGreaterThan(2);
      expect(names.sort()).toEqual(['file:inbox/a.csv', 'file:inbox/b.csv', 'file:inbox/c.csv', 'file:inbox/d.csv', 'file:inbox/e.csv', 'folder:inbox/2026']);
      const root = await store.list('', undefined);
      expect(root.entries.map((e) => `${e.type}:${e.name}`).sort()).toEqual(['file:top.json', 'folder:inbox', 'folder:odd names']);
    } finally {
      await store.close();
    }
  });

  it('tells files from folders and from nothing, with sizes and times', async () => {
    const store = await open();
    try {
      const file = await store.stat('inbox/a.csv');
      expect(file).toMatchObject({ type: 'file', name: 'inbox/a.csv', bytes: 'id\na.csv\n'.length });
      expect(file?.modifiedAt).toBeGreaterThan(Date.now() - 600_000);
      expect(await store.stat('inbox/2026')).toMatchObject({ type: 'folder', name: 'inbox/2026' });
      expect(await store.stat('inbox/a.cs')).toBeUndefined();
      expect(await store.stat('nowhere')).toBeUndefined();
      // Spaces, '+', parentheses and non-ASCII letters survive signing and addressing.
      const odd = 'odd names/März + Überweisung (1).csv';
      expect(await store.stat(odd)).toMatchObject({ type: 'file', name: odd, bytes: Buffer.byteLength('id\nü\n') });
      expect((await buffer(await store.read(odd, 3))).toString()).toBe('ü\n');
    } finally {
      await store.close();
    }
  });

  it('reads an object whole and from a byte on', async () => {
    const store = await open({ folderPath: 'inbox' });
    try {
      expect((await buffer(await store.read('b.csv', 0))).toString()).toBe('id\nb.csv\n');
      expect((await buffer(await store.read('b.csv', 3))).toString()).toBe('b.csv\n');
      await store.check();
    } finally {
      await store.close();
    }
  });

  it('without a bucket, lists the buckets and reads by bucket/key', async () => {
    const store = await open({ bucketName: undefined });
    try {
      expect((await store.list('', undefined)).entries.map((e) => e.name).sort()).toEqual(['archive', 'settlements']);
      expect(await store.stat('settlements/top.json')).toMatchObject({ type: 'file', name: 'settlements/top.json' });
      expect(await store.stat('no-such-bucket')).toBeUndefined();
      await store.check();
    } finally {
      await store.close();
    }
  });

  it('names what to fix for every refusal, never the secret', async () => {
    const cases: [Record<string, unknown>, (store: RemoteFileStore) => Promise<unknown>, RegExp][] = [
      [{ s3AccessKey: 'AKIAUNKNOWN' }, (s) => s.check(), /does not know the access key "AKIAUNKNOWN"; check s3AccessKey/],
      [{ s3SecretKey: 'a-wrong-secret' }, (s) => s.check(), /s3SecretKey is not the secret of access key "TRIBUTARYTESTKEY"; update s3SecretKey/],
      [{ bucketName: 'no-such-bucket' }, (s) => s.check(), /bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+; check bucketName/],
      [{ folderPath: 'missing' }, (s) => s.check(), /folderPath "missing" holds no objects in bucket "settlements"; check folderPath/],
      [{}, (s) => s.read('inbox/zzz.csv', 0), /object "inbox\/zzz.csv" is not in bucket "settlements"/],
      [{ serviceUrl: 'http://no-such-host.invalid:9000' }, (s) => s.check(), /cannot be found \(ENOTFOUND\); check serviceUrl/],
    ];
    for (const [auth, work, message] of cases) {
      const error = await failure(work, auth);
      expect(error, String(error)).toBeInstanceOf(SourceConfigError);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(testSecretKey);
      expect(error.message).not.toContain('a-wrong-secret');
    }
  });

  it('names the permission a refused key lacks', async () => {
    s3.keys.set('READER', { secret: 'reader-secret', denies: (call) => call.operation === 'GetObject' });
    s3.keys.set('NOLIST', { secret: 'nolist-secret', denies: (call) => call.operation.startsWith('List') });
    const read = await failure((s) => s.read('inbox/a.csv', 0), { s3AccessKey: 'READER', s3SecretKey: 'reader-secret' });
    expect(read.message).toMatch(/access key "READER" may not read "inbox\/a.csv" in bucket "settlements" \(s3:GetObject on arn:aws:s3:::settlements\/inbox\/a.csv\)/);
    const list = await failure((s) => s.check(), { s3AccessKey: 'NOLIST', s3SecretKey: 'nolist-secret' });
    expect(list.message).toMatch(/access key "NOLIST" may not list bucket "settlements" \(s3:ListBucket on arn:aws:s3:::settlements\)/);
  });

  it('sends the session token, and names it when it is refused', async () => {
    s3.keys.set('TEMPKEY', { secret: 'temp-secret', sessionToken: 'token-1' });
    const store = await open({ s3AccessKey: 'TEMPKEY', s3SecretKey: 'temp-secret', s3SessionToken: 'token-1' });
    await store.check();
    await store.close();
    const error = await failure((s) => s.check(), { s3AccessKey: 'TEMPKEY', s3SecretKey: 'temp-secret', s3SessionToken: 'token-0' });
    expect(error.message).toMatch(/s3SessionToken is malformed/);
    expect(error.message).not.toContain('token-0');
  });
});
