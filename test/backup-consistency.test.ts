import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError } from '../src/backup/backup-error.js';
import { createBackup } from '../src/backup/create-backup.js';
import { restoreBackup } from '../src/backup/restore-backup.js';
import { TarWriter } from '../src/backup/tar-writer.js';
import { LakeLayout } from '../src/lake/lake-layout.js';
import { MasterKey } from '../src/secrets/master-key.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { availableBackends } from './support/backends.js';
import { catalog, ingestRecords, profileDataSet } from './support/catalog-fixture.js';
import { startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();

/** Every table's rows, in key order, without run leases (which a backup leaves out on purpose). */
async function allRows(store: Store): Promise<Record<string, unknown[]>> {
  const resources = await store.db.selectFrom('resources').selectAll().where('kind', '<>', 'engine.runLease').orderBy('kind').orderBy('id').execute();
  return {
    orgs: await store.db.selectFrom('orgs').selectAll().orderBy('id').execute(),
    api_clients: await store.db.selectFrom('api_clients').selectAll().orderBy('client_id').execute(),
    sandboxes: await store.db.selectFrom('sandboxes').selectAll().orderBy('id').execute(),
    resources,
    registry_audit_log: await store.db.selectFrom('registry_audit_log').selectAll().orderBy('id').execute(),
    flow_last_runs: await store.db.selectFrom('flow_last_runs').selectAll().orderBy('flow_id').execute(),
  };
}

describe.each(backends)('a backup taken while batches are deleted, from $name', (backend) => {
  let api: TestApi;
  let folder: string;
  let dataSetId: string;
  const batches: string[] = [];
  const lakeFolder = (batchId: string) => path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', dataSetId, batchId);
  const backup = (output: string, afterSnapshot?: () => Promise<void>) =>
    createBackup({ store: api.store, layout: new LakeLayout(api.dataDir), masterKey: api.masterKey, includeKey: false, output, now: Date.now, afterSnapshot });
  const deleteBatch = async (batchId: string) => expect((await api.request('DELETE', `${catalog}/batches/${batchId}`)).status).toBe(200);

  beforeAll(async () => {
    api = await startApi(backend);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-backup-'));
    ({ dataSetId } = await profileDataSet(api, 'Orders'));
    for (const id of ['A', 'B', 'C', 'D', 'E']) batches.push(await ingestRecords(api, dataSetId, [{ _id: `${id}1` }, { _id: `${id}2` }]));
    // A sealed credential, so that restoring needs the key.
    expect((await api.request('POST', '/data/foundation/flowservice/connections', { body: tutorial.paypalBaseConnection })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('reads a new snapshot when a batch it saw is deleted before its files are copied, and restores exactly that', async () => {
    const [first] = batches as [string];
    const output = path.join(folder, 'deleted-meanwhile.tar');
    let calls = 0;
    const summary = await backup(output, async () => {
      calls += 1;
      if (calls === 1) await deleteBatch(first);
    });
    expect(fs.existsSync(lakeFolder(first))).toBe(false);
    expect(summary).toMatchObject({ snapshots: 2, batches: 4, sealedSecrets: 1, keyIncluded: false });
    expect(fs.statSync(output).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(folder), 'no temporary file or folder is left beside the archive').toEqual(['deleted-meanwhile.tar']);

    const restored = path.join(folder, 'restored');
    const result = await restoreBackup({ archive: output, dataDir: restored, force: false, keyFile: MasterKey.fromKeyFile(api.masterKey.toKeyFile(), 'test key') });
    expect(result).toMatchObject({ backend: 'sqlite', batches: 4, key: 'key file' });
    const store = await openStore({ dataDir: restored });
    try {
      // The live store has not changed since the second snapshot: the restored one holds the same rows.
      expect(await allRows(store)).toEqual(await allRows(api.store));
      const status = await store.db.selectFrom('resources').select('body').where('kind', '=', 'catalog.batch').where('id', '=', first).executeTakeFirstOrThrow();
      expect(JSON.parse(status.body)).toMatchObject({ status: 'deleted' });
    } finally {
      await store.close();
    }
    const restoredBatches = fs.readdirSync(path.join(restored, 'lake', api.credentials.ims_org, 'prod', dataSetId)).sort();
    expect(restoredBatches).toEqual(batches.slice(1).sort());
    for (const batchId of batches.slice(1)) {
      const files = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();
      expect(files(path.join(restored, 'lake', api.credentials.ims_org, 'prod', dataSetId, batchId))).toEqual(files(lakeFolder(batchId)));
    }
    expect(fs.readFileSync(path.join(restored, 'secret.key'), 'utf8').trim()).toBe(api.masterKey.toKeyFile());
    expect(fs.statSync(path.join(restored, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('gives up after three snapshots that each lose a batch, and leaves no archive behind', async () => {
    const output = path.join(folder, 'never.tar');
    // Batches come and go all the time: each snapshot holds one that was not there before, deleted before its copy.
    let doomed = batches[1] as string;
    let calls = 0;
    const attempt = backup(output, async () => {
      calls += 1;
      await deleteBatch(doomed);
      doomed = await ingestRecords(api, dataSetId, [{ _id: `N${calls}` }]);
    });
    await expect(attempt).rejects.toThrow(BackupError);
    await expect(attempt).rejects.toThrow(/deleted while their files were being copied in each of 3 snapshots/);
    expect(calls).toBe(3);
    expect(fs.existsSync(output)).toBe(false);
    expect(fs.readdirSync(folder).filter((name) => name !== 'deleted-meanwhile.tar' && name !== 'restored')).toEqual([]);
  });

  it('refuses to restore sealed secrets without their key, or with another key', async () => {
    const output = path.join(folder, 'keys.tar');
    await backup(output);
    const target = path.join(folder, 'keys');
    await expect(restoreBackup({ archive: output, dataDir: target, force: false })).rejects.toThrow(/1 sealed connection secret\(s\), and not the master key.*--key-file/);
    expect(fs.existsSync(target), 'a refused restore leaves no directory').toBe(false);
    await expect(restoreBackup({ archive: output, dataDir: target, force: false, environmentKey: MasterKey.fromSecret('another key') })).rejects.toThrow(/TRIBUTARY_SECRET_KEY is not the master key the archive's secrets were sealed with/);
    expect(fs.existsSync(target)).toBe(false);

    // With --include-key the archive restores on its own.
    const withKey = path.join(folder, 'with-key.tar');
    const summary = await createBackup({ store: api.store, layout: new LakeLayout(api.dataDir), masterKey: api.masterKey, includeKey: true, output: withKey, now: Date.now });
    expect(summary.keyIncluded).toBe(true);
    expect(await restoreBackup({ archive: withKey, dataDir: target, force: false })).toMatchObject({ key: 'archive' });
    expect(MasterKey.loadOrCreate(target).fingerprint()).toBe(api.masterKey.fingerprint());
  });
});

describe('restoring a damaged archive', () => {
  let api: TestApi;
  let folder: string;
  let archive: string;
  let key: MasterKey;

  beforeAll(async () => {
    const [sqlite] = backends;
    if (!sqlite) throw new Error('no backend');
    api = await startApi(sqlite);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-damaged-'));
    const { dataSetId } = await profileDataSet(api, 'Damaged');
    await ingestRecords(api, dataSetId, [{ _id: 'X1' }]);
    archive = path.join(folder, 'good.tar');
    key = api.masterKey;
    await createBackup({ store: api.store, layout: new LakeLayout(api.dataDir), masterKey: key, includeKey: false, output: archive, now: Date.now });
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const restoreInto = (file: string, target: string) => restoreBackup({ archive: file, dataDir: target, force: false });
  const variant = (name: string, bytes: Buffer) => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('says a truncated archive is truncated, and creates nothing', async () => {
    const whole = fs.readFileSync(archive);
    for (const cut of [whole.length - 1024, Math.floor(whole.length / 2), 700]) {
      const target = path.join(folder, `truncated-${cut}`);
      await expect(restoreInto(variant(`cut-${cut}.tar`, whole.subarray(0, cut)), target)).rejects.toThrow(/not a complete backup archive: .*(truncated|cut short)|has no manifest/);
      expect(fs.existsSync(target)).toBe(false);
    }
  });

  it('finds a changed byte in a lake file by its checksum', async () => {
    const bytes = Buffer.from(fs.readFileSync(archive));
    const marker = bytes.indexOf('PAR1');
    expect(marker).toBeGreaterThan(0);
    bytes[marker + 4] = (bytes[marker + 4] ?? 0) ^ 0xff;
    const target = path.join(folder, 'flipped');
    await expect(restoreInto(variant('flipped.tar', bytes), target)).rejects.toThrow(/lake\/.*\.parquet in .* does not match its checksum in the manifest/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses an entry that would land outside the data directory, and a file that is no tar at all', async () => {
    const crafted = path.join(folder, 'escape.tar');
    const writer = await TarWriter.create(crafted);
    await writer.addBuffer('lake/../../../escaped.txt', Buffer.from('x'), Date.now());
    await writer.finish();
    const target = path.join(folder, 'escape');
    await expect(restoreInto(crafted, target)).rejects.toThrow(/holds "lake\/\.\.\/\.\.\/\.\.\/escaped\.txt", which no Tributary backup has/);
    expect(fs.existsSync(path.join(folder, 'escaped.txt'))).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
    await expect(restoreInto(variant('text.tar', Buffer.from('not an archive\n'.repeat(100))), target)).rejects.toThrow(/not a complete backup archive: the header at byte 0 has a wrong checksum/);
  });

  it('refuses a directory that holds something, unless --force, which replaces it once the archive is checked', async () => {
    const target = path.join(folder, 'occupied');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'notes.txt'), 'mine');
    await expect(restoreInto(archive, target)).rejects.toThrow(/is not empty \(notes\.txt\); restore into a new or empty directory, or give --force/);
    const flipped = path.join(folder, 'flipped.tar');
    await expect(restoreBackup({ archive: flipped, dataDir: target, force: true })).rejects.toThrow(/checksum/);
    expect(fs.readdirSync(target), 'a damaged archive leaves the directory as it was, even with --force').toEqual(['notes.txt']);
    await restoreBackup({ archive, dataDir: target, force: true, keyFile: key });
    expect(fs.readdirSync(target).sort()).toEqual(['lake', 'metadata.sqlite', 'secret.key']);
  });

  it('writes an archive other tar tools read', async () => {
    const { execFileSync } = await import('node:child_process');
    const listing = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listing[listing.length - 1]).toBe('manifest.json');
    expect(listing).toContain('metadata/resources.jsonl');
    expect(listing.some((name) => /^lake\/TESTORG@AdobeOrg\/prod\/[0-9a-f]{24}\/[^/]+\/data\/.+\.parquet$/.test(name))).toBe(true);
    expect(str(JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' })), 'format')).toBe('tributary-backup');
  });
});
