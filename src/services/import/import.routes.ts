import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { uncommittedStatuses } from '../../engine/batch-document.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { findDataSet } from '../catalog/datasets.js';
import type { ServiceDeps } from '../service-deps.js';
import { BatchActionQuery, CreateBatchBody, CreatedBatch, noBody } from './batch-ingestion.schema.js';
import { BatchUploadFolder } from './batch-upload-folder.js';
import { inputFormats, loadingBatch, type InputFormat } from './batch-uploads.js';
import { registerBatchFileRoutes } from './batch-files.routes.js';
import { actionStanding, batchActions, batchChanges, isBatchAction, refusals } from './batch-actions.js';
import { BatchClaimLost, ImportedBatches } from './imported-batches.js';

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
        description:
          'Answers once the batch has the outcome; repeating an action the batch already had is answered the same. Actions on one batch are serialized, across servers too: while it is being completed, every other action on it is answered 409.',
        params: BatchParams,
        querystring: BatchActionQuery,
        response: { 200: noBody('The batch has the outcome of the action'), ...errorAnswers('validation', 'notFound', 'conflict') },
      },
    },
    async (request, reply) => {
      const action = request.query.action.toUpperCase();
      if (!isBatchAction(action)) {
        throw new ApiError('validation', `action "${request.query.action}" is not supported; use ${batchActions.join(', ')}`, { problems: [{ in: 'query', path: 'action', message: `must be one of ${batchActions.join(', ')}` }] });
      }
      const { scope } = request.ctx;
      const batch = await batches.load(scope, request.params.batchId);
      const folder = new BatchUploadFolder(deps.layout.uploadDir(batch.id));
      /** The answer to an action the batch's status settles without doing anything: the same answer, 409 or 400. */
      const settled = (status: string | undefined) => {
        if (status === undefined) throw notFound('batches', batch.id);
        const standing = actionStanding(action, status);
        if (standing === 'done') return reply.status(200).send();
        if (standing === 'busy' || standing === 'open') {
          // `open` here: the batch kept changing under the conditional write; it is someone else's for now.
          throw new ApiError('conflict', `batch ${batch.id} is being completed; ask again once it has its outcome (GET /catalog/batches/${batch.id} shows it)`, {
            problems: [{ in: 'path', path: 'batchId', message: 'being completed' }],
          });
        }
        throw new ApiError('validation', `batch ${batch.id} is ${status}; ${refusals[action]}`, { problems: [{ in: 'query', path: 'action', message: refusals[action] }] });
      };
      if (actionStanding(action, String(batch.body.status)) !== 'open') return settled(String(batch.body.status));
      if (action === 'COMPLETE') {
        let status: string | undefined;
        try {
          // Claimed before anything is read: of concurrent COMPLETEs (on any server) one queues the batch's landing,
          // which a worker (this process with SQLite) runs; the answer waits for the outcome.
          status = await batches.complete(request.ctx, await batches.claim(scope, batch.id), folder);
        } catch (error) {
          if (error instanceof BatchClaimLost) return settled(error.status);
          throw error;
        }
        if (status !== undefined && uncommittedStatuses.includes(status)) {
          throw new ApiError('conflict', `batch ${batch.id} could not be landed and is ${status} again, its files kept; send COMPLETE again`, {
            problems: [{ in: 'path', path: 'batchId', message: 'the landing could not start' }],
          });
        }
        // `processing` after the wait: the landing goes on, and the batch is its for now (409).
        return settled(status);
      }
      const change = batchChanges[action];
      const result = await batches.transition(scope, batch.id, change.from, change.fields);
      if (!result.won) return settled(result.status);
      // Only the request that changed the status drops the files: never one that lost to a completion.
      if (action !== 'REVERT') folder.remove();
      return reply.status(200).send();
    },
  );
}
