import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRoots, parseFileRoots } from '../src/connectors/local-files/file-roots.js';
import { SourceConfigError } from '../src/connectors/source-connector.js';
import { availableBackends } from './support/backends.js';
import { localFilesSpec } from './support/file-flow.js';
import { startApi, str, type TestApi } from './support/test-api.js';

describe('the folders Local Files connections may read', () => {
  const dataDir = path.join(os.tmpdir(), 'tributary-data-for-roots');
  const org = 'ACME@AdobeOrg';

  it('refuses every root when the operator listed none', () => {
    expect(() => new FileRoots([], dataDir).check('/srv/exports', org)).toThrow(/off for org ACME@AdobeOrg.*TRIBUTARY_FILE_ROOTS/);
  });

  it('accepts folders below a listed root and refuses others, the data directory and its parents', () => {
    const roots = new FileRoots(['/srv/exports', os.tmpdir()], dataDir);
    expect(roots.check('/srv/exports/paypal', org)).toBe('/srv/exports/paypal');
    expect(() => roots.check('/srv/other', org)).toThrow(SourceConfigError);
    expect(() => roots.check('/srv/exports/../../etc', org)).toThrow(SourceConfigError);
    expect(() => roots.check(dataDir, org)).toThrow(/data directory/);
    expect(() => roots.check(path.join(dataDir, 'lake'), org)).toThrow(/data directory/);
    expect(() => roots.check(os.tmpdir(), org)).toThrow(/data directory/);
  });

  it('gives a folder to one org only when the operator says so, and names to an org only its own folders', () => {
    const roots = new FileRoots(parseFileRoots(['ACME@AdobeOrg=/srv/acme', 'OTHER@AdobeOrg=/srv/other', '/srv/shared'].join(path.delimiter)), dataDir);
    expect(roots.check('/srv/acme/exports', 'ACME@AdobeOrg')).toBe('/srv/acme/exports');
    expect(roots.check('/srv/shared/x', 'OTHER@AdobeOrg')).toBe('/srv/shared/x');
    let refusal = '';
    try {
      roots.check('/srv/acme/exports', 'OTHER@AdobeOrg');
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toBe('rootPath /srv/acme/exports is not below a folder TRIBUTARY_FILE_ROOTS gives org OTHER@AdobeOrg (/srv/other, /srv/shared)');
    // An org with no folder of its own and no shared folder has Local Files off.
    expect(() => new FileRoots(parseFileRoots('ACME@AdobeOrg=/srv/acme'), dataDir).check('/srv/acme', 'OTHER@AdobeOrg')).toThrow(/off for org OTHER@AdobeOrg/);
  });

  it('reads TRIBUTARY_FILE_ROOTS entries for every org and for one', () => {
    expect(parseFileRoots(['/srv/shared', 'ACME@AdobeOrg=/srv/acme', '', 'relative'].join(path.delimiter))).toEqual([
      { folder: '/srv/shared' },
      { org: 'ACME@AdobeOrg', folder: '/srv/acme' },
      { folder: path.resolve('relative') },
    ]);
    // A folder whose name holds "=" is a folder, not an org's entry.
    expect(parseFileRoots('/srv/a=b')).toEqual([{ folder: '/srv/a=b' }]);
  });
});

const backends = await availableBackends();

describe.each(backends)('folders given to one org on $name', (backend) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'roots-per-org-'));
  const acme = path.join(base, 'acme');
  const other = path.join(base, 'other');
  let api: TestApi;
  beforeAll(async () => {
    for (const folder of [acme, other]) fs.mkdirSync(folder);
    fs.writeFileSync(path.join(acme, 'secret.csv'), 'id\n1\n');
    fs.writeFileSync(path.join(other, 'mine.csv'), 'id\n2\n');
    api = await startApi(backend, { org: 'OTHER@AdobeOrg', fileRoots: [{ org: 'ACME@AdobeOrg', folder: acme }, { org: 'OTHER@AdobeOrg', folder: other }] });
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(base, { recursive: true, force: true });
  });
  const connect = (rootPath: string) =>
    api.request('POST', '/data/foundation/flowservice/connections', {
      body: { name: 'files', auth: { specName: 'Local Directory', params: { rootPath } }, connectionSpec: { id: localFilesSpec, version: '1.0' } },
    });

  it("refuses a connection on another org's folder, naming only the asking org's own", async () => {
    const refused = await connect(acme);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('/auth/params/rootPath');
    expect(refused.text).toContain(other);
    expect(refused.text).not.toContain(`(${acme}`);
    const own = await connect(other);
    expect(own.status).toBe(201);
    const explored = await api.request('GET', `/data/foundation/flowservice/connections/${str(own.json, 'id')}/explore?objectType=root`);
    expect(explored.status).toBe(200);
    expect(JSON.stringify(explored.json)).toContain('mine.csv');
    expect(api.contractViolations).toEqual([]);
  });
});
