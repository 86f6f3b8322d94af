import fs from 'node:fs';
import path from 'node:path';
import { readFiles } from '../local-files/local-files-connector.js';
import { SourceConfigError, type SourceConnector } from '../source-connector.js';

/** Not a connection spec clients see: the source of batch ingestion, the files uploaded into one batch. */
export const uploadedFilesSpecId = 'tributary-batch-upload';

/** The files a client PUT into a batch, read in the batch's input format. */
export const uploadedFilesConnector: SourceConnector = {
  async extract(request) {
    const folder = request.params.folder;
    if (typeof folder !== 'string' || !fs.existsSync(folder)) throw new SourceConfigError('the batch has no uploaded files');
    const files = fs
      .readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(folder, entry.name))
      .sort();
    if (files.length === 0) throw new SourceConfigError('the batch has no uploaded files');
    const inputFiles = files.map((file) => {
      const stat = fs.statSync(file);
      return { path: file, name: path.basename(file), bytes: stat.size, modifiedAt: stat.mtimeMs };
    });
    return readFiles(inputFiles, request.data, request.stagingDir);
  },
};
