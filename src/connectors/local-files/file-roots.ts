import fs from 'node:fs';
import path from 'node:path';
import { SourceConfigError } from '../source-connector.js';

/** A folder Local Files connections may read below: for one IMS org, or for every org when `org` is absent. */
export interface FileRoot {
  folder: string;
  org?: string | undefined;
}

/**
 * Which folders Local Files connections may use as their root. Every org shares the machine, so an API client
 * must not be able to point a connection at another org's folder, a lake, the metadata database or /etc: the
 * operator lists the allowed folders, each for one org or for all, and the data directory is refused even
 * inside one. A refusal names only the folders the asking org may use.
 */
export class FileRoots {
  private readonly roots: FileRoot[];

  constructor(roots: readonly (string | FileRoot)[], private readonly dataDir: string) {
    this.roots = roots.map((root) => (typeof root === 'string' ? { folder: root } : root));
  }

  check(rootPath: string, orgId: string): string {
    const allowed = this.roots.filter((root) => root.org === undefined || root.org === orgId).map((root) => root.folder);
    if (allowed.length === 0) {
      throw new SourceConfigError(`Local Files connections are off for org ${orgId}: the operator has not listed a folder for it in TRIBUTARY_FILE_ROOTS`);
    }
    const real = realOrSelf(path.resolve(rootPath));
    const inside = (folder: string) => real === folder || real.startsWith(`${folder}${path.sep}`);
    const data = realOrSelf(path.resolve(this.dataDir));
    if (inside(data) || data.startsWith(`${real}${path.sep}`) || data === real) {
      throw new SourceConfigError(`rootPath ${rootPath} holds Tributary's own data directory, which connections may not read`);
    }
    if (!allowed.map(realOrSelf).some(inside)) {
      throw new SourceConfigError(`rootPath ${rootPath} is not below a folder TRIBUTARY_FILE_ROOTS gives org ${orgId} (${allowed.join(', ')})`);
    }
    return real;
  }
}

/**
 * Reads TRIBUTARY_FILE_ROOTS: entries separated by the path delimiter, each a folder for every org
 * (`/srv/shared`) or one org's (`ACME@AdobeOrg=/srv/acme`).
 */
export function parseFileRoots(value: string): FileRoot[] {
  return value
    .split(path.delimiter)
    .filter((entry) => entry.trim() !== '')
    .map((entry) => {
      const match = /^([^=/\\]+@AdobeOrg)=(.+)$/.exec(entry.trim());
      return match ? { org: match[1], folder: path.resolve(match[2] as string) } : { folder: path.resolve(entry.trim()) };
    });
}

function realOrSelf(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return folder;
  }
}
