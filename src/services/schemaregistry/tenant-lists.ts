import { matchesFilter } from '../../server/listing/property-filter.js';
import { valueText } from '../../server/listing/value-text.js';
import { stretchSize } from '../../server/listing/stretches.js';
import { titleSortKey } from '../../store/registry-index.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import type { XedFormat } from './accept-header.js';
import type { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { PageCandidates, pageLimit, registryFilters, registryListResponse, registryPage, type RegistryListQuery, type RegistryPageAnswer } from './registry-listing.js';
import { shape, summaryOf } from './registry-presentation.js';
import { storedXdmDocument, type StoredXdmDocument } from './registry.repository.js';
import { Registry } from './registry.js';

export interface TitleListDeps {
  resources: ResourcesRepository;
  index: RegistryDocumentsRepository;
  /** How many candidates a filtered list reads at a time; `stretchSize` otherwise. */
  stretchSize?: number;
}

export interface TitleListRequest {
  query: RegistryListQuery;
  order: { descending: boolean };
  format: XedFormat;
  selfPath: string;
}

/**
 * A tenant list in title order, read through the registry's index: an unfiltered page reads its own documents and
 * the first of the next page; a filtered one reads candidates a stretch at a time, in order, until its page and the
 * first match past it are found. Either way only the page's documents are resolved for the answer.
 */
export async function titleList(deps: TitleListDeps, scope: Scope, kind: string, request: TitleListRequest): Promise<RegistryPageAnswer<JsonObject>> {
  const { query, order, format, selfPath } = request;
  const from = { ...order, ...(query.start !== undefined ? { start: query.start } : {}) };
  const present = presenterFor(deps, scope, format);
  const filters = registryFilters(query);
  if (filters.length === 0) {
    const page = await deps.index.titlePage(kind, scope, { ...from, limit: pageLimit(query) });
    const found = await documents(deps.resources, kind, scope, page.after === undefined ? page.ids : [...page.ids, page.after]);
    const docs = found.filter((doc) => doc.id !== page.after);
    const after = found.find((doc) => doc.id === page.after);
    return registryPage(docs.map((d) => d.body), after ? valueText(after.body.title) : null, query, await present(docs), selfPath);
  }
  const matches = await filteredPrefix(deps, scope, kind, from, (doc) => filters.every((f) => matchesFilter(doc.body, f)), pageLimit(query));
  // The matches read are a prefix of all matches long enough to hold the page, its ties and the next page's first.
  return answerOver(matches, request, present);
}

/**
 * A tenant list ordered by another field of the bodies (`orderby=version`, `orderby=meta:altId,-title`): the
 * kind's documents are read a stretch at a time and only what the page needs is kept (`PageCandidates`); only the
 * page's documents are resolved for the answer.
 */
export async function fieldOrderList(deps: TitleListDeps, scope: Scope, kind: string, request: Omit<TitleListRequest, 'order'>): Promise<RegistryPageAnswer<JsonObject>> {
  const candidates = new PageCandidates(request.query);
  const byBody = new Map<JsonObject, StoredXdmDocument>();
  for await (const stretch of deps.resources.inStretches(kind, scope, deps.stretchSize ?? stretchSize)) {
    const docs = stretch.map(storedXdmDocument);
    for (const doc of docs) byBody.set(doc.body, doc);
    candidates.offer(docs.map((doc) => doc.body));
    // Only the kept documents can reach the answer.
    const kept = new Set(candidates.kept);
    for (const body of byBody.keys()) if (!kept.has(body)) byBody.delete(body);
  }
  const kept = candidates.kept.flatMap((body) => byBody.get(body) ?? []);
  return answerOver(kept, request, presenterFor(deps, scope, request.format));
}

type Presenter = (docs: StoredXdmDocument[]) => Promise<(doc: JsonObject) => JsonObject>;

/** How a page's documents are shown: summaries, or shaped over what they build on (read for them alone). */
function presenterFor(deps: TitleListDeps, scope: Scope, format: XedFormat): Presenter {
  return async (docs) => {
    const view = format.id ? undefined : await Registry.around(deps.resources, deps.index, scope, docs, { resolve: format.full, descriptors: format.desc });
    return (doc: JsonObject): JsonObject => (view ? shape(doc, format, view) : summaryOf(doc));
  };
}

/** The page of a list answered over `docs` (enough of the list to hold the page), its documents then presented. */
async function answerOver(docs: StoredXdmDocument[], request: Omit<TitleListRequest, 'order'>, present: Presenter): Promise<RegistryPageAnswer<JsonObject>> {
  const answer = registryListResponse(docs.map((d) => d.body), request.query, (doc) => doc, request.selfPath);
  const shown = new Set(answer.results);
  const presented = await present(docs.filter((doc) => shown.has(doc.body)));
  return { ...answer, results: answer.results.map(presented) };
}

/**
 * The matching documents from the start of the order on, read a stretch at a time, until there are more than
 * `limit` and the last one's title key differs from the `limit`-th one's (a page cannot end inside a run of ties),
 * or the documents of the kind are all read. Untitled documents sort last and all go on one page, so once the
 * reading reaches them it goes on to the end.
 */
async function filteredPrefix(deps: TitleListDeps, scope: Scope, kind: string, from: { descending: boolean; start?: string }, matches: (doc: StoredXdmDocument) => boolean, limit: number): Promise<StoredXdmDocument[]> {
  const found: StoredXdmDocument[] = [];
  const keyOf = (doc: StoredXdmDocument | undefined) => (typeof doc?.body.title === 'string' ? titleSortKey(doc.body.title) : undefined);
  const size = deps.stretchSize ?? stretchSize;
  for (let offset = 0; ; offset += size) {
    const ids = await deps.index.titleStretch(kind, scope, from, offset, size);
    found.push(...(await documents(deps.resources, kind, scope, ids)).filter(matches));
    if (ids.length < size) return found;
    const last = found[found.length - 1];
    if (found.length > limit && keyOf(last) !== undefined && keyOf(last) !== keyOf(found[limit - 1])) return found;
  }
}

/** The documents with these ids, in this order; one deleted since its index row was read is left out. */
async function documents(resources: ResourcesRepository, kind: string, scope: Scope, ids: string[]): Promise<StoredXdmDocument[]> {
  const found = await resources.getMany(kind, scope, ids);
  return ids.flatMap((id) => {
    const stored = found.get(id);
    return stored ? [storedXdmDocument(stored)] : [];
  });
}
