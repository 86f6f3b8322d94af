import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteFilesConnector } from '../src/connectors/remote-files/remote-files-connector.js';
import type { RemoteEntry, RemoteFileStore } from '../src/connectors/remote-files/remote-file-store.js';
import { SourceConfigError, SourceProviderError, SourceTransientError } from '../src/connectors/source-connector.js';

/** An in-memory store whose reads can break off after some bytes or stall, to drive the core without a server. */
class MemoryStore implements RemoteFileStore {
  faults: ('drop' | 'stall' | 'refuse')[] = [];
  dropAfter = 10;
  opened = 0;
  pageSize = 2;

  constructor(readonly files: Map<string, { data: Buffer; modifiedAt: number }>) {}

  async list(folder: string, next: string | undefined) {
    const prefix = folder === '' ? '' : `${folder}/`;
    const names = new Map<string, RemoteEntry>();
    for (const [name, file] of this.files) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) names.set(prefix + rest.slice(0, slash), { type: 'folder', name: prefix + rest.slice(0, slash), bytes: 0, modifiedAt: 0 });
      else names.set(name, { type: 'file', name, bytes: file.data.length, modifiedAt: file.modifiedAt });
    }
    const all = [...names.values()];
    const start = Number(next ?? 0);
    const end = start + this.pageSize;
    return { entries: all.slice(start, end), next: end < all.length ? String(end) : undefined };
  }

  async stat(name: string) {
    const file = this.files.get(name);
    if (file) return { type: 'file' as const, name, bytes: file.data.length, modifiedAt: file.modifiedAt };
    return [...this.files.keys()].some((n) => n.startsWith(`${name}/`)) ? { type: 'folder' as const, name, bytes: 0, modifiedAt: 0 } : undefined;
  }

  async read(name: string, offset: number): Promise<Readable> {
    const file = this.files.get(name);
    if (!file) throw new SourceConfigError(`no file ${name}`);
    const rest = file.data.subarray(offset);
    const fault = this.faults.shift();
    if (fault === 'drop') {
      const part = rest.subarray(0, this.dropAfter);
      let sent = false;
      return new Readable({
        read() {
          if (sent) return;
          sent = true;
          this.push(part);
          setImmediate(() => this.destroy(new Error('connection reset')));
        },
      });
    }
    if (fault === 'stall') return new Readable({ read() {} });
    if (fault === 'refuse') throw new SourceProviderError('the store answered something it cannot use');
    return Readable.from([rest.subarray(0, 7), rest.subarray(7)]);
  }

  async check() {}
  async close() {}
}

const noWait = { sleep: async () => undefined, random: () => 0 };

