import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { uncommittedStatuses } from '../../engine/batch-document.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError } from '../../server/errors/api-error.js';
import { headerValue } from '../../server/request-parts.js';
import type { ServiceDeps } from '../service-deps.js';
import { batchFileName } from './batch-file-name.js';
import { ChunkHeaders, DataSetParams, FileActionQuery, FileBytes, FileParams, FileStatusAnswer, PreviewAnswer, noBody } from './batch-ingestion.schema.js';
import { previewBatchFiles, PreviewQuery } from './batch-preview.js';
import { BatchUploadFolder } from './batch-upload-folder.js';
import { completeFile, fileStatus, initializeFile, parseContentRange, writeChunk } from './chunked-upload.js';
import type { ImportedBatches } from './imported-batches.js';
import { multipartFile } from './multipart-file.js';

const base = '/data/foundation/import';
const tags = ['import'];
// The file path is a wildcard: AEP keeps folders in it (`acme/2024/a.json`), sent with or without encoded slashes.
const filePath = `${base}/batches/:batchId/datasets/:datasetId/files/*`;
/** What a file request can be refused for: no such batch; another dataset, a batch no longer loading, a bad name. */
const fileErrors = errorAnswers('notFound', 'validation');
/** Bytes are taken as `application/octet-stream` (or a multipart form); another body is refused. */
const upload = { consumes: ['application/octet-stream'], body: FileBytes };

/** The files of a batch: PUT a small file, or INITIALIZE, PATCH chunks, COMPLETE a large one; HEAD its status; preview. */
export function registerBatchFileRoutes(app: FastifyInstance, deps: ServiceDeps & { layout: LakeLayout; batches: ImportedBatches }): void {
  /** The batch's upload folder and the file's name, once the batch, its dataset and the name check out. */
  const target = async (request: FastifyRequest, params: Static<typeof FileParams>, writing: boolean): Promise<{ folder: BatchUploadFolder; name: string }> => {
    const batch = await deps.batches.load(request.ctx.scope, params.batchId);
    if (deps.batches.dataSetOf(batch) !== params.datasetId) {
      throw new ApiError('validation', `batch ${batch.id} belongs to another dataset`, { problems: [{ in: 'path', path: 'datasetId', message: "not this batch's dataset" }] });
    }
    if (writing && !uncommittedStatuses.includes(String(batch.body.status))) {
      throw new ApiError('validation', `batch ${batch.id} is ${String(batch.body.status)}; files can only be added while it is loading`, { problems: [{ in: 'path', path: 'batchId', message: 'not loading' }] });
    }
    return { folder: new BatchUploadFolder(deps.layout.uploadDir(batch.id)), name: batchFileName(params['*']) };
  };
  const streamedBody = (request: FastifyRequest): NodeJS.ReadableStream => {
    const body = request.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') {
      throw new ApiError('unsupportedContentType', 'Upload the file as the request body with Content-Type: application/octet-stream.');
    }
    // Postman's collection sends a chunk as a multipart form whose `file` field holds the bytes.
    return /^multipart\/form-data/i.test(request.headers['content-type'] ?? '') ? multipartFile(body, request.headers['content-type'] ?? '') : body;
  };

  app.put<{ Params: Static<typeof FileParams> }>(filePath, { schema: { tags, summary: 'Upload a small file to a batch', params: FileParams, ...upload, response: { 200: noBody('The file is stored'), ...errorAnswers('notFound', 'validation', 'unsupportedContentType') } } }, async (request, reply) => {
    const { folder, name } = await target(request, request.params, true);
    await folder.put(name, streamedBody(request));
    return reply.status(200).send();
  });

  // Large files: INITIALIZE, PATCH chunks with Content-Range, COMPLETE (see chunked-upload.ts).
  app.post<{ Params: Static<typeof FileParams>; Querystring: Static<typeof FileActionQuery> }>(
    filePath,
    {
      schema: {
        tags,
        summary: 'Initialize or complete a file uploaded in chunks',
        params: FileParams,
        querystring: FileActionQuery,
        response: { 201: noBody('The file is initialized, or complete'), ...fileErrors },
      },
    },
    async (request, reply) => {
      const action = request.query.action.toUpperCase();
      if (action !== 'INITIALIZE' && action !== 'COMPLETE') {
        throw new ApiError('validation', `action "${request.query.action}" is not supported for a file; use INITIALIZE or COMPLETE`, { problems: [{ in: 'query', path: 'action', message: 'must be INITIALIZE or COMPLETE' }] });
      }
      const { folder, name } = await target(request, request.params, true);
      if (action === 'INITIALIZE') initializeFile(folder, name);
      else completeFile(folder, name);
      return reply.status(201).send();
    },
  );

  app.patch<{ Params: Static<typeof FileParams> }>(filePath, { schema: { tags, summary: 'Upload a chunk of a large file', params: FileParams, headers: ChunkHeaders, ...upload, response: { 200: noBody('The chunk is stored'), ...errorAnswers('notFound', 'validation', 'unsupportedContentType', 'rangeNotSatisfiable') } } }, async (request, reply) => {
    const range = parseContentRange(headerValue(request.headers['content-range']));
    const { folder, name } = await target(request, request.params, true);
    await writeChunk(folder, name, range, streamedBody(request) as AsyncIterable<Buffer>);
    return reply.status(200).send();
  });

  // HEAD: which bytes of a file have arrived so far, as `Range: bytes=<first>-<last>[,<first>-<last>...]`.
  app.head<{ Params: Static<typeof FileParams> }>(filePath, { config: { swagger: { exposeHeadRoute: true } }, schema: { tags, summary: 'Get which bytes of a file have arrived', params: FileParams, response: { 200: FileStatusAnswer, ...fileErrors } } }, async (request, reply) => {
    const { folder, name } = await target(request, request.params, false);
    const status = fileStatus(folder, name);
    if (!status) throw new ApiError('notFound', `batch ${request.params.batchId} has no file ${name}`, { report: { id: name, type: 'files' } });
    if (status.received.length > 0) reply.header('range', `bytes=${status.received.map(([a, b]) => `${a}-${b}`).join(',')}`);
    return reply.status(200).send();
  });

  app.get<{ Params: Static<typeof DataSetParams>; Querystring: Static<typeof PreviewQuery> }>(
    `${base}/batches/:batchId/datasets/:datasetId/preview`,
    { schema: { tags, summary: "Preview a batch's uploaded files", params: DataSetParams, querystring: PreviewQuery, response: { 200: PreviewAnswer, ...errorAnswers('notFound', 'validation') } } },
    async (request) => {
      const batch = await deps.batches.load(request.ctx.scope, request.params.batchId);
      if (deps.batches.dataSetOf(batch) !== request.params.datasetId) {
        throw new ApiError('notFound', `batch ${batch.id} has no files for dataset ${request.params.datasetId}`, { report: { id: request.params.datasetId, type: 'dataSets' } });
      }
      const folder = new BatchUploadFolder(deps.layout.uploadDir(batch.id));
      return previewBatchFiles(folder.list(), batch.body.inputFormat, request.query, deps.layout.tempDir());
    },
  );
}
