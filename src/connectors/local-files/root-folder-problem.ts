import fs from 'node:fs';

/**
 * Why a Local Files connection's root folder cannot be read, or undefined when it can: it exists, it is a folder,
 * and the server's user may list it. The allowed-roots check says where a connection may point; this says whether
 * anything is there.
 */
export function rootFolderProblem(folder: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    return `rootPath ${folder} does not exist`;
  }
  if (!stat.isDirectory()) return `rootPath ${folder} is a file, not a folder`;
  try {
    fs.accessSync(folder, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return `rootPath ${folder} cannot be read by the user the server runs as`;
  }
  return undefined;
}
