import { uploadedFilesSpecId } from '../../connectors/uploaded-files/uploaded-files-connector.js';
import { dataSetOfBatch } from '../../engine/batch-document.js';
import type { RunPlan } from '../../engine/run-plan.js';
import type { StoredBatchBody } from '../../engine/stored-batch.schema.js';
import { CompileError } from '../../mapping/compile-expression.js';
import { identityRules } from '../../mapping/identity-mapping.js';
import type { MappingRule } from '../../mapping/mapping-rule.js';
import { ApiError } from '../../server/errors/api-error.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import { findDataSet, type DataSetRecord } from '../catalog/datasets.js';
import { loadSchema, type ResolvedSchema } from '../schemaregistry/schema-access.js';
import type { UploadedFile } from './batch-upload-folder.js';
import { sourceData } from './batch-uploads.js';

/** What landing the files of one Catalog batch takes; the batch itself exists already (status `loading`). */
export interface Landing {
  batchId: string;
  scope: RunPlan['scope'];
  actor: RunPlan['actor'];
  dataSet: DataSetRecord;
  schema: ResolvedSchema;
  inputFormat: Record<string, unknown>;
  files: UploadedFile[];
  /** A mapping set's rules; without one each field maps onto itself (the files are XDM already). */
  mapping?: { id: string; version: number; rules: MappingRule[] } | undefined;
  options: RunPlan['options'];
  /** Records that each carry only some fields (streamed messages): a mapping's absent source is null, not an error. */
  sparse?: boolean;
  now: number;
}

/**
 * The run plan that lands a batch's files through the same validation and lake path as dataflow runs. Batch
 * Ingestion and streaming both land this way; the batch keeps its id, so a retry after a crash completes the same
 * batch rather than landing the records twice.
 */
export function landingPlan(landing: Landing): RunPlan {
  const { schema, mapping } = landing;
  return {
    flowId: landing.batchId,
    flowSpec: { id: 'batch-ingestion', version: '1.0' },
    scope: landing.scope,
    actor: landing.actor,
    source: {
      connectionId: landing.batchId,
      specId: uploadedFilesSpecId,
      auth: {},
      params: { files: landing.files.map((f) => ({ path: f.path, name: f.name })) },
      data: sourceData(landing.inputFormat),
    },
    target: { connectionId: landing.batchId, dataSetId: landing.dataSet.id, schemaId: schema.id },
    schema: schema.full,
    mapping: mapping
      ? { id: mapping.id, version: mapping.version, rules: mapping.rules, absentColumns: landing.sparse ? 'null' : 'error' }
      : {
          id: 'identity',
          version: 0,
          rules: [],
          derive: (columns) => {
            const { rules, unknown } = identityRules(schema.full, columns);
            // With no field the schema knows there is nothing to land, and nothing to select.
            if (rules.length === 0) throw new CompileError(`none of the fields ${unknown.join(', ')} is in schema ${schema.id}`);
            return { rules, extraneous: unknown };
          },
        },
    options: landing.options,
    window: { start: null, end: landing.now },
    upload: { batchId: landing.batchId },
  };
}

/** A Catalog batch created through Batch Ingestion (or streaming), as read back from the store. */
export interface ImportedBatch {
  id: string;
  body: StoredBatchBody;
}

/**
 * The plan that lands a stored batch's files: its dataset and schema read now, its options from the tags it was
 * created with. Throws a 400 `ApiError` when the dataset or its schema no longer exists. The API server plans a
 * COMPLETE once to refuse such a batch, and the worker that lands it plans it again.
 */
export async function storedBatchPlan(
  repo: ResourcesRepository,
  batch: ImportedBatch,
  who: Pick<Landing, 'scope' | 'actor'>,
  files: UploadedFile[],
  now: number,
  extra: Partial<Pick<Landing, 'mapping' | 'options' | 'sparse'>> = {},
): Promise<RunPlan> {
  const scope = { orgId: who.scope.orgId, sandboxId: who.scope.sandboxId };
  const dataSetId = dataSetOfBatch(batch.body) ?? '';
  const dataSet = await findDataSet(repo, scope, dataSetId);
  if (!dataSet) throw new ApiError('validation', `the batch's dataset ${dataSetId} no longer exists`);
  const schema = await loadSchema(repo, scope, dataSet.schemaRef.id);
  if (!schema) throw new ApiError('validation', `the dataset's schema ${dataSet.schemaRef.id} no longer exists`);
  const tags = batch.body.tags ?? {};
  const percent = tags.acp_partialIngestionPercent?.[0];
  return landingPlan({
    batchId: batch.id,
    scope: who.scope,
    actor: who.actor,
    dataSet,
    schema,
    inputFormat: batch.body.inputFormat ?? { format: 'json' },
    files,
    options: { partialIngestionPercent: percent ? Number(percent) : undefined, errorDiagnosticsEnabled: tags.acp_enableErrorDiagnostics?.[0] === 'true' },
    now,
    ...(extra.mapping ? { mapping: extra.mapping } : {}),
    ...(extra.options ? { options: extra.options } : {}),
    ...(extra.sparse ? { sparse: extra.sparse } : {}),
  });
}