describe('remote files core', () => {
  let dir: string;
  let store: MemoryStore;
  let connector: RemoteFilesConnector;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-core-'));
    store = new MemoryStore(
      new Map([
        ['a.csv', { data: Buffer.from('id,name\n1,one\n2,two\n'), modifiedAt: 1_000 }],
        ['in/b.csv', { data: Buffer.from('id,name\n3,three\n'), modifiedAt: 2_000 }],
        ['in/c.csv', { data: Buffer.from('id,name\n4,four\n'), modifiedAt: 3_000 }],
        ['in/.hidden.csv', { data: Buffer.from('x\n'), modifiedAt: 3_000 }],
        ['in/deep/d.csv', { data: Buffer.from('id,name\n5,five\n'), modifiedAt: 4_000 }],
      ]),
    );
    connector = new RemoteFilesConnector({
      label: 'Memory',
      open: async () => {
        store.opened += 1;
        return store;
      },
      fetchPolicy: { attempts: 3, stallTimeoutMs: 100, baseDelayMs: 1, maxDelayMs: 1 },
      clock: noWait,
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const extract = (p: string, state?: unknown) => connector.extract({ auth: {}, params: { path: p }, data: { format: 'delimited' }, stagingDir: dir, changedOnly: true, state });

  it('resolves a file, a folder (files only, no hidden ones, across pages) and a glob', async () => {
    expect((await extract('a.csv')).inputFiles.map((f) => f.name)).toEqual(['a.csv']);
    expect((await extract('/in/')).inputFiles.map((f) => f.name)).toEqual(['in/b.csv', 'in/c.csv']);
    expect((await extract('*/*/*.csv')).inputFiles.map((f) => f.name)).toEqual(['in/deep/d.csv']);
    expect((await extract('in/?.csv')).inputFiles.map((f) => f.name)).toEqual(['in/b.csv', 'in/c.csv']);
    await expect(extract('nothing/*.csv')).rejects.toThrow(/no files match "nothing\/\*.csv"/);
    await expect(extract('../etc')).rejects.toBeInstanceOf(SourceConfigError);
  });

  it('stages copies with the remote size and time, and reads only changed files next time', async () => {
    const first = await extract('in');
    const staged = first.inputFiles[0];
    expect(fs.readFileSync(staged?.path as string, 'utf8')).toBe('id,name\n3,three\n');
    expect(fs.statSync(staged?.path as string).mtimeMs).toBe(2_000);
    expect(staged?.modifiedAt).toBe(2_000);
    expect(first.relation).toContain('read_csv');
    const unchanged = await extract('in', first.state);
    expect(unchanged.relation).toBeNull();
    store.files.set('in/c.csv', { data: Buffer.from('id,name\n4,four\n6,six\n'), modifiedAt: 5_000 });
    const second = await extract('in', unchanged.state);
    expect(second.inputFiles.map((f) => f.name)).toEqual(['in/c.csv']);
  });

  it('resumes a dropped or stalled read from the byte it reached, with a fresh store', async () => {
    store.faults = ['drop', 'stall'];
    const extracted = await extract('a.csv');
    expect(fs.readFileSync(extracted.inputFiles[0]?.path as string, 'utf8')).toBe('id,name\n1,one\n2,two\n');
    expect(extracted.metrics?.[0]).toMatchObject({ retries: 2, resumed: 2, stalls: 1 });
    expect(store.opened).toBe(3);
  });

  it('gives up after its tries, saying where and why', async () => {
    store.dropAfter = 3;
    store.faults = ['drop', 'drop', 'drop'];
    const dropped = await extract('a.csv').catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(SourceTransientError);
    expect((dropped as Error).message).toMatch(/^reading Memory file "a.csv" stopped after 3 tries, at byte 9 of 20: the connection broke off \(connection reset\)/);
    store.faults = ['stall', 'stall', 'stall'];
    const stalled = await extract('a.csv').catch((error: unknown) => error);
    expect((stalled as Error).message).toMatch(/stopped after 3 tries, at byte 0 of 20: no data came for 100 ms/);
  });

  it('fails at once on an answer the store classed, without trying again', async () => {
    store.faults = ['refuse', 'refuse', 'refuse'];
    const refused = await extract('a.csv').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SourceProviderError);
    expect((refused as Error).message).toBe('the store answered something it cannot use');
    // One try: the other two faults are still queued.
    expect(store.faults).toEqual(['refuse', 'refuse']);
  });

  it('stops a listing at its bound, saying where', async () => {
    const bounded = new RemoteFilesConnector({ label: 'Memory', open: async () => store, maxListedEntries: 3, clock: noWait });
    await expect(bounded.extract({ auth: {}, params: { path: '*/*.csv' }, data: { format: 'delimited' }, stagingDir: dir })).rejects.toThrow(
      /^listing stopped at 3 entries \(reached in "in"\): point params.path at a smaller folder or a narrower glob$/,
    );
  });

  it('describes a large plain file from its first whole lines only', async () => {
    const small = new RemoteFilesConnector({ label: 'Memory', open: async () => store, previewBytes: 12, clock: noWait });
    const described = await small.describe({}, { objectType: 'file', object: 'a.csv', preview: true }, dir);
    expect(described.kind).toBe('relation');
    expect(fs.readFileSync(path.join(dir, '00000-a.csv'), 'utf8')).toBe('id,name\n');
  });

  it('explores folders and describes a file as a relation over its fetched copy', async () => {
    expect(await connector.list({}, { objectType: 'root', object: '' })).toEqual([
      { type: 'file', name: 'a.csv', path: 'a.csv', canPreview: true, canFetchSchema: true },
      { type: 'folder', name: 'in', path: 'in', canPreview: false, canFetchSchema: false },
    ]);
    await expect(connector.list({}, { objectType: 'folder', object: 'missing' })).rejects.toThrow(/"missing" is not a folder/);
    const described = await connector.describe({}, { objectType: 'file', object: 'in/b.csv', preview: true }, dir);
    expect(described).toEqual({ kind: 'relation', relation: expect.stringContaining('00000-b.csv') });
  });
});
