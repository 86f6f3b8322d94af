import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { uploadedFilesSpecId } from '../../connectors/uploaded-files/uploaded-files-connector.js';
import { batchKind } from '../../engine/batch-document.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { CompileError } from '../../mapping/compile-expression.js';
import { identityRules } from '../../mapping/identity-mapping.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import { headerValue } from '../../server/request-parts.js';
import { ResourcesRepository, type StoredResource } from '../../store/resources.repository.js';
import { findDataSet } from '../catalog/datasets.js';
import { loadSchema } from '../schemaregistry/schema-access.js';
import type { ServiceDeps } from '../service-deps.js';
import { loadingBatch, safeFileName, sourceData, type InputFormat } from './batch-uploads.js';
import { completeFile, initializeFile, parseContentRange, writeChunk } from './chunked-upload.js';

const base = '/data/foundation/import';
const BatchParams = Type.Object({ batchId: Type.String({ minLength: 1 }) });
const FileParams = Type.Object({ batchId: Type.String({ minLength: 1 }), datasetId: Type.String({ minLength: 1 }), filePath: Type.String({ minLength: 1 }) });
const ActionQuery = Type.Object({ action: Type.String() });
const tags = ['import'];
const formats: InputFormat[] = ['json', 'parquet', 'csv'];

/**
 * Batch Ingestion: create a batch for a dataset, PUT files into it, COMPLETE it. Completion lands the files
 * through the same validation and lake path as dataflow runs, mapping each uploaded field onto itself.
 */
