import { batchDataFiles, batchMetaFiles } from '../../lake/batch-files.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import type { QueryTable } from '../../lake/query-session.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import { isPqsTableName } from '../catalog/pqs-table-name.js';
import { dataSetTableNames, visibleBatches } from '../catalog/query-sources.js';

/**
 * A dataset as SQL sees it: a table named by its `adobe/pqs/table` tag over its successful batches' files, and
 * `<name>_latest`, the newest version of each record (by `_id`), without the records a later batch deleted.
 */
export interface DatasetTable extends QueryTable {
  dataSetId: string;
}

/** Every XDM record class identifies a record by `_id`. */
const recordKey = '_id';

/**
 * The tables of a sandbox, one per dataset. Only batches the Catalog marks successful contribute files, so
 * a failed batch, or a lake folder left by a crash before its commit, is never read. A dataset without such a
 * batch is a table without files (the query session leaves it out and says why when a query names it).
 * When two datasets share a table name, the older one keeps it and the newer one is left out.
 * `wanted` narrows the tables to those a statement can name, so that a sandbox with many datasets does not make
 * every query list every batch's files.
 */
export async function datasetTables(db: Kysely<Database>, layout: LakeLayout, scope: Scope & { sandboxName: string }, wanted: (name: string) => boolean = () => true): Promise<DatasetTable[]> {
  // From the indexes: every dataset's table name, then the successful batches of the datasets a statement names.
  const dataSets = (await dataSetTableNames(db, scope)).filter((d) => isPqsTableName(d.tableName));
  const wantedDataSets = new Set(dataSets.filter((d) => wanted(d.tableName) || wanted(`${d.tableName}_latest`)).map((d) => d.dataSetId));
  const batchesByDataSet = new Map<string, VersionedBatch[]>();
  for (const batch of await visibleBatches(db, scope, [...wantedDataSets])) {
    const location = { orgId: scope.orgId, sandboxName: scope.sandboxName, dataSetId: batch.dataSetId, batchId: batch.id };
    const entry: VersionedBatch = {
      completed: batch.completed,
      id: batch.id,
      flowId: batch.flowId,
      snapshot: batchMetaFiles(layout, location, 'snapshot').length > 0,
      files: batchDataFiles(layout, location).map((f) => f.path),
      deletions: batchMetaFiles(layout, location, 'deletions').map((f) => f.path),
    };
    batchesByDataSet.set(batch.dataSetId, [...(batchesByDataSet.get(batch.dataSetId) ?? []), entry]);
  }
  const tables: DatasetTable[] = [];
  const taken = new Set<string>();
  for (const { dataSetId, tableName: name } of dataSets) {
    // DuckDB matches identifiers without regard to case, so names that differ only in case clash.
    if (taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    if (!wantedDataSets.has(dataSetId)) continue;
    // Commit order decides which version of a record is the newest.
    const batches = (batchesByDataSet.get(dataSetId) ?? []).sort((a, b) => a.completed - b.completed || (a.id < b.id ? -1 : 1));
    const files = batches.flatMap((b) => b.files);
    if (wanted(name)) tables.push({ name, dataSetId, files });
    const latest = `${name}_latest`;
    if (!taken.has(latest.toLowerCase()) && wanted(latest)) {
      taken.add(latest.toLowerCase());
      const current = withoutSuperseded(batches);
      tables.push({ name: latest, dataSetId, files: current.flatMap((b) => b.files), versions: { key: recordKey, batches: current.map(({ files: f, deletions }) => ({ files: f, deletions })) } });
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
