import { Type, type Static, type TSchema } from 'typebox';
import type { DocumentedAnswer } from '../../server/api-reference/error-answers.js';

const Href = Type.Object({ href: Type.String() });
const Page = Type.Object({ limit: Type.Integer(), count: Type.Integer() });

export const ListQuery = Type.Object({
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'Offset of the first entry.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Entries per page (default 100).' })),
});
export type ListQuery = Static<typeof ListQuery>;

export const FileQuery = Type.Object({
  path: Type.Optional(Type.String({ minLength: 1, description: 'The name of a file listed for this id: download it.' })),
  start: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type FileQuery = Static<typeof FileQuery>;

export const MetaQuery = Type.Object({
  path: Type.String({ minLength: 1, description: '`row_errors` or `input_files` lists that folder; `row_errors/<name>` downloads one file.' }),
  start: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type MetaQuery = Static<typeof MetaQuery>;

/** `GET /export/batches/{id}/files`: the dataset files of a batch (times are epoch-ms strings, as AEP sends them). */
export const BatchFileList = Type.Object({
  data: Type.Array(
    Type.Object({
      dataSetFileId: Type.String(),
      dataSetViewId: Type.String(),
      version: Type.String(),
      created: Type.String(),
      updated: Type.String(),
      isValid: Type.Boolean(),
      _links: Type.Object({ self: Href }),
    }),
  ),
  _page: Page,
  _links: Type.Optional(Type.Object({ next: Type.Optional(Href) })),
});
export type BatchFileList = Static<typeof BatchFileList>;

/** `GET /export/files/{id}` and `GET /export/batches/{id}/meta?path=<folder>`: files to download (length in bytes, as a string). */
export const FileEntryList = Type.Object({
  data: Type.Array(Type.Object({ name: Type.String(), length: Type.String(), _links: Type.Object({ self: Href }) })),
  _page: Page,
  _links: Type.Optional(Type.Object({ next: Type.Optional(Href) })),
});
export type FileEntryList = Static<typeof FileEntryList>;

/** The bytes of a file, as a download sends them. */
const Download = Type.String({ format: 'binary' });

const downloadHeaders = {
  'content-disposition': Type.String({ description: 'attachment; filename="<the file\'s name>"' }),
  'accept-ranges': Type.Literal('bytes'),
};

/** An answer that lists files as JSON, or, with `path`, downloads one of them. */
export function listingOrDownload(listing: TSchema): DocumentedAnswer & { headers: Record<string, TSchema> } {
  return {
    description: 'Without a file in `path`: the files, as JSON. With one: its bytes, as application/octet-stream (a Range header that is not a single satisfiable byte range is ignored)',
    content: { 'application/json': { schema: listing }, 'application/octet-stream': { schema: Download } },
    headers: downloadHeaders,
  };
}

/** A download asked for with `Range: bytes=a-b` (or `a-`, `-n`): that slice of the file. */
export const PartialDownload: DocumentedAnswer & { headers: Record<string, TSchema> } = {
  description: 'The byte range asked for in Range',
  content: { 'application/octet-stream': { schema: Download } },
  headers: { ...downloadHeaders, 'content-range': Type.String({ description: 'bytes <first>-<last>/<size>' }) },
};
