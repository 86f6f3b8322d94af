import { batchDataFiles } from '../../lake/batch-files.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import type { QueryTable } from '../../lake/query-session.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { batchKind } from '../catalog/batches.js';
import { dataSetOfBatch } from '../../engine/batch-document.js';
import { dataSetKind } from '../catalog/datasets.js';

/** A dataset as SQL sees it: a table named by its `adobe/pqs/table` tag over its successful batches' files. */
export interface DatasetTable extends QueryTable {
  dataSetId: string;
}

/** Catalog says `success`; AEP also calls a promoted batch `active`. Any other batch holds no queryable rows. */
const visibleStatuses = new Set(['success', 'active']);

/**
 * The tables of a sandbox, one per dataset. Only batches the Catalog marks successful contribute files, so
 * a failed batch, or a lake folder left by a crash before its commit, is never read. A dataset without such a
 * batch is a table without files (the query session leaves it out and says why when a query names it).
 * When two datasets share a table name, the older one keeps it and the newer one is left out.
 */
export async function datasetTables(repo: ResourcesRepository, layout: LakeLayout, scope: Scope & { sandboxName: string }): Promise<DatasetTable[]> {
  const filesByDataSet = new Map<string, string[]>();
  for (const stored of await repo.list(batchKind, scope)) {
    const batch = successfulBatch(stored.body);
    if (!batch) continue;
    const files = batchDataFiles(layout, { orgId: scope.orgId, sandboxName: scope.sandboxName, dataSetId: batch.dataSetId, batchId: stored.id });
    filesByDataSet.set(batch.dataSetId, [...(filesByDataSet.get(batch.dataSetId) ?? []), ...files.map((f) => f.path)]);
  }
  const tables: DatasetTable[] = [];
  const taken = new Set<string>();
  for (const stored of await repo.list(dataSetKind, scope)) {
    const name = tableName(stored.body);
    // DuckDB matches identifiers without regard to case, so names that differ only in case clash.
    if (name === undefined || taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    tables.push({ name, dataSetId: stored.id, files: filesByDataSet.get(stored.id) ?? [] });
  }
  return tables;
}

function successfulBatch(body: unknown): { dataSetId: string } | undefined {
  if (!isRecord(body) || typeof body.status !== 'string' || !visibleStatuses.has(body.status)) return undefined;
  const dataSetId = dataSetOfBatch(body);
  return dataSetId ? { dataSetId } : undefined;
}

function tableName(body: unknown): string | undefined {
  const tags = isRecord(body) ? body.tags : undefined;
  const names = isRecord(tags) ? tags['adobe/pqs/table'] : undefined;
  const name = Array.isArray(names) ? names[0] : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}
