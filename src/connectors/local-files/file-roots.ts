import fs from 'node:fs';
import path from 'node:path';
import { SourceConfigError } from '../source-connector.js';

/**
 * Which folders Local Files connections may use as their root. Every org shares the machine, so an API client
 * must not be able to point a connection at another org's lake, the metadata database or /etc: the operator
 * lists the allowed folders, and the data directory is refused even inside one.
 */
export class FileRoots {
  constructor(private readonly allowed: readonly string[], private readonly dataDir: string) {}

  check(rootPath: string): string {
    if (this.allowed.length === 0) {
      throw new SourceConfigError('Local Files connections are off: the operator has not listed any folder in TRIBUTARY_FILE_ROOTS');
    }
    const real = realOrSelf(path.resolve(rootPath));
    const inside = (folder: string) => real === folder || real.startsWith(`${folder}${path.sep}`);
    const data = realOrSelf(path.resolve(this.dataDir));
    if (inside(data) || data.startsWith(`${real}${path.sep}`) || data === real) {
      throw new SourceConfigError(`rootPath ${rootPath} holds Tributary's own data directory, which connections may not read`);
    }
    if (!this.allowed.map(realOrSelf).some(inside)) {
      throw new SourceConfigError(`rootPath ${rootPath} is not below a folder in TRIBUTARY_FILE_ROOTS (${this.allowed.join(', ')})`);
    }
    return real;
  }
}

function realOrSelf(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return folder;
  }
}
