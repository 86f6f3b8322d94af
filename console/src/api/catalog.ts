import { request, type Scope } from './client.js';

/** Catalog's base path. */
export const catalog = '/data/foundation/catalog';

/** The parts of a Catalog dataset the console shows. */
export interface DataSet {
  id: string;
  name?: string;
  description?: string;
  schemaRef?: { id?: string; contentType?: string };
  tags?: Record<string, string[] | undefined>;
  created?: number;
  updated?: number;
  lastBatchStatus?: string;
  /** Catalog works it out from the batches at each read: absent while none has succeeded. */
  lastSuccessfulBatch?: string;
}

/** The parts of a Catalog batch the console shows. */
export interface Batch {
  id: string;
  status?: string;
  recordCount?: number;
  failedRecordCount?: number;
  size?: number;
  created?: number;
  started?: number;
  completed?: number;
  errors?: { code?: string; description?: string; message?: string }[];
  tags?: Record<string, string[] | undefined>;
}

/** The SQL table Query Service gives a dataset (its `adobe/pqs/table` tag), when it has one. */
export function tableOf(dataSet: DataSet): string | undefined {
  return dataSet.tags?.['adobe/pqs/table']?.[0];
}

/** Catalog's largest page. */
const pageSize = 100;

/**
 * Catalog objects of one kind, following its `start`/`limit` paging (Catalog answers an object keyed by id, with
 * no next link: a page shorter than asked for is the last). Bounded at `maxPages` pages; `more` says whether
 * objects were left unread.
 */
export async function listCatalog<T extends { id: string }>(scope: Scope, kind: 'dataSets' | 'batches', filters: Record<string, string>, signal: AbortSignal, maxPages = 20): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  for (let page = 0; page < maxPages; page += 1) {
    const query = new URLSearchParams({ ...filters, limit: String(pageSize), start: String(page * pageSize) });
    const body = await request<Record<string, Omit<T, 'id'>> | undefined>(scope, 'GET', `${catalog}/${kind}?${query}`, { signal });
    const found = Object.entries(body ?? {}).map(([id, item]) => ({ ...item, id }) as T);
    items.push(...found);
    if (found.length < pageSize) return { items, more: false };
  }
  return { items, more: true };
}
