import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import { batchDataFiles, batchMetaFiles, type BatchMetaFolder, type LakeFile } from '../../lake/batch-files.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import { headerValue, IdParams } from '../../server/request-parts.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { findDataSet } from '../catalog/datasets.js';
import { datasetFileId, parseDatasetFileId } from './dataset-file-id.js';
import { BatchFileList, FileEntryList, FileQuery, listingOrDownload, ListQuery, MetaQuery, PartialDownload } from './export.schema.js';
import { findExportedBatch } from './exported-batch.js';
import { sendFile } from './send-file.js';

export interface ExportRouteDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
}

const base = '/data/foundation/export';
const tags = ['export'];
const defaultLimit = 100;

/**
 * Data Access: the Parquet files of a batch and its diagnostics, listed and downloaded as AEP's export API does.
 * Every file is found by listing a folder of a batch the Catalog knows in the caller's sandbox and matching the
 * requested name against that listing; no client text is ever joined into a path.
 */
export function registerExportRoutes(app: FastifyInstance, deps: ExportRouteDeps): void {
  const repo = new ResourcesRepository(deps.db);

  app.get<{ Params: Static<typeof IdParams>; Querystring: ListQuery }>(
    `${base}/batches/:id/files`,
    {
      schema: {
        tags,
        summary: "List a batch's dataset files (none unless the batch succeeded)",
        params: IdParams,
        querystring: ListQuery,
        response: { 200: { description: 'One page of the files', content: { 'application/json': { schema: BatchFileList } } }, ...errorAnswers('notFound') },
      },
    },
    async (request): Promise<BatchFileList> => {
      const batch = await findExportedBatch(repo, request.ctx, request.params.id);
      if (!batch) throw notFound('batches', request.params.id);
      // Only a promoted batch's files are part of its dataset; a failed or loading batch lists none.
      const files = batch.promoted ? batchDataFiles(deps.layout, batch.location) : [];
      const viewId = await dataSetViewId(request.ctx, batch.location.dataSetId);
      const entries = files.map((_, index) => {
        const id = datasetFileId(batch.id, index);
        const time = String(batch.completed);
        return { dataSetFileId: id, dataSetViewId: viewId, version: '1.0.0', created: time, updated: time, isValid: true, _links: { self: { href: `${base}/files/${encodeURIComponent(id)}` } } };
      });
      return page(entries, request.query, (start, limit) => `${base}/batches/${encodeURIComponent(batch.id)}/files?start=${start}&limit=${limit}`);
    },
  );

  app.get<{ Params: Static<typeof IdParams>; Querystring: FileQuery }>(
    `${base}/files/:id`,
    {
      schema: {
        tags,
        summary: 'List the file a dataSetFileId names, or download it (path=<its name>)',
        params: IdParams,
        querystring: FileQuery,
        response: { 200: listingOrDownload(FileEntryList), 206: PartialDownload, ...errorAnswers('notFound') },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const file = await datasetFile(request.ctx, id);
      if (!file) throw notFound('files', id);
      const { path } = request.query;
      if (path === undefined) {
        const self = `${base}/files/${encodeURIComponent(id)}`;
        return page([entry(file, `${self}?path=${encodeURIComponent(file.name)}`)], request.query, (start, limit) => `${self}?start=${start}&limit=${limit}`);
      }
      if (path !== file.name) throw notFound('files', `${id}?path=${path}`);
      return sendFile(reply, file, headerValue(request.headers.range));
    },
  );

  app.get<{ Params: Static<typeof IdParams>; Querystring: MetaQuery }>(
    `${base}/batches/:id/meta`,
    {
      schema: {
        tags,
        summary: "List a batch's diagnostics (path=row_errors or input_files), or download one (path=<folder>/<name>)",
        params: IdParams,
        querystring: MetaQuery,
        response: { 200: listingOrDownload(FileEntryList), 206: PartialDownload, ...errorAnswers('notFound', 'validation') },
      },
    },
    async (request, reply) => {
      const batch = await findExportedBatch(repo, request.ctx, request.params.id);
      if (!batch) throw notFound('batches', request.params.id);
      const { folder, name } = metaPath(request.query.path);
      const files = batchMetaFiles(deps.layout, batch.location, folder);
      if (name === undefined) {
        const meta = `${base}/batches/${encodeURIComponent(batch.id)}/meta`;
        return page(files.map((f) => entry(f, `${meta}?path=${encodeURIComponent(`${folder}/${f.name}`)}`)), request.query, (start, limit) => `${meta}?path=${folder}&start=${start}&limit=${limit}`);
      }
      const file = files.find((f) => f.name === name);
      if (!file) throw notFound('files', request.query.path);
      return sendFile(reply, file, headerValue(request.headers.range));
    },
  );

  /** The Parquet file a dataSetFileId names, if its batch is a promoted batch of this sandbox. */
  const datasetFile = async (ctx: RequestContext, id: string): Promise<LakeFile | undefined> => {
    const parsed = parseDatasetFileId(id);
    const batch = parsed && (await findExportedBatch(repo, ctx, parsed.batchId));
    if (!parsed || !batch?.promoted) return undefined;
    return batchDataFiles(deps.layout, batch.location)[parsed.index];
  };

  const dataSetViewId = async (ctx: RequestContext, dataSetId: string): Promise<string> => {
    // A dataset deleted after its batch landed has no view left; its id still says where the file came from.
    return (await findDataSet(repo, ctx.scope, dataSetId))?.viewId ?? dataSetId;
  };
}

function entry(file: LakeFile, href: string): FileEntryList['data'][number] {
  return { name: file.name, length: String(file.bytes), _links: { self: { href } } };
}

function page<T>(items: T[], query: { start?: number | undefined; limit?: number | undefined }, next: (start: number, limit: number) => string): { data: T[]; _page: { limit: number; count: number }; _links?: { next: { href: string } } } {
  const start = query.start ?? 0;
  const limit = query.limit ?? defaultLimit;
  const data = items.slice(start, start + limit);
  return { data, _page: { limit, count: data.length }, ...(start + limit < items.length ? { _links: { next: { href: next(start + limit, limit) } } } : {}) };
}

/** `row_errors` or `input_files` (a folder listing), or `<folder>/<name>` (one file of it). */
function metaPath(path: string): { folder: BatchMetaFolder; name: string | undefined } {
  const match = /^(row_errors|input_files)(?:\/(.*))?$/.exec(path);
  if (!match) {
    throw new ApiError('validation', `path "${path}" is not a batch diagnostics path; use row_errors, row_errors/<file>, input_files or input_files/<file>.`, {
      problems: [{ in: 'query', path: 'path', message: 'must be row_errors, input_files, or one of their files' }],
    });
  }
  const name = match[2];
  return { folder: match[1] === 'row_errors' ? 'row_errors' : 'input_files', name: name === undefined || name === '' ? undefined : name };
}
