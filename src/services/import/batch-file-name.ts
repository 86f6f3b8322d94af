import { ApiError } from '../../server/errors/api-error.js';

/** Longest file name (path) a batch takes, in characters, and longest single folder or file name, in UTF-8 bytes. */
const maxNameLength = 1024;
const maxSegmentBytes = 255;

/**
 * A batch file's name as the client wrote it, once it is known to stay inside the batch. AEP keeps the folders
 * of `filePath` ("the directory structure denoted in this path is preserved"), so `acme/2024/a.json` is a file in
 * the folder `acme/2024` of the batch; spaces, unicode and `%` are ordinary characters. What would leave the
 * batch or confuse a file system is refused: a leading `/`, `.` or `..` folders, empty folders (`a//b`), `\`,
 * NUL and other control characters. The router has decoded percent-encoding once already, so `%2F..%2F` arrives
 * here as `/../` and is refused like the plain form.
 */
export function batchFileName(raw: string): string {
  const refuse = (reason: string): never => {
    throw new ApiError('validation', `The file name ${JSON.stringify(raw.slice(0, 200))} is not allowed: ${reason}.`, {
      problems: [{ in: 'path', path: 'filePath', message: reason }],
    });
  };
  if (raw.length === 0) refuse('it is empty');
  if (raw.length > maxNameLength) refuse(`it is longer than ${maxNameLength} characters`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) refuse('it holds a control character (NUL, line break, ...)');
  if (raw.includes('\\')) refuse('it holds "\\", a folder separator on some systems');
  if (raw.startsWith('/')) refuse('it starts with "/", which would leave the batch');
  for (const segment of raw.split('/')) {
    if (segment === '') refuse('it holds an empty folder name ("//" or a trailing "/")');
    if (segment === '.' || segment === '..') refuse(`it holds a "${segment}" folder, which would leave the batch`);
    if (Buffer.byteLength(segment, 'utf8') > maxSegmentBytes) refuse(`a part of it is longer than ${maxSegmentBytes} bytes`);
  }
  return raw;
}
