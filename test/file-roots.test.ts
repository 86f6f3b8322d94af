import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRoots } from '../src/connectors/local-files/file-roots.js';
import { SourceConfigError } from '../src/connectors/source-connector.js';

describe('the folders Local Files connections may read', () => {
  const dataDir = path.join(os.tmpdir(), 'tributary-data-for-roots');

  it('refuses every root when the operator listed none', () => {
    expect(() => new FileRoots([], dataDir).check('/srv/exports')).toThrow(/TRIBUTARY_FILE_ROOTS/);
  });

  it('accepts folders below a listed root and refuses others, the data directory and its parents', () => {
    const roots = new FileRoots(['/srv/exports', os.tmpdir()], dataDir);
    expect(roots.check('/srv/exports/paypal')).toBe('/srv/exports/paypal');
    expect(() => roots.check('/srv/other')).toThrow(SourceConfigError);
    expect(() => roots.check('/srv/exports/../../etc')).toThrow(SourceConfigError);
    expect(() => roots.check(dataDir)).toThrow(/data directory/);
    expect(() => roots.check(path.join(dataDir, 'lake'))).toThrow(/data directory/);
    expect(() => roots.check(os.tmpdir())).toThrow(/data directory/);
  });
});
