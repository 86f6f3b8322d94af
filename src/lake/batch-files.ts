import fs from 'node:fs';
import path from 'node:path';
import type { LakeLayout } from './lake-layout.js';

/** Where one batch lives in the lake. */
export interface BatchLocation {
  orgId: string;
  sandboxName: string;
  dataSetId: string;
  batchId: string;
}

/** A file of a batch folder, found by listing the folder. */
export interface LakeFile {
  name: string;
  /** Absolute path; built from the listing, never from a name a client sent. */
  path: string;
  bytes: number;
}

/** The diagnostic folders a batch may have under `_meta/`. */
export type BatchMetaFolder = 'row_errors' | 'input_files' | 'deletions' | 'snapshot';

/** The Parquet files holding a batch's rows (`<batch>/data/*.parquet`), sorted by name so their order is stable. */
export function batchDataFiles(layout: LakeLayout, location: BatchLocation): LakeFile[] {
  return listRegularFiles(path.join(batchDir(layout, location), 'data')).filter((f) => f.name.endsWith('.parquet'));
}

/** The files of one of a batch's diagnostic folders, e.g. its rejected rows (`_meta/row_errors/*.json`). */
export function batchMetaFiles(layout: LakeLayout, location: BatchLocation, folder: BatchMetaFolder): LakeFile[] {
  return listRegularFiles(path.join(batchDir(layout, location), '_meta', folder));
}

function batchDir(layout: LakeLayout, location: BatchLocation): string {
  return layout.batchDir(location.orgId, location.sandboxName, location.dataSetId, location.batchId);
}

/**
 * Regular files only: a symlink or folder planted in the lake must not become a way to read elsewhere.
 * A missing folder is an empty one (a batch without rejected rows has no `row_errors`).
 */
export function listRegularFiles(dir: string): LakeFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(dir, entry.name);
      return { name: entry.name, path: file, bytes: fs.statSync(file).size };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
