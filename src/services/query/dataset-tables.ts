import { batchDataFiles, batchMetaFiles } from '../../lake/batch-files.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import type { QueryTable } from '../../lake/query-session.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { batchKind } from '../catalog/batches.js';
import { dataSetOfBatch } from '../../engine/batch-document.js';
import { dataSetKind } from '../catalog/datasets.js';
import { isPqsTableName, pqsTableTag } from '../catalog/pqs-table-name.js';

/**
 * A dataset as SQL sees it: a table named by its `adobe/pqs/table` tag over its successful batches' files, and
 * `<name>_latest`, the newest version of each record (by `_id`), without the records a later batch deleted.
 */
export interface DatasetTable extends QueryTable {
  dataSetId: string;
}

/** Every XDM record class identifies a record by `_id`. */
const recordKey = '_id';

/** Catalog says `success`; AEP also calls a promoted batch `active`. Any other batch holds no queryable rows. */
const visibleStatuses = new Set(['success', 'active']);

/**
 * The tables of a sandbox, one per dataset. Only batches the Catalog marks successful contribute files, so
 * a failed batch, or a lake folder left by a crash before its commit, is never read. A dataset without such a
 * batch is a table without files (the query session leaves it out and says why when a query names it).
 * When two datasets share a table name, the older one keeps it and the newer one is left out.
 * `wanted` narrows the tables to those a statement can name, so that a sandbox with many datasets does not make
 * every query list every batch's files.
 */
export async function datasetTables(repo: ResourcesRepository, layout: LakeLayout, scope: Scope & { sandboxName: string }, wanted: (name: string) => boolean = () => true): Promise<DatasetTable[]> {
  const dataSets = await repo.list(dataSetKind, scope);
  const wantedDataSets = new Set(dataSets.filter((stored) => {
    const name = tableName(stored.body);
    return name !== undefined && (wanted(name) || wanted(`${name}_latest`));
  }).map((stored) => stored.id));
  const batchesByDataSet = new Map<string, VersionedBatch[]>();
  for (const stored of await repo.list(batchKind, scope)) {
    const batch = successfulBatch(stored.body);
    if (!batch || !wantedDataSets.has(batch.dataSetId)) continue;
    const location = { orgId: scope.orgId, sandboxName: scope.sandboxName, dataSetId: batch.dataSetId, batchId: stored.id };
    const entry: VersionedBatch = {
      completed: batch.completed ?? stored.updatedAt,
      id: stored.id,
      flowId: batch.flowId,
      snapshot: batchMetaFiles(layout, location, 'snapshot').length > 0,
      files: batchDataFiles(layout, location).map((f) => f.path),
      deletions: batchMetaFiles(layout, location, 'deletions').map((f) => f.path),
    };
    batchesByDataSet.set(batch.dataSetId, [...(batchesByDataSet.get(batch.dataSetId) ?? []), entry]);
  }
  const tables: DatasetTable[] = [];
  const taken = new Set<string>();
  for (const stored of dataSets) {
    const name = tableName(stored.body);
    // DuckDB matches identifiers without regard to case, so names that differ only in case clash.
    if (name === undefined || taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    if (!wantedDataSets.has(stored.id)) continue;
    // Commit order decides which version of a record is the newest.
    const batches = (batchesByDataSet.get(stored.id) ?? []).sort((a, b) => a.completed - b.completed || (a.id < b.id ? -1 : 1));
    const files = batches.flatMap((b) => b.files);
    if (wanted(name)) tables.push({ name, dataSetId: stored.id, files });
    const latest = `${name}_latest`;
    if (!taken.has(latest.toLowerCase()) && wanted(latest)) {
      taken.add(latest.toLowerCase());
      const current = withoutSuperseded(batches);
      tables.push({ name: latest, dataSetId: stored.id, files: current.flatMap((b) => b.files), versions: { key: recordKey, batches: current.map(({ files: f, deletions }) => ({ files: f, deletions })) } });
    }
  }
  return tables;
}

interface VersionedBatch {
  completed: number;
  id: string;
  flowId: string | undefined;
  /** The batch holds its flow's whole source as it was: every earlier batch of that flow is superseded. */
  snapshot: boolean;
  files: string[];
  deletions: string[];
}

/** Batches (in commit order) without those a later snapshot of the same flow replaced. */
function withoutSuperseded(batches: VersionedBatch[]): VersionedBatch[] {
  const lastSnapshot = new Map<string, number>();
  batches.forEach((batch, index) => {
    if (batch.snapshot && batch.flowId) lastSnapshot.set(batch.flowId, index);
  });
  return batches.filter((batch, index) => !batch.flowId || index >= (lastSnapshot.get(batch.flowId) ?? -1));
}

function successfulBatch(body: unknown): { dataSetId: string; completed?: number; flowId: string | undefined } | undefined {
  if (!isRecord(body) || typeof body.status !== 'string' || !visibleStatuses.has(body.status)) return undefined;
  const dataSetId = dataSetOfBatch(body);
  if (!dataSetId) return undefined;
  const flowIds = isRecord(body.tags) ? body.tags.acp_flowId : undefined;
  const flowId = Array.isArray(flowIds) && typeof flowIds[0] === 'string' ? flowIds[0] : undefined;
  return { dataSetId, flowId, ...(typeof body.completed === 'number' ? { completed: body.completed } : {}) };
}

/**
 * A dataset stored before Catalog checked the tag may carry a name DuckDB cannot take (a NUL, a quote): it is
 * left out of SQL, as a dataset without the tag is, rather than failing every statement of the sandbox.
 */
function tableName(body: unknown): string | undefined {
  const tags = isRecord(body) ? body.tags : undefined;
  const names = isRecord(tags) ? tags[pqsTableTag] : undefined;
  const name = Array.isArray(names) ? names[0] : undefined;
  return isPqsTableName(name) ? name : undefined;
}
