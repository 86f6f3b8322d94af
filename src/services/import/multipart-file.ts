import { Readable } from 'node:stream';
import { ApiError } from '../../server/errors/api-error.js';

/** A part's headers larger than this are not a form a client sends. */
const maxHeaderBytes = 16 * 1024;

/**
 * The bytes of the `file` field of a `multipart/form-data` body, streamed: the form is never held whole. Adobe's
 * Batch Ingestion spec and Postman collection send file chunks this way; its docs send the bytes bare.
 */
export function multipartFile(body: NodeJS.ReadableStream, contentType: string): Readable {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new ApiError('unsupportedContentType', 'A multipart/form-data body needs a boundary in its Content-Type.');
  return Readable.from(fileField(body as AsyncIterable<Buffer>, boundary));
}

async function* fileField(body: AsyncIterable<Buffer | string>, boundary: string): AsyncGenerator<Buffer> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may open the body without the CRLF before it.
  let buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'file' | 'other' | 'done' = 'preamble';
  for await (const chunk of body) {
    buffer = Buffer.concat([buffer, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    for (;;) {
      if (state === 'done') break;
      if (state === 'headers') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buffer.length > maxHeaderBytes) throw invalid('a part has headers that never end');
          break;
        }
        const headers = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 4);
        state = /content-disposition:[^\r\n]*\bname="?file"?(?:;|\s|$)/i.test(headers) ? 'file' : 'other';
        continue;
      }
      const at = buffer.indexOf(delimiter);
      if (at < 0) {
        // Keep what could be the start of a delimiter; pass the rest on.
        const keep = Math.min(buffer.length, delimiter.length - 1);
        if (state === 'file' && buffer.length > keep) yield buffer.subarray(0, buffer.length - keep);
        buffer = buffer.subarray(buffer.length - keep);
        break;
      }
      if (state === 'file') {
        if (at > 0) yield buffer.subarray(0, at);
        state = 'done';
        break;
      }
      buffer = buffer.subarray(at + delimiter.length);
      if (buffer.length < 2) {
        state = 'preamble';
        buffer = Buffer.concat([delimiter, buffer]);
        break;
      }
      if (buffer.subarray(0, 2).toString() === '--') {
        state = 'done';
        break;
      }
      buffer = buffer.subarray(2);
      state = 'headers';
    }
  }
  if (state !== 'done') throw invalid('the form has no complete "file" field');
}

function invalid(reason: string): ApiError {
  return new ApiError('validation', `The multipart body cannot be read: ${reason}.`, { problems: [{ in: 'body', path: '/file', message: reason }] });
}
