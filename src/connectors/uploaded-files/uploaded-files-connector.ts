import fs from 'node:fs';
import { readFiles } from '../local-files/local-files-connector.js';
import { SourceConfigError, type InputFile, type SourceConnector } from '../source-connector.js';

/** Not a connection spec clients see: the source of batch ingestion, the files uploaded into one batch. */
export const uploadedFilesSpecId = 'tributary-batch-upload';

/**
 * The files a client PUT into a batch, read in the batch's input format. `params.files` lists them as
 * `{path, name}`: where the bytes are, and the name the client gave the file, which the batch's input manifest
 * shows (a name is never used as a path).
 */
export const uploadedFilesConnector: SourceConnector = {
  async extract(request) {
    const listed = Array.isArray(request.params.files) ? (request.params.files as unknown[]) : [];
    const inputFiles: InputFile[] = [];
    for (const entry of listed) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { path: file, name } = entry as { path?: unknown; name?: unknown };
      if (typeof file !== 'string' || typeof name !== 'string') continue;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) throw new SourceConfigError(`the uploaded file ${name} is gone`);
      inputFiles.push({ path: file, name, bytes: stat.size, modifiedAt: stat.mtimeMs });
    }
    if (inputFiles.length === 0) throw new SourceConfigError('the batch has no uploaded files');
    return readFiles(inputFiles, request.data, request.stagingDir);
  },
};
