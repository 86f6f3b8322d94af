import fs from 'node:fs';
import path from 'node:path';
import { SourceConfigError } from '../source-connector.js';
import { realRoot } from './local-file-paths.js';

export interface FolderEntry {
  type: 'folder' | 'file';
  name: string;
  /** Relative to the connection's root, as source connections' `params.path` take it. */
  path: string;
}

/** The folders and files directly inside `folder` (relative to the root); never anything outside the root. */
export function listLocalFolder(rootPath: string, folder: string): FolderEntry[] {
  const root = realRoot(rootPath);
  const relative = folder.replace(/^\/+|\/+$/g, '');
  if (relative.split(/[\\/]/).includes('..')) throw new SourceConfigError(`path "${folder}" may not contain ".."`);
  const absolute = path.resolve(root, relative);
  const real = fs.existsSync(absolute) ? fs.realpathSync(absolute) : undefined;
  if (!real || (real !== root && !real.startsWith(`${root}${path.sep}`)) || !fs.statSync(real).isDirectory()) {
    throw new SourceConfigError(`"${folder}" is not a folder under the connection's root`);
  }
  return fs
    .readdirSync(real, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isFile()))
    .map((entry): FolderEntry => ({ type: entry.isDirectory() ? 'folder' : 'file', name: entry.name, path: relative ? `${relative}/${entry.name}` : entry.name }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
