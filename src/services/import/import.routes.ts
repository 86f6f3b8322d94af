import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { uncommittedStatuses } from '../../engine/batch-document.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';
import { ApiError } from '../../server/errors/api-error.js';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { findDataSet } from '../catalog/datasets.js';
import type { ServiceDeps } from '../service-deps.js';
import { BatchActionQuery, CreateBatchBody, CreatedBatch, noBody } from './batch-ingestion.schema.js';
import { BatchUploadFolder } from './batch-upload-folder.js';
import { inputFormats, loadingBatch, type InputFormat } from './batch-uploads.js';
import { registerBatchFileRoutes } from './batch-files.routes.js';
import { ImportedBatches } from './imported-batches.js';

const base = '/data/foundation/import';
const BatchParams = Type.Object({ batchId: Type.String({ minLength: 1 }) });
const tags = ['import'];

/**
 * Batch Ingestion: create a batch for a dataset, PUT files into it, COMPLETE it. Completion lands the files
 * through the same validation and lake path as dataflow runs, mapping each uploaded field onto itself.
 */
export function registerImportRoutes(app: FastifyInstance, deps: ServiceDeps & { layout: LakeLayout }): void {
  const repo = new ResourcesRepository(deps.db);
  const batches = new ImportedBatches(deps);
  // Uploads stream to disk; they are never held in memory whole. Postman's collections send file actions
  // (INITIALIZE, COMPLETE) as empty multipart forms, and Adobe's spec describes chunks as one: both stream too.
  app.addContentTypeParser(['application/octet-stream', 'multipart/form-data'], (_request, payload, done) => done(null, payload));

  // The handler names every bad field of the batch at once; its schema documents them (see handlerValidatedBody).
  const createBatch = { tags, summary: 'Create a batch', body: CreateBatchBody, response: { 201: CreatedBatch, ...errorAnswers('validation') } };
  app.post<{ Body: Record<string, unknown> }>(`${base}/batches`, { validatorCompiler: handlerValidatedBody('object'), schema: createBatch }, async (request, reply) => {
    const problems = new ProblemList();
    const dataSetId = problems.string(request.body, 'datasetId', '/datasetId', true);
    const inputFormat = problems.object(request.body, 'inputFormat', '/inputFormat', false) ?? { format: 'json' };
    // Adobe's spec spells the formats JSON, Parquet and CSV, its docs json, parquet and csv: both are meant.
    const format = String(inputFormat.format ?? 'json').toLowerCase();
    if (!inputFormats.includes(format as InputFormat)) problems.add('/inputFormat/format', `must be one of ${inputFormats.join(', ')}`);
    if (inputFormat.isMultiLineJson !== undefined && typeof inputFormat.isMultiLineJson !== 'boolean') problems.add('/inputFormat/isMultiLineJson', 'must be a boolean');
    const diagnostics = request.body.enableErrorDiagnostics;
    if (diagnostics !== undefined && typeof diagnostics !== 'boolean') problems.add('/enableErrorDiagnostics', 'must be a boolean');
    const percent = request.body.partialIngestionPercent;
    if (percent !== undefined && (typeof percent !== 'number' || percent <= 0 || percent > 100)) problems.add('/partialIngestionPercent', 'must be a number above 0 and at most 100');
    const externalId = problems.string(request.body, 'externalId', '/externalId', false);
    const clientTags = request.body.tags;
    if (clientTags !== undefined && (!isRecord(clientTags) || Object.values(clientTags).some((v) => !Array.isArray(v) || v.some((t) => typeof t !== 'string')))) {
      problems.add('/tags', 'must be an object of string arrays');
    }
    if (dataSetId && !(await findDataSet(repo, request.ctx.scope, dataSetId))) problems.add('/datasetId', `no dataset ${dataSetId} in sandbox ${request.ctx.sandbox.name}`);
    problems.throwIfAny('The batch is not valid');
    const now = deps.now();
    const creator = { orgId: request.ctx.orgId, sandboxId: request.ctx.sandbox.id, clientId: request.ctx.clientId, userId: request.ctx.userId };
    const batch = loadingBatch(
      creator,
      dataSetId as string,
      { ...inputFormat, format: format as InputFormat },
      { enableErrorDiagnostics: diagnostics === true, partialIngestionPercent: percent as number | undefined, externalId, tags: clientTags as Record<string, string[]> | undefined },
      now,
    );
    await batches.insert(request.ctx.scope, batch, now);
    return reply.status(201).send(batch);
  });

  registerBatchFileRoutes(app, { ...deps, batches });

  app.post<{ Params: Static<typeof BatchParams>; Querystring: Static<typeof BatchActionQuery> }>(
    `${base}/batches/:batchId`,
    {
      schema: {
        tags,
        summary: 'Complete, abort, fail or revert a batch',
        description: 'Answers once the batch has the outcome; repeating an action the batch already had is answered the same.',
        params: BatchParams,
        querystring: BatchActionQuery,
        response: { 200: noBody('The batch has the outcome of the action'), ...errorAnswers('validation', 'notFound') },
      },
    },
    async (request, reply) => {
      const action = request.query.action.toUpperCase();
      const actions = ['COMPLETE', 'ABORT', 'FAIL', 'REVERT'];
      if (!actions.includes(action)) {
        throw new ApiError('validation', `action "${request.query.action}" is not supported; use ${actions.join(', ')}`, { problems: [{ in: 'query', path: 'action', message: `must be one of ${actions.join(', ')}` }] });
      }
      const batch = await batches.load(request.ctx.scope, request.params.batchId);
      const status = String(batch.body.status);
      const folder = new BatchUploadFolder(deps.layout.uploadDir(batch.id));
      const refuse = (why: string) => new ApiError('validation', `batch ${batch.id} is ${status}; ${why}`, { problems: [{ in: 'query', path: 'action', message: why }] });
      if (action === 'COMPLETE') {
        // Retrying COMPLETE is safe (AEP's troubleshooting guide): a batch that already has its outcome keeps it.
        if (status === 'success' || status === 'failed') return reply.status(200).send();
        if (!uncommittedStatuses.includes(status)) throw refuse('only a loading batch can be completed');
        await batches.land(request.ctx, batch, folder);
        return reply.status(200).send();
      }
      if (action === 'ABORT' || action === 'FAIL') {
        const final = action === 'ABORT' ? 'aborted' : 'failed';
        if (status === final) return reply.status(200).send();
        if (!uncommittedStatuses.includes(status)) throw refuse(`a batch can be ${action === 'ABORT' ? 'aborted' : 'failed'} only while it is loading`);
        folder.remove();
        await batches.finish(request.ctx.scope, batch.id, { status: final, ...(final === 'failed' ? { errors: [{ code: 'INGEST-1100-400', description: 'The client marked the batch as failed (action=FAIL).' }] } : {}) });
        return reply.status(200).send();
      }
      // REVERT: the batch's data stays in the lake, but no longer counts (Catalog's "inactive").
      if (status === 'inactive') return reply.status(200).send();
      if (status !== 'success') throw refuse('only a successful batch can be reverted');
      await batches.finish(request.ctx.scope, batch.id, { status: 'inactive' });
      return reply.status(200).send();
    },
  );
}
