import { globToRegex } from '../local-files/local-file-paths.js';
import { SourceConfigError, SourceProviderError } from '../source-connector.js';
import type { RemoteEntry, RemoteFileStore } from './remote-file-store.js';

/** How many entries one listing may walk through (all its pages, all the folders a glob visits) before it stops. */
export const defaultMaxListedEntries = 100_000;

/**
 * The files a `params.path` names below the connection's root, as Local Files reads it: one file, every file of a
 * folder (not its subfolders), or a glob (`*`, `?` in any segment; folders in all but the last). Hidden files
 * (a leading '.') are left out of folders and globs, as locally. Sorted by name.
 */
export async function resolveRemoteFiles(store: RemoteFileStore, requested: string, maxListed = defaultMaxListedEntries): Promise<RemoteEntry[]> {
  const relative = normalise(requested);
  const budget = new ListingBudget(maxListed);
  let files: RemoteEntry[];
  if (/[*?]/.test(relative)) {
    files = await globFiles(store, relative, budget);
  } else {
    const entry = relative === '' ? { type: 'folder' as const, name: '', bytes: 0, modifiedAt: 0 } : await store.stat(relative);
    if (entry?.type === 'file') files = [entry];
    else if (entry?.type === 'folder') files = (await listFolder(store, relative, budget)).filter((e) => e.type === 'file' && !hidden(e.name));
    else files = [];
  }
  if (files.length === 0) throw new SourceConfigError(`no files match "${requested}" under the connection's root; check params.path (explore the connection to see its folders)`);
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Everything directly in `folder`, all pages, within the listing's bound. */
export async function listFolder(store: RemoteFileStore, folder: string, budget = new ListingBudget(defaultMaxListedEntries)): Promise<RemoteEntry[]> {
  const entries: RemoteEntry[] = [];
  let next: string | undefined;
  do {
    const page = await store.list(folder, next);
    budget.spend(page.entries.length, folder);
    entries.push(...page.entries);
    if (page.next !== undefined && page.next === next) throw new SourceProviderError(`listing "${folder || '/'}" returned the same page twice; the store's paging loops`);
    next = page.next;
  } while (next !== undefined);
  return entries;
}

/** A leading '/' is the root; ".." is refused (the store's root is as far up as a path may go). */
export function normalise(requested: string): string {
  const relative = requested.replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/');
  if (relative.split('/').includes('..')) throw new SourceConfigError(`path "${requested}" may not contain ".."`);
  return relative;
}

async function globFiles(store: RemoteFileStore, pattern: string, budget: ListingBudget): Promise<RemoteEntry[]> {
  const segments = pattern.split('/');
  let folders = [''];
  let matched: RemoteEntry[] = [];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    const matcher = globToRegex(segment);
    matched = [];
    for (const folder of folders) {
      const inside = /[*?]/.test(segment) ? await listFolder(store, folder, budget) : await exact(store, join(folder, segment));
      matched.push(...inside.filter((e) => matcher.test(baseName(e.name)) && !hidden(e.name) && e.type === (last ? 'file' : 'folder')));
    }
    folders = matched.map((e) => e.name);
  }
  return matched;
}

/** A segment without glob characters names one entry: asked for directly instead of listing its folder. */
async function exact(store: RemoteFileStore, name: string): Promise<RemoteEntry[]> {
  const entry = await store.stat(name);
  return entry ? [entry] : [];
}

/** Counts listed entries across a whole resolution, and stops it with the reason at the bound. */
export class ListingBudget {
  private used = 0;

  constructor(private readonly max: number) {}

  spend(count: number, folder: string): void {
    this.used += count;
    if (this.used > this.max) {
      throw new SourceConfigError(`listing stopped at ${this.max} entries (reached in "${folder || '/'}"): point params.path at a smaller folder or a narrower glob`);
    }
  }
}

export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function join(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

function hidden(name: string): boolean {
  return baseName(name).startsWith('.');
}
