import type { InputFile } from '../source-connector.js';

/** What tells a file apart from its earlier self: its size and modification time (ms), as the run read it. */
interface FileMark {
  bytes: number;
  modifiedAt: number;
}

/**
 * The Local Files connector's incremental state: every file the flow's source matched at its last successful
 * run, by absolute path. The engine commits it with that run's batch, so a run that fails leaves it as it was.
 * Files that left the folder leave the state too, so it never holds more than one folder listing.
 */
export interface LocalFilesState {
  version: 1;
  files: Record<string, FileMark>;
}

/** The stored state, or an empty one for a flow that has none yet (or holds another connector's). */
export function readLocalFilesState(value: unknown): LocalFilesState {
  const files: Record<string, FileMark> = {};
  if (!isObject(value) || value.version !== 1 || !isObject(value.files)) return { version: 1, files };
  for (const [name, mark] of Object.entries(value.files)) {
    if (isObject(mark) && typeof mark.bytes === 'number' && typeof mark.modifiedAt === 'number') files[name] = { bytes: mark.bytes, modifiedAt: mark.modifiedAt };
  }
  return { version: 1, files };
}

/**
 * The files that are new or changed since `state`: a file whose size or modification time differs is read whole
 * again, since nothing says which of its rows changed.
 */
export function changedFiles(files: InputFile[], state: LocalFilesState): InputFile[] {
  return files.filter((file) => {
    const seen = state.files[file.path];
    return !seen || seen.bytes !== file.bytes || seen.modifiedAt !== file.modifiedAt;
  });
}

/** The state after a run that saw `files`: each one as it was when listed (the engine checks it still is at commit). */
export function localFilesState(files: InputFile[]): LocalFilesState {
  const marks: Record<string, FileMark> = {};
  for (const file of files) if (file.modifiedAt !== undefined) marks[file.path] = { bytes: file.bytes, modifiedAt: file.modifiedAt };
  return { version: 1, files: marks };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
