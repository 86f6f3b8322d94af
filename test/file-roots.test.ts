import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRoots, parseFileRoots } from '../src/connectors/local-files/file-roots.js';
import { SourceConfigError } from '../src/connectors/source-connector.js';

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