export function registerImportRoutes(app: FastifyInstance, deps: ServiceDeps & { layout: LakeLayout }): void {
  const repo = new ResourcesRepository(deps.db);
  // Uploads stream to disk; they are never held in memory whole.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  const loadBatch = async (request: FastifyRequest, batchId: string): Promise<StoredResource & { body: Record<string, unknown> }> => {
    const stored = await repo.get(batchKind, request.ctx.scope, batchId);
    if (!stored || !isRecord(stored.body)) throw notFound('batches', batchId);
    return stored as StoredResource & { body: Record<string, unknown> };
  };

  app.post<{ Body: Record<string, unknown> }>(`${base}/batches`, { schema: { tags, body: Type.Object({}, { additionalProperties: true }) } }, async (request, reply) => {
    const problems = new ProblemList();
    const dataSetId = problems.string(request.body, 'datasetId', '/datasetId', true);
    const inputFormat = problems.object(request.body, 'inputFormat', '/inputFormat', false) ?? { format: 'json' };
    const format = inputFormat.format ?? 'json';
    if (!formats.includes(format as InputFormat)) problems.add('/inputFormat/format', `must be one of ${formats.join(', ')}`);
    const diagnostics = request.body.enableErrorDiagnostics;
    if (diagnostics !== undefined && typeof diagnostics !== 'boolean') problems.add('/enableErrorDiagnostics', 'must be a boolean');
    const percent = request.body.partialIngestionPercent;
    if (percent !== undefined && (typeof percent !== 'number' || percent <= 0 || percent > 100)) problems.add('/partialIngestionPercent', 'must be a number above 0 and at most 100');
    if (dataSetId && !(await findDataSet(repo, request.ctx.scope, dataSetId))) problems.add('/datasetId', `no dataset ${dataSetId} in sandbox ${request.ctx.sandbox.name}`);
    problems.throwIfAny('The batch is not valid');
    const now = deps.now();
    const batch = loadingBatch(request.ctx, dataSetId as string, { ...inputFormat, format: format as InputFormat }, { enableErrorDiagnostics: diagnostics === true, partialIngestionPercent: percent as number | undefined }, now);
    await repo.insert(request.ctx.scope, { kind: batchKind, id: String(batch.id), body: batch, secret: null, etag: String(now), createdAt: now, updatedAt: now });
    return reply.status(201).send(batch);
  });

  /** The batch's upload folder and the file's name, once the batch, its dataset and the name check out. */
  const uploadTarget = async (request: FastifyRequest, params: Static<typeof FileParams>): Promise<{ folder: string; name: string }> => {
    const batch = await loadBatch(request, params.batchId);
    const related = Array.isArray(batch.body.relatedObjects) ? (batch.body.relatedObjects as { id: string }[]) : [];
    if (!related.some((o) => o.id === params.datasetId)) throw new ApiError('validation', `batch ${batch.id} belongs to another dataset`, { problems: [{ in: 'path', path: 'datasetId', message: 'not this batch\'s dataset' }] });
    if (batch.body.status !== 'loading') throw new ApiError('validation', `batch ${batch.id} is ${String(batch.body.status)}; files can only be added while it is loading`);
    // A path with folders arrives URL-encoded in one segment; the batch keeps its last part.
    const name = safeFileName(params.filePath);
    if (!name) throw new ApiError('validation', 'the file name may hold letters, digits, ".", "_" and "-" only', { problems: [{ in: 'path', path: 'filePath', message: 'not a plain file name' }] });
    const folder = deps.layout.uploadDir(batch.id);
    fs.mkdirSync(folder, { recursive: true });
    return { folder, name };
  };
  const streamedBody = (request: FastifyRequest): NodeJS.ReadableStream => {
    const body = request.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') {
      throw new ApiError('unsupportedContentType', 'Upload the file as the request body with Content-Type: application/octet-stream.');
    }
    return body;
  };

  app.put<{ Params: Static<typeof FileParams> }>(`${base}/batches/:batchId/datasets/:datasetId/files/:filePath`, { schema: { tags, params: FileParams } }, async (request, reply) => {
    const { folder, name } = await uploadTarget(request, request.params);
    await pipeline(streamedBody(request), fs.createWriteStream(path.join(folder, name)));
    return reply.status(200).send();
  });

  // Large files: INITIALIZE, PATCH chunks with Content-Range, COMPLETE (see chunked-upload.ts).
  app.post<{ Params: Static<typeof FileParams>; Querystring: Static<typeof ActionQuery> }>(
    `${base}/batches/:batchId/datasets/:datasetId/files/:filePath`,
    { schema: { tags, params: FileParams, querystring: ActionQuery } },
    async (request, reply) => {
      const action = request.query.action.toUpperCase();
      if (action !== 'INITIALIZE' && action !== 'COMPLETE') {
        throw new ApiError('validation', `action "${request.query.action}" is not supported for a file; use INITIALIZE or COMPLETE`, { problems: [{ in: 'query', path: 'action', message: 'must be INITIALIZE or COMPLETE' }] });
      }
      const { folder, name } = await uploadTarget(request, request.params);
      if (action === 'INITIALIZE') initializeFile(folder, name);
      else completeFile(folder, name);
      return reply.status(201).send();
    },
  );

  app.patch<{ Params: Static<typeof FileParams> }>(`${base}/batches/:batchId/datasets/:datasetId/files/:filePath`, { schema: { tags, params: FileParams } }, async (request, reply) => {
    const range = parseContentRange(headerValue(request.headers['content-range']));
    const { folder, name } = await uploadTarget(request, request.params);
    await writeChunk(folder, name, range, streamedBody(request) as AsyncIterable<Buffer>);
    return reply.status(200).send();
  });

  app.post<{ Params: Static<typeof BatchParams>; Querystring: Static<typeof ActionQuery> }>(
    `${base}/batches/:batchId`,
    { schema: { tags, params: BatchParams, querystring: ActionQuery } },
    async (request, reply) => {
      const action = request.query.action.toUpperCase();
      if (action !== 'COMPLETE' && action !== 'ABORT') {
        throw new ApiError('validation', `action "${request.query.action}" is not supported; use COMPLETE or ABORT`, { problems: [{ in: 'query', path: 'action', message: 'must be COMPLETE or ABORT' }] });
      }
      const batch = await loadBatch(request, request.params.batchId);
      if (batch.body.status !== 'loading') throw new ApiError('validation', `batch ${batch.id} is already ${String(batch.body.status)}`);
      const folder = deps.layout.uploadDir(batch.id);
      if (action === 'ABORT') {
        fs.rmSync(folder, { recursive: true, force: true });
        await finish(batch, { status: 'aborted' });
        return reply.status(200).send();
      }
      try {
        const outcome = await deps.engine.ingest(await plan(request, batch, folder));
        if (outcome.status !== 'success') {
          await finish(batch, { status: 'failed', errors: outcome.errors.map((e) => ({ code: e.code, description: e.message, ...(e.recordCount !== undefined ? { recordCount: e.recordCount } : {}) })), completed: deps.now() });
        }
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
      return reply.status(200).send();
    },
  );

  const finish = async (batch: StoredResource & { body: Record<string, unknown> }, fields: Record<string, unknown>) => {
    const now = deps.now();
    const current = await repo.get(batchKind, { orgId: String(batch.body.imsOrg), sandboxId: String(batch.body.sandboxId) }, batch.id);
    if (!current) return;
    await repo.update({ orgId: String(batch.body.imsOrg), sandboxId: String(batch.body.sandboxId) }, { ...current, body: { ...(current.body as object), ...fields, updated: now }, etag: String(now), updatedAt: now }, current.etag);
  };

  const plan = async (request: FastifyRequest, batch: StoredResource & { body: Record<string, unknown> }, folder: string) => {
    const related = (batch.body.relatedObjects as { id: string }[])[0]?.id ?? '';
    const dataSet = await findDataSet(repo, request.ctx.scope, related);
    if (!dataSet) throw new ApiError('validation', `the batch's dataset ${related} no longer exists`);
    const schema = await loadSchema(repo, request.ctx.scope, dataSet.schemaRef.id);
    if (!schema) throw new ApiError('validation', `the dataset's schema ${dataSet.schemaRef.id} no longer exists`);
    const tagsOf = isRecord(batch.body.tags) ? (batch.body.tags as Record<string, string[]>) : {};
    const percent = tagsOf.acp_partialIngestionPercent?.[0];
    return {
      flowId: batch.id,
      flowSpec: { id: 'batch-ingestion', version: '1.0' },
      scope: { orgId: request.ctx.orgId, sandboxId: request.ctx.sandbox.id, sandboxName: request.ctx.sandbox.name },
      actor: { clientId: request.ctx.clientId, userId: request.ctx.userId },
      source: { connectionId: batch.id, specId: uploadedFilesSpecId, auth: {}, params: { folder }, data: sourceData(batch.body.inputFormat as Record<string, unknown>) },
      target: { connectionId: batch.id, dataSetId: dataSet.id, schemaId: schema.id },
      schema: schema.full,
      mapping: {
        id: 'identity',
        version: 0,
        rules: [],
        derive: (columns: { name: string; type: string }[]) => {
          const { rules, unknown } = identityRules(schema.full, columns);
          if (unknown.length > 0) throw new CompileError(`fields ${unknown.join(', ')} are not in schema ${schema.id}`);
          return rules;
        },
      },
      options: { partialIngestionPercent: percent ? Number(percent) : undefined, errorDiagnosticsEnabled: tagsOf.acp_enableErrorDiagnostics?.[0] === 'true' },
      window: { start: null, end: deps.now() },
      upload: { batchId: batch.id },
    };
  };
}
