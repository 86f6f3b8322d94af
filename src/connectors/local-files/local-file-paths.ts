import fs from 'node:fs';
import path from 'node:path';
import { SourceConfigError } from '../source-connector.js';

/**
 * The files a `params.path` names under the connection's root: one file, every file of a folder, or a glob
 * (`*`, `?` in the last segments). Nothing outside the root is ever returned, symbolic links included.
 */
export function resolveLocalFiles(rootPath: string, requested: string): { path: string; name: string; bytes: number; modifiedAt: number }[] {
  const root = realRoot(rootPath);
  const relative = requested.replace(/^\/+/, '');
  if (relative.split(/[\\/]/).includes('..')) throw new SourceConfigError(`path "${requested}" may not contain ".."`);
  const absolute = path.resolve(root, relative);
  const files = /[*?]/.test(relative) ? globFiles(root, relative) : directOrFolder(absolute);
  const inside = files.filter((file) => {
    const real = fs.realpathSync(file);
    return real === root || real.startsWith(`${root}${path.sep}`);
  });
  if (inside.length === 0) throw new SourceConfigError(`no files match "${requested}" under the connection's root`);
  // DuckDB expands glob characters in the names it is given; a file named "x*.csv" would read its neighbours.
  const globbing = inside.find((file) => /[*?[\]{}]/.test(path.basename(file)));
  if (globbing) throw new SourceConfigError(`the file name "${path.basename(globbing)}" contains glob characters (* ? [ ] { }); rename it`);
  return inside.sort().map((file) => {
    const stat = fs.statSync(file);
    return { path: file, name: path.relative(root, file), bytes: stat.size, modifiedAt: stat.mtimeMs };
  });
}

function directOrFolder(absolute: string): string[] {
  if (!fs.existsSync(absolute)) return [];
  const stat = fs.statSync(absolute);
  if (stat.isFile()) return [absolute];
  if (!stat.isDirectory()) return [];
  return fs
    .readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => path.join(absolute, entry.name));
}

function globFiles(root: string, pattern: string): string[] {
  const segments = pattern.split('/').filter((s) => s !== '');
  let current = [root];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    const matcher = globToRegex(segment);
    current = current.flatMap((dir) => {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((entry) => matcher.test(entry.name) && !entry.name.startsWith('.') && (last ? entry.isFile() : entry.isDirectory()))
        .map((entry) => path.join(dir, entry.name));
    });
  }
  return current;
}

/** One path segment's glob (`*` any run of characters, `?` one character, never a '/') as a regular expression. */
export function globToRegex(segment: string): RegExp {
  const escaped = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

/** The root's real path; a missing root is the user's to fix, not something to retry. */
export function realRoot(rootPath: string): string {
  try {
    return fs.realpathSync(path.resolve(rootPath));
  } catch {
    throw new SourceConfigError(`the connection's root folder ${rootPath} does not exist`);
  }
}
